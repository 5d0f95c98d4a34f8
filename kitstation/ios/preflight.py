"""What an iOS blueprint needs that can be checked without a device, before any erase.

The supervision identity is there and its key loads (a .p12 with the passphrase from the secrets
chain: the passphrase is used, never shown or logged), trust anchors parse as certificates and
are not expired, named secrets (the Wi-Fi password) can be had, the profiles to install parse as
configuration profiles (signed ones as CMS), the MDM URL is a well-formed https URL, and every app
to install is there (a url one downloaded once, into the cache), has its pinned SHA-256, is an .ipa
and holds the bundle id and version the blueprint names.

Every problem names the blueprint key (``Problem.field``) and starts with the field's label as
the blueprint wizard shows it, in both languages, so the technician knows where to fix it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from kitstation.blueprints.model import Blueprint
from kitstation.core.preflight import PreflightContext
from kitstation.domain.events import Problem
from kitstation.domain.model import StepError
from kitstation.i18n import Text
from kitstation.ios.certs import load_certificates
from kitstation.ios.identities import IdentityStore, load_identity_files
from kitstation.ios.ipa import pinned_path, read_ipa_info
from kitstation.ios.profiles import read_profile

# The wizard's labels (kitstation/ui/wizard), in its two languages.
LABEL_IDENTITY = Text("Supervision identity", "監視識別情報")
LABEL_PASSPHRASE = Text("Passphrase secret name", "パスフレーズのシークレット名")
LABEL_URL = Text("Host name or URL", "ホスト名または URL")
LABEL_ANCHORS = Text("Trust anchor certificates", "信頼されたアンカー証明書")
LABEL_WIFI_SECRET = Text("Password secret name", "パスワードのシークレット名")
LABEL_WIFI_PROFILE = Text(
    "Import a network profile (.mobileconfig)", "ネットワークプロファイルを読み込む（.mobileconfig）"
)
LABEL_PROFILES = Text("Profiles", "プロファイル")
LABEL_ENROLLMENT = Text("MDM enrollment profile (.mobileconfig)", "MDM 登録プロファイル（.mobileconfig）")
LABEL_APPS = Text("Apps to install", "インストールするアプリ")

EXPIRED = Text(
    "{f} expired on {d}: devices would not trust it",
    "{f} は {d} に期限切れになっています: デバイスはこれを信頼しません",
)
IDENTITY_EXPIRED = Text(
    "the supervision identity {n} expired on {d}: make or import a new one",
    "監視識別情報 {n} は {d} に期限切れになっています: 新しいものを作成または読み込んでください",
)
BAD_URL = Text(
    "{u} is not a well-formed https URL (https://host/path): the device only enrolls over https",
    "{u} は正しい https の URL（https://ホスト/パス）ではありません: デバイスは https でのみ登録します",
)
PASSPHRASE_PROMPT = Text("Passphrase of the supervision identity {f}", "監視ID {f} のパスフレーズ")
WIFI_PROMPT = Text("Wi-Fi password for {s}", "{s} のWi-Fiパスワード")  # as the Wi-Fi step asks


def _problem(label: Text, key: str, reason: Text, code: str) -> Problem:
    return Problem(key, label + Text(": ", ": ") + reason, code)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def check_url(url: str) -> Text | None:
    """None when ``url`` is a well-formed https URL with a host, else why not."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        _ = parts.port  # a port that is not a number raises here
    except ValueError:
        return BAD_URL.format(u=url)
    if parts.scheme != "https" or not host or any(c.isspace() for c in url):
        return BAD_URL.format(u=url)
    return None


async def _secret(ctx: PreflightContext, name: str, prompt: Text) -> str | Text:
    """The secret's value, or why it cannot be had (the value itself never goes into a problem)."""
    try:
        return await ctx.secrets.get(name, prompt)
    except StepError as exc:
        return exc.reason


async def _identity(blueprint: Blueprint, ctx: PreflightContext, store: IdentityStore) -> list[Problem]:
    opts = blueprint.ios
    assert opts is not None
    spec = opts.supervision_identity
    if not opts.supervise or spec is None:
        return []  # no identity named: the station makes its own on first use (as Configurator does)
    if spec.file:
        key = "ios.supervision_identity.file"
        path = blueprint.resolve(spec.file)
        passphrase: str | None = None
        if spec.passphrase_secret:
            got = await _secret(ctx, spec.passphrase_secret, PASSPHRASE_PROMPT.format(f=path.name))
            if isinstance(got, Text):
                return [_problem(LABEL_PASSPHRASE, "ios.supervision_identity.passphrase_secret", got, "secret_missing")]
            passphrase = got
        try:
            cert, _key = await asyncio.to_thread(load_identity_files, path, None, passphrase)
        except StepError as exc:
            return [_problem(LABEL_IDENTITY, key, exc.reason, exc.code or "identity_unreadable")]
        name = path.name
    else:
        key = "ios.supervision_identity.name"
        assert spec.name is not None
        try:
            identity = store.get(spec.name)
            # The keybag holds certificate and key: loading both proves the key is usable.
            cert, _key = await asyncio.to_thread(load_identity_files, identity.keybag)
        except StepError as exc:
            return [_problem(LABEL_IDENTITY, key, exc.reason, exc.code or "identity_unreadable")]
        except OSError as exc:
            reason = Text("cannot read the identity store: {e}", "IDストアを読み込めません: {e}").format(e=exc)
            return [_problem(LABEL_IDENTITY, key, reason, "identity_unreadable")]
        name = spec.name
    if cert.not_valid_after_utc < _now():
        day = cert.not_valid_after_utc.date().isoformat()
        return [_problem(LABEL_IDENTITY, key, IDENTITY_EXPIRED.format(n=name, d=day), "identity_expired")]
    return []


