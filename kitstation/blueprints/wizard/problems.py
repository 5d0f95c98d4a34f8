"""Blueprint problems in the technician's words: each field under its wizard label, in both languages."""

from __future__ import annotations

import re

from kitstation.i18n import Text

# --- problems in the technician's words --------------------------------------------------------------
# The blueprint's validators speak in TOML keys ("url: must be an http(s) URL"), which is right for
# `kitstation blueprint validate` and wrong on a wizard page: there the field has a label, in the
# UI language. FIELD_LABELS names each field as the wizard labels it; MESSAGES gives the
# validators' English sentences in both languages.
FIELD_LABELS: dict[str, Text] = {
    "name": Text("Blueprint name", "ブループリント名"),
    "customer.name": Text("Customer", "顧客"),
    "customer.order_ref": Text("Order reference", "注文番号"),
    "ios": Text("iPhone / iPad", "iPhone / iPad"),
    "ios.enrollment_profile": Text("MDM enrollment profile", "MDM 登録プロファイル"),
    "ios.mdm_server": Text("MDM server", "MDM サーバ"),
    "ios.mdm_server.name": Text("MDM server name", "MDM サーバ名"),
    "ios.mdm_server.url": Text("Host name or URL", "ホスト名または URL"),
    "ios.mdm_server.anchor_certificates": Text("Trust anchor certificates", "信頼するアンカー証明書"),
    "ios.organization": Text("Organization", "組織"),
    "ios.organization.name": Text("Organization name", "組織名"),
    "ios.organization.department": Text("Department", "部署"),
    "ios.organization.phone": Text("Phone", "電話番号"),
    "ios.organization.email": Text("Email", "メール"),
    "ios.organization.address": Text("Address", "住所"),
    "ios.supervision_identity": Text("Supervision identity", "監視識別情報"),
    "ios.supervision_identity.name": Text("Identity name", "識別情報の名前"),
    "ios.supervision_identity.file": Text("Supervision identity file", "監視識別情報のファイル"),
    "ios.supervision_identity.passphrase_secret": Text("Passphrase secret name", "パスフレーズのシークレット名"),
    "ios.skip_setup": Text("Setup Assistant panes", "設定アシスタントのパネル"),
    "ios.wifi": Text("Wi-Fi network", "Wi-Fi ネットワーク"),
    "ios.wifi.ssid": Text("Network name (SSID)", "ネットワーク名（SSID）"),
    "ios.wifi.security": Text("Security", "セキュリティ"),
    "ios.wifi.password_secret": Text("Password secret name", "パスワードのシークレット名"),
    "ios.wifi_profile": Text("Network profile", "ネットワークプロファイル"),
    "android": Text("Samsung Galaxy", "Samsung Galaxy"),
    "android.agent": Text("Agent APK", "エージェント APK"),
    "android.agent.url": Text("Agent APK URL", "エージェント APK の URL"),
    "android.agent.file": Text("Agent APK file", "エージェント APK ファイル"),
    "android.agent.package": Text("Agent package", "エージェントのパッケージ名"),
    "android.agent.admin_receiver": Text("Admin receiver", "管理レシーバー"),
    "android.agent.sha256": Text("APK SHA-256", "APK の SHA-256"),
    "android.kme": Text("Knox Mobile Enrollment", "Knox Mobile Enrollment"),
    "android.kme.profile_name": Text("KME profile name", "KME プロファイル名"),
    "android.kme.company_name": Text("Company name", "会社名"),
    "android.kme.custom_json": Text("Custom JSON", "カスタム JSON"),
    "android.kme.agent_apk_url": Text("Agent APK URL", "エージェント APK の URL"),
    "android.qr": Text("QR code", "QR コード"),
    # Issue 20: apps, names, Galaxy settings, battery.
    "ios.apps": Text("iOS apps", "iOS アプリ"),
    "ios.apps.install": Text("Apps to install", "インストールするアプリ"),
    "ios.apps.install.bundle_id": Text("Bundle ID", "バンドル ID"),
    "ios.apps.install.sha256": Text("App SHA-256", "アプリの SHA-256"),
    "ios.apps.remove": Text("Apps to remove", "削除するアプリ"),
    "ios.min_battery_percent": Text("Minimum battery", "バッテリー残量の下限"),
    "ios.battery_wait_minutes": Text("Longest wait for the charge", "充電を待つ最大時間"),
    "android.apps": Text("Galaxy apps", "Galaxy アプリ"),
    "android.apps.install": Text("Apps to install", "インストールするアプリ"),
    "android.apps.install.package": Text("Package", "パッケージ名"),
    "android.apps.install.grant": Text("Permissions to grant", "付与する権限"),
    "android.apps.install.apks": Text("APK files", "APK ファイル"),
    "android.apps.remove": Text("Apps to remove", "削除するアプリ"),
    "android.setup": Text("Galaxy settings", "Galaxy の設定"),
    "android.setup.wifi": Text("Wi-Fi network", "Wi-Fi ネットワーク"),
    "android.setup.wifi.ssid": Text("Network name (SSID)", "ネットワーク名（SSID）"),
    "android.setup.wifi.security": Text("Security", "セキュリティ"),
    "android.setup.wifi.password_secret": Text("Password secret name", "パスワードのシークレット名"),
    "android.setup.time_zone": Text("Time zone", "タイムゾーン"),
    "android.setup.screen_off_timeout_seconds": Text("Screen timeout", "画面のタイムアウト"),
    "android.setup.stay_awake_while_charging": Text("Stay awake while charging", "充電中はスリープモードにしない"),
    "android.min_battery_percent": Text("Minimum battery", "バッテリー残量の下限"),
    "android.battery_wait_minutes": Text("Longest wait for the charge", "充電を待つ最大時間"),
    "naming": Text("Device names", "デバイス名"),
    "naming.pattern": Text("Name pattern", "名前のパターン"),
    "naming.start": Text("First number", "開始番号"),
    "naming.csv": Text("Names CSV", "名前の CSV"),
    "naming.csv_key": Text("Key column", "キー列"),
}

