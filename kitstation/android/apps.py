"""``[android.apps]``: remove packages, install apps (split APKs too), grant runtime permissions, read it all back.

Planned after the Device Owner (the phone is on adb, its owner set) and before the battery gate:

* ``android.apps.remove`` -- ``pm uninstall`` each named package that is there, then ``pm path``
  must find nothing. A package Android will not remove (the Device Owner, a system app) is a
  clear failure, never skipped silently.
* ``android.apps.install.<package>`` (one step per app) -- one APK: pushed and ``pm install -r``;
  a base with splits: one install session (``install-create`` / ``install-write`` per APK /
  ``install-commit``, ``install-abandon`` when a write fails), so Android installs them together
  or not at all. Then ``pm grant`` for each permission, and ``dumpsys package`` must show the
  versionCode, the splits and ``granted=true`` for each; the step's detail records what was read.

Why the session goes over ``exec:`` with the APK streamed (what ``adb install-multiple`` does) and
not a pushed file: Android 8.x's ``cmd package install-write`` refuses a file path ("APK
content must be streamed"), while streaming works on every version, real adbd and the
simulator alike. adbutils has no multi-APK install, so the station
opens the ``exec:`` stream on adbutils' own transport. ``exec:`` carries no exit status: every
answer is read for Android's ``Success`` line.

The station never uninstalls an app to get past a refusal (another signer, a newer version):
that would delete its data. ``check_done`` is honest: the package at the right versionCode with
its splits, the phone's APKs hashing to the pins (pulled back over sync) and every grant is
done; anything less runs the step again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adbutils.errors import AdbError

from kitstation.android.appfiles import AppApk, AppFiles, PackageState, check_app, fetch_pinned, parse_package_dump
from kitstation.android.shell import AdbDeviceIO, adb_errors
from kitstation.android.steps import AndroidRuntime, _android, _Base, _shell
from kitstation.blueprints.apps import AndroidApp, AndroidApps
from kitstation.core.protocols import Plan, StepContext
from kitstation.domain.model import DeviceGone, PermanentError, StepResult, TransientError
from kitstation.i18n import Text

_SUCCESS = re.compile(r"^Success", re.M)
_SESSION_ID = re.compile(r"Success: created install session \[(\d+)\]")
_FAILURE = re.compile(r"Failure \[([A-Z_]+)(?::\s*([^\]]*))?\]")
_CHUNK = 64 * 1024

# Android's install refusal -> (code, what the technician can do), the package named in {p}.
_INSTALL_FAILURES: dict[str, tuple[str, Text]] = {
    "INSTALL_FAILED_VERSION_DOWNGRADE": (
        "app_version_downgrade",
        Text(
            "The phone has a newer build of {p} than the blueprint's: Android does not downgrade an app. Pin the"
            " installed version in the blueprint, or uninstall the app on the phone (Settings > Apps) if its data"
            " may go",
            "端末にはブループリントより新しい {p} がインストールされています: Android はアプリをダウングレードしません。"
            "ブループリントでそのバージョンを指定するか、データを消してよければ端末でアンインストールしてください（設定 > アプリ）",
        ),
    ),
    "INSTALL_FAILED_UPDATE_INCOMPATIBLE": (
        "app_signature_conflict",
        Text(
            "{p} is installed signed by another key: Android updates an app only with its signer's builds. The station"
            " does not uninstall it (its data would go): uninstall it on the phone (Settings > Apps) or get the build"
            " signed by the same key",
            "{p} は別の鍵で署名されたものがインストール済みです: Android は同じ署名者のビルドでしか更新しません。"
            "データが消えるためステーションはアンインストールしません: 端末でアンインストールするか（設定 > アプリ）、同じ鍵で署名されたビルドを入手してください",
        ),
    ),
    "INSTALL_FAILED_MISSING_SPLIT": (
        "app_missing_split",
        Text(
            "{p} needs split APKs the blueprint does not list: add every split of the app (base and config APKs)",
            "{p} にはブループリントにない split APK が必要です: アプリのすべての split（ベースと config APK）を追加してください",
        ),
    ),
    "INSTALL_FAILED_INVALID_APK": (
        "app_invalid_apk",
        Text(
            "The APKs of {p} do not belong together: one base APK and splits of the same package, versionCode and signer",
            "{p} の APK の組み合わせが正しくありません: 同じパッケージ・versionCode・署名者のベース APK 1 つと split です",
        ),
    ),
    "INSTALL_FAILED_INSUFFICIENT_STORAGE": (
        "app_no_storage",
        Text(
            "Not enough storage on the phone to install {p}: free some space and redo the phone",
            "{p} をインストールする空き容量が端末にありません: 空き容量を増やしてからやり直してください",
        ),
    ),
    "INSTALL_FAILED_OLDER_SDK": (
        "app_older_sdk",
        Text(
            "{p} needs a newer Android version than this phone has", "{p} はこの端末より新しい Android を必要とします"
        ),
    ),
    "INSTALL_PARSE_FAILED_NO_CERTIFICATES": (
        "app_signature_invalid",
        Text(
            "Android could not verify the signature of {p} (unsigned, altered after signing, or v1-only on Android 11+):"
            " get the vendor's original build signed with APK Signature Scheme v2 or v3",
            "Android が {p} の署名を検証できませんでした（署名なし、署名後の改変、または Android 11 以降での v1 のみ）:"
            " APK 署名スキーム v2 または v3 で署名されたベンダーのオリジナルのビルドを入手してください",
        ),
    ),
}

_GRANT_FAILURES: tuple[tuple[re.Pattern[str], str, Text], ...] = (
    (
        re.compile(r"is not a changeable permission type"),
        "app_permission_not_runtime",
        Text(
            "{perm} is not a runtime permission: Android grants normal permissions when {p} is installed and never"
            " grants signature permissions to adb. Remove it from grant",
            "{perm} は実行時の権限ではありません: 通常の権限は {p} のインストール時に付与され、署名の権限は adb では付与されません。"
            "grant から削除してください",
        ),
    ),
    (
        re.compile(r"has not requested permission"),
        "app_permission_not_requested",
        Text(
            "{p} does not request {perm} in its manifest: Android grants only permissions an app requests",
            "{p} はマニフェストで {perm} を要求していません: Android はアプリが要求する権限のみ付与します",
        ),
    ),
    (
        re.compile(r"Unknown permission"),
        "app_permission_unknown",
        Text(
            "This phone's Android does not know the permission {perm} (a newer Android's, or misspelt)",
            "この端末の Android は権限 {perm} を知りません（新しい Android の権限か、綴りの誤り）",
        ),
    ),
)


def install_failure(output: str, package: str) -> PermanentError:
    """The bilingual error for Android's ``Failure [CODE: message]`` (Android's own words appended)."""
    m = _FAILURE.search(output)
    code = m.group(1) if m else ""
    text = _INSTALL_FAILURES.get(
        code, ("app_install_failed", Text("Installing {p} failed", "{p} のインストールに失敗しました"))
    )
    android = (m.group(0) if m else output.strip()[:300]) or "no answer"
    return PermanentError(
        text[1].format(p=package) + Text(" ({a})", "（{a}）").format(a=android),
        code=text[0],
        detail={"android": android[:300]},
    )


def grant_failure(output: str, package: str, perm: str) -> PermanentError:
    for pattern, code, text in _GRANT_FAILURES:
        if pattern.search(output):
            return PermanentError(text.format(p=package, perm=perm), code=code, detail={"permission": perm})
    line = next((ln for ln in output.splitlines() if "Exception:" in ln), output.strip()[:200])
    return PermanentError(
        Text("Granting {perm} to {p} failed: {m}", "{p} への {perm} の付与に失敗しました: {m}").format(
            perm=perm, p=package, m=line
        ),
        code="app_grant_failed",
        detail={"permission": perm},
    )


# --- blocking adb work (executor) ---------------------------------------------------------------------
def package_state(d: AdbDeviceIO, package: str) -> PackageState | None:
    return parse_package_dump(d.shell(["dumpsys", "package", package]).out, package)


def installed_sha256(d: AdbDeviceIO, package: str) -> dict[str | None, str]:
    """SHA-256 of each APK the phone holds for ``package`` (None: the base), read with ``pm path`` + sync.

    Android keeps an installed APK byte for byte (``/data/app/…/base.apk``, ``split_NAME.apk``,
    readable by the shell), so this tells the pinned build from another one with the same versionCode.
    """
    r = d.shell(["pm", "path", package])
    paths = [ln[len("package:") :].strip() for ln in r.out.splitlines() if ln.startswith("package:")]

    def digest(path: str) -> str:
        h = hashlib.sha256()
        for chunk in d.device.sync.iter_content(path):
            h.update(chunk)
        return h.hexdigest()

    out: dict[str | None, str] = {}
    for path in paths:
        name = posixpath.basename(path)
        key = name[len("split_") : -len(".apk")] if name.startswith("split_") and name.endswith(".apk") else None
        out[key] = adb_errors(functools.partial(digest, path), d.serial)
    return out


def _same_build(d: AdbDeviceIO, files: AppFiles) -> bool:
    return installed_sha256(d, files.package) == {a.split: a.sha256 for a in files.apks}


def _exec(d: AdbDeviceIO, command: str, payload: Path | None = None) -> str:
    """``exec:COMMAND`` on the device, ``payload`` streamed as its stdin; its whole output."""

    def call() -> str:
        c = d.device.open_transport(timeout=120)
        try:
            c.send_command("exec:" + command)
            c.check_okay()
            if payload is not None:
                with payload.open("rb") as fh:
                    for chunk in iter(lambda: fh.read(_CHUNK), b""):
                        c.conn.sendall(chunk)
            out = c.read_until_close()
            assert isinstance(out, str)
            return out
        finally:
            c.close()

    out = adb_errors(call, d.serial)
    if not out.strip():
        _no_answer(d)
    return out


def _no_answer(d: AdbDeviceIO) -> None:
    """The stream ended without Android's answer (pm always prints one): the connection dropped.

    Gone from adb: the pipeline resumes on re-plug. Back already (a quick re-seat): a transient
    error, retried -- the step looks at the phone again before it installs anything.
    """
    if not _online(d):
        raise DeviceGone()
    raise TransientError(
        Text(
            "The phone's package manager did not answer (connection dropped)",
            "端末のパッケージマネージャーが応答しませんでした（接続の切断）",
        ),
        code="app_no_answer",
    )


def _online(d: AdbDeviceIO) -> bool:
    try:
        return bool(d.device.get_state() == "device")
    except (AdbError, OSError, EOFError):
        return False


def _pm_prefix(d: AdbDeviceIO) -> str:
    # adb itself uses `cmd package` when adbd offers the "cmd" feature (Android 7+), else `pm`.
    features = adb_errors(d.device.get_features, d.serial)
    return "cmd package" if "cmd" in features.split(",") else "pm"


def install_session(d: AdbDeviceIO, files: AppFiles) -> str:
    """Base and splits in one session; Android's ``Success`` or a PermanentError (the session abandoned)."""
    pm = _pm_prefix(d)
    total = sum(a.path.stat().st_size for a in files.apks)
    created = _exec(d, f"{pm} install-create -r -S {total}")
    m = _SESSION_ID.search(created)
    if m is None:
        raise install_failure(created, files.package)
    session = m.group(1)
    committed = False
    try:
        for j, apk in enumerate(files.apks):
            size = apk.path.stat().st_size
            written = _exec(
                d,
                f"{pm} install-write -S {size} {session} {j}_{'base' if apk.split is None else 'split'}.apk -",
                apk.path,
            )
            if f"Success: streamed {size} bytes" not in written:
                raise install_failure(written, files.package)
        result = _exec(d, f"{pm} install-commit {session}")
        committed = True  # a commit ends the session whatever it answers
        if not _SUCCESS.search(result):
            raise install_failure(result, files.package)
        return result.strip()
    finally:
        if not committed:
            with contextlib.suppress(DeviceGone, TransientError, PermanentError):
                _exec(d, f"{pm} install-abandon {session}")


