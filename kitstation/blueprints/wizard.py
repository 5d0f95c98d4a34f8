"""The Prepare wizard's answers, turned into a validated blueprint without any Qt.

The GUI's wizard pages only collect what the technician typed into :class:`WizardAnswers`;
everything that decides what the blueprint *is* lives here, so it can be unit-tested and reused
(the CLI could offer the same questions): which sections exist for a method, where the chosen
trust anchors are stored next to the blueprint, "all" for every Setup Assistant pane skipped,
and a host name typed where the label says "Host name or URL" becoming an ``https://`` URL.

:func:`save` is the only function that writes: the anchors and then the TOML, each atomically
(temp file, fsync, rename), so a crash never leaves a half-written blueprint the library lists.
Secrets are never part of the answers: the blueprint names them (``*_secret``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from kitstation.blueprints.loader import dumps_blueprint, validate_data
from kitstation.blueprints.model import Blueprint
from kitstation.files import write_atomic
from kitstation.i18n import Text

IOSMethodName = Literal["manual_dep", "dep", "supervise", "direct_profile"]
AndroidMethodName = Literal["device_owner", "kme", "qr"]

# Methods whose blueprint carries a server, organization, identity and Setup Assistant panes.
SUPERVISING = ("manual_dep", "supervise")
# Methods that join a network during setup (a DEP check writes nothing to the device).
WITH_NETWORK = ("manual_dep", "supervise", "direct_profile")


def slug(name: str) -> str:
    """A file name from a blueprint name (letters of any script kept; the rest become dashes)."""
    s = re.sub(r"[^\w.-]+", "-", name.strip(), flags=re.UNICODE).strip("-").lower()
    return s or "blueprint"


_HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?(?:/.*)?$")


def server_url(text: str) -> str:
    """What the "Host name or URL" field means: a bare host name (``mdm.example.com``) is its https URL.

    Anything with a scheme is kept as typed, so the blueprint's own check still explains a wrong
    scheme; text that is not a host name either is returned unchanged for the same reason.
    """
    t = text.strip()
    if not t or "://" in t or not _HOST.match(t):
        return t
    return f"https://{t}" if "/" in t else f"https://{t}/"


@dataclass
class IOSAnswers:
    """The iPhone / iPad pages: method, Prepare options, server, organization, identity, panes, network."""

    method: IOSMethodName = "manual_dep"
    erase: bool = True
    add_to_dep: bool = True
    activate_and_complete_enrollment: bool = False
    supervise: bool = True
    allow_pairing: bool = True
    shared_ipad: bool = False
    enrollment_profile: str = ""
    server_name: str = ""
    server_url: str = ""
    anchors: list[str] = field(default_factory=list)  # PEM text of each ticked trust anchor
    organization: dict[str, str] = field(default_factory=dict)
    identity_name: str = ""  # an identity in the station's store ...
    identity_file: str = ""  # ... or a .p12 / PEM file
    passphrase_secret: str = ""
    skipped: list[str] = field(default_factory=list)
    all_panes: int = 0  # how many panes were offered: all of them skipped is "all" (-1: "all" as loaded)
    wifi: dict[str, Any] | None = None
    wifi_profile: str = ""


@dataclass
class AndroidAnswers:
    """The Samsung Galaxy page."""

    method: AndroidMethodName = "device_owner"
    package: str = ""
    admin_receiver: str = ""
    apk_url: str = ""
    apk_file: str = ""
    sha256: str = ""
    kme_profile_name: str = ""
    kme_company_name: str = ""
    kme_custom_json: str = ""

    def data(self) -> dict[str, Any]:
        """The blueprint's ``[android]`` table."""
        d: dict[str, Any] = {"method": self.method}
        if self.package.strip() or self.method != "kme":
            agent: dict[str, Any] = {"package": self.package.strip(), "admin_receiver": self.admin_receiver.strip()}
            for key, value in (("url", self.apk_url), ("file", self.apk_file), ("sha256", self.sha256)):
                if value.strip():
                    agent[key] = value.strip()
            d["agent"] = agent
        if self.method == "kme":
            d["kme"] = {
                "profile_name": self.kme_profile_name.strip(),
                "agent_apk_url": self.apk_url.strip(),
                "company_name": self.kme_company_name.strip(),
                "custom_json": self.kme_custom_json,
            }
        if self.method == "qr":
            d["qr"] = {}
        return d