MESSAGES: tuple[tuple[re.Pattern[str], Text], ...] = tuple(
    (re.compile(p), t)
    for p, t in (
        (r"^must be an http\(s\) URL$",
         Text("must start with https:// or http://", "https:// または http:// で始まる URL を指定してください")),
        (r"^give exactly one of 'name' or 'file'$",
         Text("give an identity name or choose a file", "識別情報の名前を入力するか、ファイルを選択してください")),
        (r"^not iOS Setup Assistant skip keys: (.*)$",
         Text("not Setup Assistant panes: {0}", "設定アシスタントのパネルではありません: {0}")),
        (r"^method 'manual_dep' needs add_to_dep = true$",
         Text("manual configuration needs “Add to Device Enrollment Program”",
              "手動構成には「Device Enrollment Program に追加」が必要です")),
        (r"^method 'manual_dep' needs supervise = true$",
         Text("manual configuration needs “Supervise devices”", "手動構成には「デバイスを監視対象にする」が必要です")),
        (r"^method '\w+' needs an \[ios\.mdm_server\]$",
         Text("this method needs an MDM server", "この方式には MDM サーバが必要です")),
        (r"^method 'direct_profile' needs enrollment_profile$",
         Text("direct MDM profile install needs the enrollment profile file",
              "MDM プロファイルの直接インストールには登録プロファイルのファイルが必要です")),
        (r"^give either \[ios\.wifi\] or wifi_profile, not both$",
         Text("choose a Wi-Fi network or a network profile, not both",
              "Wi-Fi ネットワークとネットワークプロファイルのどちらか一方を選んでください")),
        (r"^a blueprint needs an \[ios\] or an \[android\] section \(or both\)$",
         Text("choose at least one platform", "プラットフォームを 1 つ以上選んでください")),
        (r"^custom_json is not valid JSON: (.*)$",
         Text("is not valid JSON: {0}", "JSON として正しくありません: {0}")),
        (r"^must be an Android package name like 'com\.example\.agent'$",
         Text("must be an Android package name like com.example.agent",
              "com.example.agent のような Android のパッケージ名を指定してください")),
        (r"^must look like 'com\.example\.agent/\.AdminReceiver'$",
         Text("must look like com.example.agent/.AdminReceiver",
              "com.example.agent/.AdminReceiver の形式で指定してください")),
        (r"^must be 64 hexadecimal digits$",
         Text("must be 64 hexadecimal digits", "16 進数 64 桁で指定してください")),
        (r"^give 'url' or 'file'$",
         Text("give the agent APK's URL or choose its file",
              "エージェント APK の URL を入力するか、ファイルを選択してください")),
        (r"^not Android package names: (.*)$",
         Text("not Android package names: {0}", "Android のパッケージ名ではありません: {0}")),
        (r"^method 'kme' needs an \[android\.kme\] profile$",
         Text("Knox Mobile Enrollment needs a KME profile name", "Knox Mobile Enrollment には KME プロファイル名が必要です")),
        (r"^method 'device_owner' needs an \[android\.agent\]$",
         Text("Device Owner needs the agent APK (package and admin receiver)",
              "デバイスオーナー化にはエージェント APK（パッケージ名と管理レシーバー）が必要です")),
        (r"^agent\.admin_receiver must start with the agent's package",
         Text("the admin receiver must start with the agent package (package/.Receiver)",
              "管理レシーバーはエージェントのパッケージ名で始めてください（パッケージ名/.Receiver）")),
        (r"^method 'qr' needs an \[android\.qr\] section$",
         Text("the QR code method needs QR settings", "QR コード方式には QR の設定が必要です")),
        (r"^method 'qr' needs a download URL",
         Text("the QR code needs the agent APK URL", "QR コードにはエージェント APK の URL が必要です")),
        (r"^method 'qr' needs an admin component",
         Text("the QR code needs the admin receiver", "QR コードには管理レシーバーが必要です")),
        (r"^admin component '(.*)' must look like",
         Text("admin component {0} must look like com.example.agent/.AdminReceiver",
              "管理コンポーネント {0} は com.example.agent/.AdminReceiver の形式で指定してください")),
        # Issue 20: apps, names, Galaxy settings.
        (r"^give exactly one of 'file' or 'url'$",
         Text("choose the file (or give its https:// URL), not both", "ファイルを選ぶか https:// の URL を入力してください（両方は不可）")),
        (r"^must be an https:// URL$",
         Text("must start with https://", "https:// で始まる URL を指定してください")),
        (r"^sha256 must be 64 hexadecimal digits$",
         Text("must be 64 hexadecimal digits", "16 進数 64 桁で指定してください")),
        (r"^'(.*)' is not a bundle identifier",
         Text("{0} is not a bundle ID (e.g. com.example.app)", "{0} はバンドル ID ではありません（例: com.example.app）")),
        (r"^not bundle identifiers: (.*)$",
         Text("not bundle IDs: {0}", "バンドル ID ではありません: {0}")),
        (r"^both installed and removed: (.*)$",
         Text("both installed and removed: {0}", "インストールと削除の両方に指定されています: {0}")),
        (r"^'(.*)' is not an Android package name$",
         Text("{0} is not an Android package name", "{0} は Android のパッケージ名ではありません")),
        (r"^not permission names: (.*)$",
         Text("not permission names: {0} (e.g. android.permission.CAMERA)",
              "権限名ではありません: {0}（例: android.permission.CAMERA）")),
        (r"^pattern: give at least one variable",
         Text("give at least one variable, e.g. {{serial}} or {{n:03}}: every device needs its own name",
              "{{serial}} や {{n:03}} などの変数を 1 つ以上入れてください（デバイスごとに別の名前が必要です）")),
        (r"^pattern: \{(.*)\} is not a variable name$",
         Text("{{{0}}} is not a variable name", "{{{0}}} は変数名ではありません")),
        (r"^pattern: \{(.*)\}: only \{n\} takes a width",
         Text("{{{0}}}: only {{n}} takes a width, e.g. {{n:03}}", "{{{0}}}: 桁数を指定できるのは {{n}} だけです（例: {{n:03}}）")),
        (r"^pattern: (.*)$", Text("{0}", "パターンが正しくありません: {0}")),
        (r"^csv_key must be a column name",
         Text("must be a column name (letters, digits, _)", "列名（英数字と _）で指定してください")),
        (r"^a (wpa2|wpa3) network needs password_secret",
         Text("a {0} network needs the name of the secret holding its password",
              "{0} のネットワークにはパスワードを保存したシークレットの名前が必要です")),
        (r"^an (open|owe) network has no password",
         Text("an {0} network has no password: leave the secret name empty",
              "{0} のネットワークにパスワードはありません: シークレット名を空にしてください")),
        (r"^'(.*)' is not an IANA time zone",
         Text("{0} is not a time zone (e.g. Asia/Tokyo)", "{0} はタイムゾーンではありません（例: Asia/Tokyo）")),
        (r"^\[android\.setup\], \[android\.apps\] and min_battery_percent need method 'device_owner'",
         Text("Galaxy settings, apps and the battery minimum need Device Owner over USB",
              "Galaxy の設定・アプリ・バッテリー残量の下限には USB 経由のデバイスオーナー化が必要です")),
    )
)  # fmt: skip


