"""The blueprint as (label, value) lines a technician reads on the wizard's last page (not TOML)."""

from __future__ import annotations

from kitstation.blueprints.android import AndroidOptions
from kitstation.blueprints.model import Blueprint
from kitstation.i18n import Text

_METHODS: dict[str, Text] = {
    "manual_dep": Text("Manual configuration: made a DEP device and supervised",
                       "手動構成: DEP デバイスにして監視対象にする"),
    "dep": Text("Already a DEP device: cloud configuration checked and recorded",
                "DEP デバイス: クラウド構成を確認して記録"),
    "supervise": Text("Supervised only; enrolls through Remote Management",
                      "監視対象にするのみ（リモートマネージメントで登録）"),
    "direct_profile": Text("MDM profile installed directly (unsupervised)",
                           "MDM プロファイルを直接インストール（監視対象外）"),
    "device_owner": Text("Device Owner over USB (adb)", "USB 経由でデバイスオーナー化（adb）"),
    "kme": Text("Knox Mobile Enrollment (KME)", "Knox Mobile Enrollment（KME）"),
    "qr": Text("QR code at the welcome screen", "ようこそ画面で QR コード"),
}


def _yes(value: bool) -> Text:
    return Text("yes", "はい") if value else Text("no", "いいえ")


def summary(bp: Blueprint) -> list[tuple[Text, Text]]:
    """The blueprint as (label, value) lines a technician reads before saving (not TOML)."""
    rows: list[tuple[Text, Text]] = [(Text("Blueprint", "ブループリント"), Text.plain(bp.name))]
    if bp.customer.name or bp.customer.order_ref:
        rows.append((Text("Customer", "顧客"), Text.plain(bp.customer.name or "–")))
        rows.append((Text("Order reference", "注文番号"), Text.plain(bp.customer.order_ref or "–")))
    if bp.ios is not None:
        i = bp.ios
        rows.append((Text("iPhone / iPad", "iPhone / iPad"), _METHODS.get(i.method, Text.plain(i.method))))
        rows.append((Text("Erase first", "最初に消去"), _yes(i.erase)))
        rows.append((Text("Supervise", "監視対象にする"), _yes(i.supervise)))
        rows.append((Text("Add to DEP", "DEP に追加"), _yes(i.add_to_dep)))
        rows.append((Text("Allow pairing with other computers", "ほかのコンピュータとのペアリングを許可"),
                     _yes(i.allow_pairing)))
        if i.mdm_server is not None:
            rows.append((Text("MDM server", "MDM サーバ"), Text.plain(f"{i.mdm_server.name} — {i.mdm_server.url}")))
            n = len(i.mdm_server.anchor_certificates)
            rows.append((Text("Trust anchors", "信頼するアンカー証明書"),
                         Text(f"{n} certificate(s)", f"{n} 件の証明書")))
        if i.organization is not None:
            rows.append((Text("Organization", "組織"), Text.plain(i.organization.name)))
        if i.supervision_identity is not None:
            sid = i.supervision_identity
            rows.append((Text("Supervision identity", "監視識別情報"),
                         Text.plain(sid.name) if sid.name else Text.plain(sid.file or "")))
        if i.skip_setup == "all":
            skipped = Text("all panes skipped", "すべてのパネルをスキップ")
        elif i.skip_setup:
            skipped = Text.plain(", ".join(i.skip_setup))
        else:
            skipped = Text("none (the user sees every pane)", "なし（すべてのパネルを表示）")
        rows.append((Text("Setup Assistant panes skipped", "スキップする設定アシスタントのパネル"), skipped))
        if i.wifi is not None:
            rows.append((Text("Wi-Fi", "Wi-Fi"), Text.plain(f"{i.wifi.ssid} ({i.wifi.security})")))
        elif i.wifi_profile:
            rows.append((Text("Network profile", "ネットワークプロファイル"), Text.plain(i.wifi_profile)))
        if i.apps is not None:
            for ipa in i.apps.install:
                rows.append((Text("iOS app", "iOS アプリ"), Text.plain(f"{ipa.bundle_id} {ipa.version}".strip())))
            if i.apps.remove:
                rows.append((Text("iOS apps removed", "削除する iOS アプリ"), Text.plain(", ".join(i.apps.remove))))
        rows += _battery_rows(i.min_battery_percent, i.battery_wait_minutes)
    if bp.android is not None:
        a = bp.android
        rows.append((Text("Samsung Galaxy", "Samsung Galaxy"), _METHODS.get(a.method, Text.plain(a.method))))
        if a.agent is not None:
            rows.append((Text("Agent package", "エージェントのパッケージ"), Text.plain(a.agent.package)))
            rows.append((Text("Agent APK", "エージェント APK"), Text.plain(a.agent.url or a.agent.file or "–")))
        if a.kme is not None:
            rows.append((Text("KME profile", "KME プロファイル"), Text.plain(a.kme.profile_name)))
        if a.setup is not None:
            rows += _setup_rows(a)
        if a.apps is not None:
            for app in a.apps.install:
                version = f" ({app.version_code})" if app.version_code else ""
                rows.append((Text("Galaxy app", "Galaxy アプリ"),
                             Text(f"{app.package}{version}, {len(app.apks)} APK", f"{app.package}{version}、APK {len(app.apks)} 個")))
                if app.grant:
                    rows.append((Text("Permissions granted", "付与する権限"), Text.plain(", ".join(app.grant))))
            if a.apps.remove:
                rows.append((Text("Galaxy apps removed", "削除する Galaxy アプリ"), Text.plain(", ".join(a.apps.remove))))
        rows += _battery_rows(a.min_battery_percent, a.battery_wait_minutes)
    if bp.naming is not None:
        nm = bp.naming
        rows.append((Text("Device names", "デバイス名"), Text(f"{nm.pattern} (from {nm.start})", f"{nm.pattern}（{nm.start} から）")))
        if nm.csv:
            rows.append((Text("Names CSV", "名前の CSV"), Text(f"{nm.csv} (key: {nm.csv_key})", f"{nm.csv}（キー: {nm.csv_key}）")))
    return rows


def _battery_rows(percent: int | None, minutes: int) -> list[tuple[Text, Text]]:
    if percent is None:
        return []
    return [(Text("Battery", "バッテリー"),
             Text(f"wait for {percent}% (at most {minutes} min)", f"{percent}% まで待つ（最大 {minutes} 分）"))]


def _setup_rows(a: AndroidOptions) -> list[tuple[Text, Text]]:
    s = a.setup
    assert s is not None
    rows: list[tuple[Text, Text]] = []
    if s.wifi is not None:
        rows.append((Text("Galaxy Wi-Fi", "Galaxy の Wi-Fi"), Text.plain(f"{s.wifi.ssid} ({s.wifi.security})")))
    if s.time_zone:
        rows.append((Text("Time zone", "タイムゾーン"), Text.plain(s.time_zone)))
    if s.screen_off_timeout_seconds is not None:
        n = s.screen_off_timeout_seconds
        rows.append((Text("Screen timeout", "画面のタイムアウト"), Text(f"{n} s", f"{n} 秒")))
    if s.stay_awake_while_charging is not None:
        rows.append((Text("Stay awake while charging", "充電中はスリープモードにしない"), _yes(s.stay_awake_while_charging)))
    return rows



__all__ = ["summary"]