@dataclass
class WizardAnswers:
    """Everything the wizard asked; :func:`build` makes the blueprint from it."""

    name: str = ""
    customer: str = ""
    order_ref: str = ""
    ios: IOSAnswers | None = None
    android: AndroidAnswers | None = None


def anchor_names(target: Path, count: int) -> list[str]:
    """Where the ticked anchors go, relative to the blueprint: a folder named after it."""
    folder = target.with_suffix("").name + "-anchors"
    return [f"{folder}/anchor-{i + 1}.pem" for i in range(count)]


def ios_data(a: IOSAnswers, target: Path) -> dict[str, Any]:
    """The blueprint's ``[ios]`` table for these answers."""
    d: dict[str, Any] = {
        "method": a.method,
        "erase": a.erase,
        "add_to_dep": a.add_to_dep,
        "activate_and_complete_enrollment": a.activate_and_complete_enrollment,
        "supervise": a.supervise,
        "allow_pairing": a.allow_pairing,
        "shared_ipad": a.shared_ipad,
    }
    if a.method == "direct_profile" and a.enrollment_profile.strip():
        d["enrollment_profile"] = a.enrollment_profile.strip()
    if a.method in SUPERVISING:
        server: dict[str, Any] = {"name": a.server_name.strip(), "url": server_url(a.server_url)}
        if a.anchors:
            server["anchor_certificates"] = anchor_names(target, len(a.anchors))
        d["mdm_server"] = server
        d["organization"] = {k: v.strip() for k, v in a.organization.items() if v.strip() or k == "name"}
        identity: dict[str, Any] = {}
        if a.identity_name.strip():
            identity["name"] = a.identity_name.strip()
        elif a.identity_file.strip():
            identity["file"] = a.identity_file.strip()
            if a.passphrase_secret.strip():
                identity["passphrase_secret"] = a.passphrase_secret.strip()
        d["supervision_identity"] = identity
        every = a.all_panes == -1 or (a.all_panes > 0 and len(a.skipped) == a.all_panes)
        d["skip_setup"] = "all" if every else list(a.skipped)
    if a.method in WITH_NETWORK:
        if a.wifi is not None:
            d["wifi"] = dict(a.wifi)
        elif a.wifi_profile.strip():
            d["wifi_profile"] = a.wifi_profile.strip()
    return d


def to_data(answers: WizardAnswers, target: Path) -> dict[str, Any]:
    """The blueprint as TOML-shaped data (not yet validated)."""
    data: dict[str, Any] = {"name": answers.name.strip()}
    if answers.customer.strip() or answers.order_ref.strip():
        data["customer"] = {"name": answers.customer.strip(), "order_ref": answers.order_ref.strip()}
    if answers.ios is not None:
        data["ios"] = ios_data(answers.ios, target)
    if answers.android is not None:
        data["android"] = answers.android.data()
    return data


def build(answers: WizardAnswers, target: Path) -> Blueprint:
    """The validated blueprint that :func:`save` would write to ``target`` (raises BlueprintError)."""
    return validate_data(to_data(answers, target), str(target), target.resolve())


def to_toml(answers: WizardAnswers, target: Path) -> str:
    return dumps_blueprint(build(answers, target))