def field_label(loc: str) -> Text | None:
    """The wizard's label for a field path, or for its nearest labelled parent."""
    parts = re.sub(r"\[\d+\]", "", loc).split(".")  # ios.apps.install[0].sha256: the field, not the row
    while parts:
        label = FIELD_LABELS.get(".".join(parts))
        if label is not None:
            return label
        parts.pop()
    return None


def explain(message: Text) -> Text:
    """A validator's sentence in both languages (the loader gives English inside the Japanese)."""
    for pattern, text in MESSAGES:
        m = pattern.match(message.en)
        if m:
            return Text(text.en.format(*m.groups()), text.ja.format(*m.groups()))
    return message


def field_problems(problems: list[tuple[str, Text]], prefix: str = "") -> list[Text]:
    """``(field path, message)`` pairs as "Label: message" in both languages; ``prefix`` completes a
    path checked on a sub-model (``url`` on the server page is ``ios.mdm_server.url``)."""
    out: list[Text] = []
    for loc, message in problems:
        full = ".".join(p for p in (prefix, loc) if p)
        msg = explain(message)
        label = field_label(full) if full else None
        if label is None:
            out.append(Text(f"{full}: {msg.en}", f"{full}: {msg.ja}") if full else msg)
        else:
            out.append(Text(f"{label.en}: {msg.en}", f"{label.ja}: {msg.ja}"))
    return out



__all__ = ["FIELD_LABELS", "MESSAGES", "explain", "field_label", "field_problems"]