def install_single(d: AdbDeviceIO, apk: AppApk, package: str) -> str:
    """One APK: pushed to /data/local/tmp, its size checked, ``pm install -r``, removed again."""
    remote = f"/data/local/tmp/kitstation-app-{apk.sha256[:16]}.apk"
    size = apk.path.stat().st_size

    def push() -> int:
        d.device.sync.push(str(apk.path), remote, mode=0o644)
        return int(d.device.sync.stat(remote).size)

    pushed = adb_errors(push, d.serial)
    if pushed != size:
        raise TransientError(
            Text(
                "The APK of {p} reached the phone incomplete ({got} of {size} bytes)",
                "{p} の APK が端末に完全に転送されませんでした（{size} バイト中 {got} バイト）",
            ).format(p=package, got=pushed, size=size),
            code="app_push_incomplete",
        )
    r = d.shell(["pm", "install", "-r", remote], timeout=300)
    if not r.text.strip():
        _no_answer(d)
    with contextlib.suppress(DeviceGone, TransientError):
        d.shell(["rm", "-f", remote])
    if not _SUCCESS.search(r.out):
        raise install_failure(r.text, package)
    return r.out.strip()


def _path(d: AdbDeviceIO, package: str) -> str | None:
    return d.package_path(package)


# --- steps ----------------------------------------------------------------------------------------------
def _apps(ctx: StepContext) -> AndroidApps:
    apps = _android(ctx).apps
    assert apps is not None
    return apps