def save(answers: WizardAnswers, target: Path) -> Blueprint:
    """Validate, then write the trust anchors and the blueprint TOML (blocking: not on the GUI thread).

    Validation comes first, so a blueprint that cannot be used writes nothing at all.
    """
    bp = build(answers, target)
    if answers.ios is not None and answers.ios.method in SUPERVISING:
        for rel, pem in zip(anchor_names(target, len(answers.ios.anchors)), answers.ios.anchors, strict=True):
            write_atomic(target.parent / rel, pem)
    write_atomic(target, dumps_blueprint(bp))
    return bp


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
    if bp.android is not None:
        a = bp.android
        rows.append((Text("Samsung Galaxy", "Samsung Galaxy"), _METHODS.get(a.method, Text.plain(a.method))))
        if a.agent is not None:
            rows.append((Text("Agent package", "エージェントのパッケージ"), Text.plain(a.agent.package)))
            rows.append((Text("Agent APK", "エージェント APK"), Text.plain(a.agent.url or a.agent.file or "–")))
        if a.kme is not None:
            rows.append((Text("KME profile", "KME プロファイル"), Text.plain(a.kme.profile_name)))
    return rows


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
    )
)  # fmt: skip


def field_label(loc: str) -> Text | None:
    """The wizard's label for a field path, or for its nearest labelled parent."""
    parts = loc.split(".")
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


# --- a saved blueprint back into answers (the library's "Edit" reopens the wizard) -----------------
def answers_from(bp: Blueprint) -> WizardAnswers:
    """The answers that would make ``bp`` (files it names are read: anchors as PEM text)."""
    a = WizardAnswers(name=bp.name, customer=bp.customer.name, order_ref=bp.customer.order_ref)
    if bp.ios is not None:
        i = bp.ios
        ios = IOSAnswers(
            method=i.method,
            erase=i.erase,
            add_to_dep=i.add_to_dep,
            activate_and_complete_enrollment=i.activate_and_complete_enrollment,
            supervise=i.supervise,
            allow_pairing=i.allow_pairing,
            shared_ipad=i.shared_ipad,
            enrollment_profile=str(bp.resolve(i.enrollment_profile)) if i.enrollment_profile else "",
        )
        if i.mdm_server is not None:
            ios.server_name, ios.server_url = i.mdm_server.name, i.mdm_server.url
            ios.anchors = [bp.resolve(n).read_text(encoding="ascii") for n in i.mdm_server.anchor_certificates]
        if i.organization is not None:
            ios.organization = {k: v for k, v in i.organization.model_dump().items() if isinstance(v, str) and v}
        if i.supervision_identity is not None:
            sid = i.supervision_identity
            ios.identity_name = sid.name or ""
            ios.identity_file = str(bp.resolve(sid.file)) if sid.file else ""
            ios.passphrase_secret = sid.passphrase_secret or ""
        ios.skipped = [] if i.skip_setup == "all" else list(i.skip_setup)
        ios.all_panes = -1 if i.skip_setup == "all" else 0  # -1: every pane the wizard offers
        if i.wifi is not None:
            ios.wifi = i.wifi.model_dump(exclude={"proxy"}, exclude_none=True)
        elif i.wifi_profile:
            ios.wifi_profile = str(bp.resolve(i.wifi_profile))
        a.ios = ios
    if bp.android is not None:
        an = bp.android
        ag = an.agent
        a.android = AndroidAnswers(
            method=an.method,
            package=ag.package if ag else "",
            admin_receiver=ag.admin_receiver if ag else "",
            apk_url=(ag.url if ag and ag.url else an.kme.agent_apk_url if an.kme else ""),
            apk_file=str(bp.resolve(ag.file)) if ag and ag.file else "",
            sha256=ag.sha256 if ag else "",
            kme_profile_name=an.kme.profile_name if an.kme else "",
            kme_company_name=an.kme.company_name if an.kme else "",
            kme_custom_json=an.kme.custom_json if an.kme else "",
        )
    return a


def duplicate(source: Path, target: Path | None = None) -> Path:
    """A copy of a blueprint file next to it, named "<name> (copy)" (anchors are shared: same folder)."""
    from kitstation.blueprints.loader import load_blueprint

    bp = load_blueprint(source, check_files=False)
    bp.name = f"{bp.name} (copy)"[:200]
    if target is None:
        n = 1
        target = source.with_name(f"{source.stem}-copy.toml")
        while target.exists():
            n += 1
            target = source.with_name(f"{source.stem}-copy{n}.toml")
    write_atomic(target, dumps_blueprint(bp))
    return target