def _anchors(blueprint: Blueprint) -> list[Problem]:
    opts = blueprint.ios
    assert opts is not None
    if opts.mdm_server is None:
        return []
    problems: list[Problem] = []
    key = "ios.mdm_server.anchor_certificates"
    for name in opts.mdm_server.anchor_certificates:
        path = blueprint.resolve(name)
        try:
            certs = load_certificates(path)
        except StepError as exc:
            problems.append(_problem(LABEL_ANCHORS, key, exc.reason, exc.code or "anchor_invalid"))
            continue
        for c in certs:
            if c.not_after < _now():
                reason = EXPIRED.format(f=path.name, d=c.not_after.date().isoformat())
                problems.append(_problem(LABEL_ANCHORS, key, reason, "anchor_expired"))
    return problems


def _profiles(blueprint: Blueprint) -> list[Problem]:
    opts = blueprint.ios
    assert opts is not None
    named: list[tuple[Text, str, str]] = []
    if opts.wifi_profile:
        named.append((LABEL_WIFI_PROFILE, "ios.wifi_profile", opts.wifi_profile))
    named += [(LABEL_PROFILES, "ios.profiles", p) for p in opts.profiles]
    if opts.enrollment_profile:
        named.append((LABEL_ENROLLMENT, "ios.enrollment_profile", opts.enrollment_profile))
    problems: list[Problem] = []
    for label, key, name in named:
        try:
            read_profile(blueprint.resolve(name))
        except StepError as exc:
            problems.append(_problem(label, key, exc.reason, exc.code or "profile_invalid"))
    return problems


def _apps(blueprint: Blueprint, cache: Path | None) -> list[Problem]:
    """Each .ipa: readable (a url one downloaded once, into the cache), the pinned bytes, the app named."""
    opts = blueprint.ios
    assert opts is not None
    problems: list[Problem] = []
    for i, app in enumerate(opts.apps.install if opts.apps is not None else []):
        key = f"ios.apps.install[{i}].{'file' if app.file else 'url'}"
        try:
            path, source = pinned_path(app, blueprint, cache)
            info = read_ipa_info(path, Path(source).name if app.file else source)
        except StepError as exc:
            problems.append(_problem(LABEL_APPS, key, exc.reason, exc.code or "app_file_invalid"))
            continue
        if info.bundle_id != app.bundle_id:
            reason = Text("{f} holds the app {got}, not {want}", "{f} の中身は {want} ではなくアプリ {got} です").format(
                f=Path(source).name, got=info.bundle_id, want=app.bundle_id
            )
            problems.append(_problem(LABEL_APPS, f"ios.apps.install[{i}].bundle_id", reason, "app_bundle_mismatch"))
        elif app.version and info.short_version != app.version:
            reason = Text(
                "{b}: the file is version {got} (CFBundleShortVersionString), the blueprint expects {want}",
                "{b}: ファイルのバージョンは {got}（CFBundleShortVersionString）、ブループリントの指定は {want} です",
            ).format(b=app.bundle_id, got=info.short_version, want=app.version)
            problems.append(_problem(LABEL_APPS, f"ios.apps.install[{i}].version", reason, "app_version_mismatch"))
    return problems


async def ios_preflight(
    blueprint: Blueprint, ctx: PreflightContext, store: IdentityStore, app_cache: Path | None = None
) -> Sequence[Problem]:
    """Every problem of ``blueprint``'s [ios] section that can be seen without a device."""
    opts = blueprint.ios
    if opts is None:
        return []
    problems: list[Problem] = []
    if opts.mdm_server is not None:
        bad = check_url(opts.mdm_server.url)
        if bad is not None:
            problems.append(_problem(LABEL_URL, "ios.mdm_server.url", bad, "mdm_url_invalid"))
    problems += await _identity(blueprint, ctx, store)
    problems += await asyncio.to_thread(_anchors, blueprint)
    problems += await asyncio.to_thread(_profiles, blueprint)
    problems += await asyncio.to_thread(_apps, blueprint, app_cache)
    if opts.wifi is not None and opts.wifi.password_secret and opts.wifi.security != "None":
        got = await _secret(ctx, opts.wifi.password_secret, WIFI_PROMPT.format(s=opts.wifi.ssid))
        if isinstance(got, Text):
            problems.append(_problem(LABEL_WIFI_SECRET, "ios.wifi.password_secret", got, "secret_missing"))
    return problems


__all__ = ["check_url", "ios_preflight"]