class RemoveAppsStep(_Base):
    id = "android.apps.remove"
    title = Text("Remove apps", "アプリを削除")

    async def run(self, ctx: StepContext) -> StepResult:
        removed: list[str] = []
        absent: list[str] = []
        for pkg in _apps(ctx).remove:
            if await self.rt.io(ctx, functools.partial(_path, package=pkg)) is None:
                absent.append(pkg)  # not on this phone: nothing to remove
                continue
            r = await self.rt.io(ctx, functools.partial(_shell, cmd=["pm", "uninstall", pkg]))
            still = await self.rt.io(ctx, functools.partial(_path, package=pkg))
            if still is not None or "Success" not in r.out:
                owner = "DEVICE_POLICY_MANAGER" in r.text
                raise PermanentError(
                    Text(
                        "Android did not remove {p} ({a}){why}",
                        "Android は {p} を削除しませんでした（{a}）{why_ja}",
                    ).format(
                        p=pkg,
                        a=r.text.strip()[:200] or "no answer",
                        why=": it is the Device Owner"
                        if owner
                        else ": a system app can only be disabled (disable_packages)",
                        why_ja=": デバイスオーナーです"
                        if owner
                        else ": システムアプリは無効化のみ可能です（disable_packages）",
                    ),
                    code="app_remove_failed",
                    detail={"package": pkg},
                )
            removed.append(pkg)
        return StepResult.ok(
            Text.count(len(removed), "{n} app removed (read back)", "{n} apps removed (read back)",
                       "{n} 個のアプリを削除しました（読み戻し済み）"),
            detail={"removed": removed, "not_installed": absent},
        )

    async def check_done(self, ctx: StepContext) -> bool | None:
        for pkg in _apps(ctx).remove:
            if await self.rt.io(ctx, functools.partial(_path, package=pkg)) is not None:
                return False
        return True


