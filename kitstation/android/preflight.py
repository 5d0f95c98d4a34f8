"""What an Android blueprint needs that can be checked without a device, before any install.

The agent APK is fetched once into the adapter's APK cache (:func:`kitstation.android.apk.fetch_agent`,
the same code and cache the install step uses, so the run that follows reads it from the cache);
its SHA-256 must match the pin, its signer certificate must be readable (v3, v2 or v1) and match a
pinned signature checksum, and it must not be signed with v1 only while targeting API 30+, which
every Android 11+ phone refuses. The admin receiver named by the blueprint must be declared in the
APK's manifest as a device-admin receiver (what ``dpm set-device-owner`` needs). Named secrets
(the QR code's Wi-Fi password) must be available, and a [android.kme] profile must have the
name the station records devices under.

The ``[android.apps]`` APKs are fetched into the same cache (each once: a batch never downloads
again) and read as the installer reads them (:func:`kitstation.android.appfiles.check_app`):
pinned SHA-256, one base with splits of its package, versionCode and signer, the blueprint's
package and versionCode, a signature Android 11+ takes, and every permission to grant requested
by the manifest. A package both removed and installed is refused too.

Every problem names the blueprint key and starts with the wizard's label for it, bilingual.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kitstation.android.apk import check_signature, fetch_agent
from kitstation.android.apksig import SDK_V2_REQUIRED
from kitstation.android.appfiles import check_app, fetch_pinned
from kitstation.android.manifest import ManifestError, qualify, read_manifest
from kitstation.blueprints.model import Blueprint
from kitstation.core.preflight import PreflightContext
from kitstation.domain.events import Problem
from kitstation.domain.model import StepError
from kitstation.i18n import Text

# The wizard's labels (kitstation/ui/wizard/android_page.py), in its two languages.
LABEL_URL = Text("Agent APK URL", "エージェント APK の URL")
LABEL_FILE = Text("or agent APK file", "またはエージェント APK ファイル")
LABEL_SHA = Text("APK SHA-256", "APK の SHA-256")
LABEL_ADMIN = Text("Admin receiver", "管理レシーバー")
LABEL_KME = Text("KME profile name", "KME プロファイル名")
LABEL_WIFI_SECRET = Text("Password secret name", "パスワードのシークレット名")

NOT_IN_MANIFEST = Text(
    "{c} is not a device-admin receiver in the APK's manifest (it declares: {have}):"
    " Android would refuse to make it Device Owner",
    "{c} は APK のマニフェストにデバイス管理レシーバーとして宣言されていません（宣言: {have}）:"
    " Android はデバイスオーナーにしません",
)
WRONG_PACKAGE = Text(
    "the APK is the package {got}, the blueprint names {want}",
    "APK のパッケージは {got} ですが、ブループリントの指定は {want} です",
)
MANIFEST_UNREADABLE = Text("the APK's manifest cannot be read ({e})", "APK のマニフェストを読み込めません（{e}）")
KME_MISSING = Text(
    "{k} is empty: devices are recorded for the KME console's profile by this name",
    "{k} が空です: デバイスはこの名前の KME コンソールのプロファイルに登録されます",
)
LABEL_APP = Text("App {p}", "アプリ {p}")
LABEL_REMOVE = Text("Apps to remove", "削除するアプリ")
BOTH_WAYS = Text(
    "{p} is both removed and installed: keep it in one list",
    "{p} は削除とインストールの両方に指定されています: どちらか一方にしてください",
)
LISTED_TWICE = Text(
    "{p} is listed more than once: one [[android.apps.install]] per app (put its splits in its apks)",
    "{p} が複数回指定されています: アプリごとに [[android.apps.install]] は 1 つです（split は apks に入れてください）",
)
REMOVES_OWNER = Text(
    "{p} is the Device Owner agent this blueprint installs: Android refuses to uninstall a Device Owner"
    " (DELETE_FAILED_DEVICE_POLICY_MANAGER)",
    "{p} はこのブループリントがインストールするデバイスオーナーのエージェントです: Android はデバイスオーナーを"
    "アンインストールしません（DELETE_FAILED_DEVICE_POLICY_MANAGER）",
)
WIFI_PROMPT = Text("Wi-Fi password for {s}", "{s} のWi-Fiパスワード")


def _problem(label: Text, key: str, reason: Text, code: str) -> Problem:
    return Problem(key, label + Text(": ", ": ") + reason, code)


async def _agent(blueprint: Blueprint, cache: Path, run: Callable[..., Any]) -> list[Problem]:
    opts = blueprint.android
    assert opts is not None
    agent = opts.agent
    if agent is None:
        return []
    label, key = (LABEL_FILE, "android.agent.file") if agent.file else (LABEL_URL, "android.agent.url")
    try:
        found = await run(fetch_agent, agent, blueprint, cache)
    except StepError as exc:
        if exc.code == "apk_sha256_mismatch":
            label, key = LABEL_SHA, "android.agent.sha256"
        return [_problem(label, key, exc.reason, exc.code)]
    data: bytes = await run(found.path.read_bytes)
    problems: list[Problem] = []
    try:
        # As an Android 11+ phone reads it: a v1-only agent targeting API 30+ is refused there.
        await run(lambda: check_signature(data, device_sdk=SDK_V2_REQUIRED, pinned=agent.signature_checksum))
    except StepError as exc:
        sig_key = "android.agent.signature_checksum" if exc.code == "apk_signature_mismatch" else key
        problems.append(_problem(label, sig_key, exc.reason, exc.code))
    try:
        manifest = await run(read_manifest, data)
    except ManifestError as exc:
        problems.append(_problem(label, key, MANIFEST_UNREADABLE.format(e=str(exc)), "apk_manifest_unreadable"))
        return problems
    if manifest.package != agent.package:
        reason = WRONG_PACKAGE.format(got=manifest.package, want=agent.package)
        problems.append(_problem(label, "android.agent.package", reason, "apk_wrong_package"))
        return problems
    package, _, receiver = agent.admin_receiver.partition("/")
    wanted = qualify(package, receiver)
    if wanted not in manifest.admin_receivers:
        have = ", ".join(manifest.admin_receivers) or "-"
        reason = NOT_IN_MANIFEST.format(c=agent.admin_receiver, have=have)
        problems.append(_problem(LABEL_ADMIN, "android.agent.admin_receiver", reason, "admin_not_in_manifest"))
    return problems


def _kme(blueprint: Blueprint) -> list[Problem]:
    opts = blueprint.android
    assert opts is not None
    kme = opts.kme
    if kme is None:
        return []
    # The station records each device against the console's profile by its name (the rest of the
    # profile lives in the KME console, where the station cannot check it).
    if not kme.profile_name.strip():
        key = "android.kme.profile_name"
        return [_problem(LABEL_KME, key, KME_MISSING.format(k="profile_name"), "kme_field_missing")]
    return []


async def _secrets(blueprint: Blueprint, ctx: PreflightContext) -> list[Problem]:
    opts = blueprint.android
    assert opts is not None
    wifi = opts.qr.wifi if opts.qr is not None else None
    if wifi is None or not wifi.password_secret or wifi.security == "NONE":
        return []
    try:
        await ctx.secrets.get(wifi.password_secret, WIFI_PROMPT.format(s=wifi.ssid))
    except StepError as exc:
        return [_problem(LABEL_WIFI_SECRET, "android.qr.wifi.password_secret", exc.reason, exc.code)]
    return []


async def _apps(blueprint: Blueprint, cache: Path, run: Callable[..., Any]) -> list[Problem]:
    opts = blueprint.android
    assert opts is not None
    apps = opts.apps
    if apps is None:
        return []
    problems: list[Problem] = []
    both = sorted({a.package for a in apps.install} & set(apps.remove))
    if both:
        problems.append(
            _problem(LABEL_REMOVE, "android.apps.remove", BOTH_WAYS.format(p=", ".join(both)), "app_both_ways")
        )
    packages = [a.package for a in apps.install]
    twice = sorted({p for p in packages if packages.count(p) > 1})
    if twice:
        reason = LISTED_TWICE.format(p=", ".join(twice))
        problems.append(_problem(LABEL_APP.format(p=twice[0]), "android.apps.install", reason, "app_listed_twice"))
    if opts.agent is not None and opts.agent.package in apps.remove:
        reason = REMOVES_OWNER.format(p=opts.agent.package)
        problems.append(_problem(LABEL_REMOVE, "android.apps.remove", reason, "app_remove_owner"))
    for i, app in enumerate(apps.install):
        label = LABEL_APP.format(p=app.package)
        prefix = f"android.apps.install[{i}]"
        paths = []
        for j, pinned in enumerate(app.apks):
            try:
                paths.append(await run(fetch_pinned, pinned, blueprint, cache))
            except StepError as exc:
                field = "sha256" if exc.code == "app_sha256_mismatch" else ("file" if pinned.file else "url")
                problems.append(_problem(label, f"{prefix}.apks[{j}].{field}", exc.reason, exc.code))
        if len(paths) != len(app.apks):
            continue
        _files, found = await run(check_app, app, paths)
        problems += [_problem(label, f"{prefix}.{p.key}", p.reason, p.code) for p in found]
    return problems


async def android_preflight(
    blueprint: Blueprint, ctx: PreflightContext, cache: Path, run: Callable[..., Any]
) -> Sequence[Problem]:
    """Every problem of ``blueprint``'s [android] section that can be seen without a device.

    ``run(fn, *args)`` runs blocking code off the event loop (the adapter's executor).
    """
    if blueprint.android is None:
        return []
    return [
        *await _agent(blueprint, cache, run),
        *await _apps(blueprint, cache, run),
        *_kme(blueprint),
        *await _secrets(blueprint, ctx),
    ]


__all__ = ["android_preflight"]