async def app_files(rt: AndroidRuntime, ctx: StepContext, app: AndroidApp) -> AppFiles:
    """The app's checked APKs: from this run's scratch, else the cache (filled by preflight)."""
    key = f"app_files:{app.package}"
    found = ctx.scratch.get(key)
    if isinstance(found, AppFiles) and all(a.path.is_file() for a in found.apks):
        return found
    async with ctx.limit("apk_download"):
        paths = [await rt.run(fetch_pinned, pf, ctx.blueprint, rt.apk_cache) for pf in app.apks]
    files, problems = await rt.run(check_app, app, paths)
    if files is None:
        first = problems[0]
        raise PermanentError(first.reason, code=first.code, detail={"key": first.key})
    ctx.scratch[key] = files
    return files


def _complete(state: PackageState | None, files: AppFiles, grants: list[str]) -> bool:
    return (
        state is not None
        and state.version_code == files.version_code
        and set(files.splits) <= set(state.splits)
        and all(state.runtime.get(p) is True for p in grants)
    )


@dataclass
class InstallAppStep(_Base):
    package: str = ""

    def __post_init__(self) -> None:
        self.id = f"android.apps.install.{self.package}"
        self.title = Text("Install {p}", "{p} をインストール").format(p=self.package)

    def _app(self, ctx: StepContext) -> AndroidApp:
        return next(a for a in _apps(ctx).install if a.package == self.package)

    async def run(self, ctx: StepContext) -> StepResult:
        app = self._app(ctx)
        files = await app_files(self.rt, ctx, app)
        before = await self.rt.io(ctx, lambda d: package_state(d, app.package))
        installed = False
        there = _complete(before, files, [])
        if not there or not await self.rt.io(ctx, lambda d: _same_build(d, files)):
            # Not there, or another build with the same versionCode: install the pinned one.
            ctx.progress(None, Text("Installing {p}", "{p} をインストール中").format(p=app.package))
            async with ctx.limit("install"):
                if len(files.apks) == 1:
                    await self.rt.io(ctx, lambda d: install_single(d, files.apks[0], app.package))
                else:
                    await self.rt.io(ctx, lambda d: install_session(d, files))
            installed = True
        state = await self.rt.io(ctx, lambda d: package_state(d, app.package))
        if state is None or state.version_code != files.version_code or not set(files.splits) <= set(state.splits):
            raise PermanentError(
                Text(
                    "After installing, the phone shows {got} for {p}, not versionCode {want} with splits {s}",
                    "インストール後、端末の {p} は {got} で、versionCode {want}・split {s} ではありません",
                ).format(
                    p=app.package,
                    got=f"versionCode {state.version_code}, splits {list(state.splits)}" if state else "nothing",
                    want=files.version_code,
                    s=list(files.splits),
                ),
                code="app_install_unverified",
            )
        if not await self.rt.io(ctx, lambda d: _same_build(d, files)):
            raise PermanentError(
                Text(
                    "The phone holds other APKs for {p} than the pinned ones (SHA-256 read back from the phone)",
                    "端末の {p} の APK が指定のもの（SHA-256、端末から読み戻し）と異なります",
                ).format(p=app.package),
                code="app_install_unverified",
            )
        for perm in app.grant:
            if state.runtime.get(perm) is True:
                continue
            r = await self.rt.io(ctx, functools.partial(_shell, cmd=["pm", "grant", app.package, perm]))
            if r.code != 0 or "Exception" in r.text:
                raise grant_failure(r.text, app.package, perm)
        state = await self.rt.io(ctx, lambda d: package_state(d, app.package))
        missing = [p for p in app.grant if state is None or state.runtime.get(p) is not True]
        if state is None or missing:
            raise PermanentError(
                Text(
                    "The phone does not show {perm} granted to {p} after pm grant",
                    "pm grant の後も端末で {p} に {perm} が付与されていません",
                ).format(perm=", ".join(missing), p=app.package),
                code="app_grant_unverified",
            )
        detail: dict[str, Any] = {
            "package": app.package,
            "version_code": state.version_code,
            "splits": list(state.splits),
            "granted": {p: state.runtime.get(p) is True for p in app.grant},
            "sha256": [a.sha256 for a in files.apks],  # read back from the phone, equal to the pins
            "installed": installed,
        }
        return StepResult.ok(
            Text.count(
                len(app.grant),
                "{p} versionCode {v} installed, {n} permission granted (read back)",
                "{p} versionCode {v} installed, {n} permissions granted (read back)",
                "{p} versionCode {v} をインストールし、{n} 件の権限を付与しました（読み戻し済み）",
                p=app.package,
                v=state.version_code,
            ),
            detail=detail,
        )

    async def check_done(self, ctx: StepContext) -> bool | None:
        app = self._app(ctx)
        files = await app_files(self.rt, ctx, app)
        state = await self.rt.io(ctx, lambda d: package_state(d, app.package))
        return _complete(state, files, app.grant) and await self.rt.io(ctx, lambda d: _same_build(d, files))


def plan_apps(rt: AndroidRuntime, apps: AndroidApps | None) -> Plan:
    """Remove first (a package being replaced by another must go), then one step per app."""
    if apps is None:
        return []
    steps: Plan = [RemoveAppsStep(rt)] if apps.remove else []
    steps += [InstallAppStep(rt, package=a.package) for a in apps.install]
    return steps


__all__ = ["InstallAppStep", "RemoveAppsStep", "grant_failure", "install_failure", "plan_apps"]
