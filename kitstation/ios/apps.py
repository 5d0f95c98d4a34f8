"""Apps after Prepare (``[ios.apps]``): remove named apps, install or upgrade each pinned ``.ipa``, verify.

Over pymobiledevice3's own clients: the ``.ipa`` is staged with ``AfcService`` in
``PublicStaging`` (upload progress is the first half of the step's progress bar) and installed with
the installation proxy's ``Install``/``Upgrade`` (installd's ``PercentComplete``, the second half); the
staged file is removed afterwards. The device is then asked again (``Lookup``): the step is done
only when the bundle id is there with the file's ``CFBundleShortVersionString`` and
``CFBundleVersion``; bundle id and versions go into the step's detail.

``check_done`` looks at the device: an app already at the file's version is done (a resumed run,
or a device that had it), anything else is not. A device holding a *newer* build is refused before
anything is sent (the station never downgrades an app; its data belongs to the newer build).
installd's refusals come back with their own names and become bilingual reasons
(:func:`install_failure`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pymobiledevice3.exceptions import AfcException, AppInstallError, ConnectionTerminatedError
from pymobiledevice3.services.afc import AfcService
from pymobiledevice3.services.installation_proxy import InstallationProxyService

from kitstation.blueprints.apps import IOSApp, IOSApps
from kitstation.core.protocols import StepContext
from kitstation.domain.model import PermanentError, StepResult, TransientError, UserActionRequired
from kitstation.i18n import Text
from kitstation.ios.ipa import IpaInfo, pinned_path, read_ipa_info, version_key
from kitstation.ios.lockdown import StationLockdownClient
from kitstation.ios.stepbase import IOSStep, _opts, _udid

STAGING = "PublicStaging"
CHUNK = 1024 * 1024
AFC_NO_SPACE_LEFT = 18
LOOKUP_ATTRIBUTES = ["CFBundleIdentifier", "CFBundleShortVersionString", "CFBundleVersion", "ApplicationType"]

_FAILURES: dict[str, tuple[str, Text]] = {
    "ApplicationVerificationFailed": (
        "app_not_provisioned",
        Text(
            "the device refused the app's signature: its provisioning profile does not include this device"
            " (UDID {udid}). Add the UDID to the profile and re-sign, or use an enterprise build",
            "デバイスがアプリの署名を拒否しました: プロビジョニングプロファイルにこのデバイス（UDID {udid}）が"
            "含まれていません。UDID を追加して再署名するか、エンタープライズ版を使ってください",
        ),
    ),
    "DeviceFamilyNotSupported": (
        "app_wrong_device_family",
        Text(
            "the app does not support this kind of device ({cls}): check UIDeviceFamily of the build",
            "アプリはこの種類のデバイス（{cls}）に対応していません: ビルドの UIDeviceFamily を確認してください",
        ),
    ),
    "IncorrectArchitecture": (
        "app_wrong_architecture",
        Text(
            "the app is built for another processor architecture than this device's",
            "アプリはこのデバイスとは別のプロセッサアーキテクチャ向けにビルドされています",
        ),
    ),
    "DeviceOSVersionTooLow": (
        "app_os_too_old",
        Text(
            "the app needs a newer iOS than this device runs (iOS {os}): update the device or use an older build",
            "アプリにはこのデバイス（iOS {os}）より新しい iOS が必要です: デバイスを更新するか古いビルドを使ってください",
        ),
    ),
}


def install_failure(exc: AppInstallError, ctx: StepContext, bundle_id: str) -> PermanentError:
    """installd's refusal (``<Error>: <ErrorDescription>``) in the bench's words."""
    text = str(exc)
    name = text.split(":", 1)[0].strip()
    facts = {"udid": _udid(ctx), "cls": ctx.device.facts.get("device_class") or "?", "os": ctx.device.os_version}
    if name in _FAILURES:
        code, template = _FAILURES[name]
        reason = template.format(**facts)
    else:
        # The device's own words, never used as a template (they may hold braces).
        code = "app_install_failed"
        reason = Text("the device refused the install: {e}", "デバイスがインストールを拒否しました: {e}").format(
            e=text[:300] or "no answer"
        )
    head = Text("{b}: ", "{b}: ").format(b=bundle_id)
    return PermanentError(head + reason, code=code, detail={"device_error": text[:500]})


def _matches(found: dict[str, Any] | None, info: IpaInfo) -> bool:
    return (
        found is not None
        and found.get("CFBundleShortVersionString") == info.short_version
        and str(found.get("CFBundleVersion", "")) == info.bundle_version
    )


def _detail(info: IpaInfo, sha256: str, action: str) -> dict[str, Any]:
    return {
        "bundle_id": info.bundle_id,
        "version": info.short_version,
        "bundle_version": info.bundle_version,
        "sha256": sha256,
        "action": action,
    }


async def installd_command(
    ip: InstallationProxyService, request: dict[str, Any], on_progress: Callable[[int, str], None] | None = None
) -> None:
    """Send one command and follow installd's answers to ``Complete`` (what pymobiledevice3's
    ``_watch_completion`` reads, without its terminal progress bar: the bench shows progress itself)."""
    await ip.service.send_plist(request)
    while True:
        answer = await ip.service.recv_plist()
        if not answer:
            raise ConnectionTerminatedError("installation_proxy closed the connection")
        error, text = answer.get("Error"), answer.get("ErrorDescription", "")
        if error:
            raise AppInstallError(f"{error!s}: {text!s}" if isinstance(error, str) else f"{error!r}: {text!r}")
        status = answer.get("Status")
        percent = answer.get("PercentComplete")
        if on_progress is not None and isinstance(percent, int | float):
            on_progress(int(percent), str(status or ""))
        if status == "Complete":
            return


async def lookup(ld: StationLockdownClient, bundle_ids: list[str]) -> dict[str, dict[str, Any]]:
    """installd's records of those apps that are installed (user or system), by bundle id."""
    async with InstallationProxyService(lockdown=ld) as ip:
        options = {"ApplicationType": "Any", "BundleIDs": bundle_ids, "ReturnAttributes": LOOKUP_ATTRIBUTES}
        found = await ip.lookup(options)
    return {k: v for k, v in (found or {}).items() if k in bundle_ids and isinstance(v, dict)}


@dataclass
class RemoveAppsStep(IOSStep):
    """Uninstall the blueprint's ``remove`` list (apps not on the device are fine) and check they are gone."""

    id: str = "ios.apps.remove"
    title: Text = Text("Remove apps", "アプリを削除")

    def _targets(self, ctx: StepContext) -> list[str]:
        apps = _opts(ctx).apps
        return list(apps.remove) if apps is not None else []

    async def _run(self, ctx: StepContext) -> StepResult:
        targets = self._targets(ctx)
        udid = _udid(ctx)
        async with self.connector.guard(udid):
            ld = await self.connector.lockdown(udid)
            try:
                present = await lookup(ld, targets)
                for n, bundle_id in enumerate(present, start=1):
                    ctx.progress(n / (len(present) + 1), Text("Removing {b}", "{b} を削除中").format(b=bundle_id))
                    async with InstallationProxyService(lockdown=ld) as ip:
                        try:
                            request = {"Command": "Uninstall", "ApplicationIdentifier": bundle_id, "ClientOptions": {}}
                            await installd_command(ip, request)
                        except AppInstallError as exc:
                            raise install_failure(exc, ctx, bundle_id) from None
                left = await lookup(ld, targets)
            finally:
                await ld.close()
        if left:
            raise PermanentError(
                Text("Still on the device after removal: {b}", "削除後もデバイスに残っています: {b}").format(
                    b=", ".join(sorted(left))
                ),
                code="app_still_installed",
            )
        return StepResult.ok(
            Text.count(len(present), "Removed {n} app", "Removed {n} apps", "{n} 個のアプリを削除しました"),
            detail={"removed": sorted(present), "absent": sorted(set(targets) - set(present))},
        )

    async def check_done(self, ctx: StepContext) -> bool | None:
        udid = _udid(ctx)
        try:
            async with self.connector.guard(udid):
                ld = await self.connector.lockdown(udid)
                try:
                    return not await lookup(ld, self._targets(ctx))
                finally:
                    await ld.close()
        except (TransientError, UserActionRequired):
            return None


@dataclass
class InstallAppStep(IOSStep):
    """Install (or upgrade to) one pinned ``.ipa`` and read it back from the device."""

    app: IOSApp | None = None
    cache: Path | None = None  # where url files are kept (default: <data dir>/app-cache)
    _loaded: tuple[Path, IpaInfo] | None = field(default=None, repr=False)

    async def _file(self, ctx: StepContext) -> tuple[Path, IpaInfo]:
        # The verified copy in the app cache (a url file is there since preflight), checked once per run.
        if self._loaded is None:
            assert self.app is not None
            path, source = await asyncio.to_thread(pinned_path, self.app, ctx.blueprint, self.cache)
            info = await asyncio.to_thread(read_ipa_info, path, Path(source).name)
            if info.bundle_id != self.app.bundle_id:
                raise PermanentError(
                    Text("{f} holds {got}, not {want}", "{f} の中身は {want} ではなく {got} です").format(
                        f=Path(source).name, got=info.bundle_id, want=self.app.bundle_id
                    ),
                    code="app_bundle_mismatch",
                )
            if self.app.version and info.short_version != self.app.version:
                raise PermanentError(
                    Text(
                        "{b}: the file is version {got}, the blueprint expects {want}",
                        "{b}: ファイルのバージョンは {got}、ブループリントの指定は {want} です",
                    ).format(b=info.bundle_id, got=info.short_version, want=self.app.version),
                    code="app_version_mismatch",
                )
            self._loaded = (path, info)
        return self._loaded

    async def _run(self, ctx: StepContext) -> StepResult:
        path, info = await self._file(ctx)
        assert self.app is not None
        sha256 = self.app.sha256
        udid = _udid(ctx)
        async with self.connector.guard(udid):
            ld = await self.connector.lockdown(udid)
            try:
                current = (await lookup(ld, [info.bundle_id])).get(info.bundle_id)
                if _matches(current, info):
                    return StepResult.ok(
                        Text("Already installed", "インストール済みです"), detail=_detail(info, sha256, "already")
                    )
                if current is not None and version_key(str(current.get("CFBundleVersion", ""))) > version_key(
                    info.bundle_version
                ):
                    raise PermanentError(
                        Text(
                            "{b}: the device has a newer build ({have}) than the blueprint's ({want}); the station"
                            " does not downgrade apps. Erase the device or pin the newer build",
                            "{b}: デバイスにはブループリント（{want}）より新しいビルド（{have}）があります。"
                            "ステーションはアプリをダウングレードしません。デバイスを消去するか新しいビルドを指定してください",
                        ).format(b=info.bundle_id, have=current.get("CFBundleVersion"), want=info.bundle_version),
                        code="app_downgrade",
                    )
                # One of the bench's K install places (--limit install=K): copies share the USB bus.
                async with ctx.limit("install"):
                    await self._install(ctx, ld, path, sha256, info, "Upgrade" if current is not None else "Install")
                after = (await lookup(ld, [info.bundle_id])).get(info.bundle_id)
            finally:
                with contextlib.suppress(Exception):
                    await ld.close()
        if not _matches(after, info):
            raise PermanentError(
                Text(
                    "{b} {v} is not on the device after the install (the device reports {got})",
                    "インストール後、デバイスに {b} {v} がありません（デバイスの報告: {got}）",
                ).format(
                    b=info.bundle_id,
                    v=info.short_version,
                    got=after.get("CFBundleShortVersionString", "?") if after else "none",
                ),
                code="app_not_installed",
            )
        return StepResult.ok(detail=_detail(info, sha256, "upgraded" if current is not None else "installed"))

    async def _install(
        self, ctx: StepContext, ld: StationLockdownClient, path: Path, sha256: str, info: IpaInfo, command: str
    ) -> None:
        remote = f"{STAGING}/kitstation-{sha256[:16]}.ipa"
        uploading = Text("Copying {a} to the device", "{a} をデバイスへ転送中").format(a=info.app)
        installing = Text("Installing {a}", "{a} をインストール中").format(a=info.app)
        async with AfcService(ld) as afc:
            try:
                await afc.makedirs(STAGING)
                handle = await afc.fopen(remote, "w")
                try:
                    sent = await self._upload(ctx, afc, handle, path, uploading)
                finally:
                    await afc.fclose(handle)
            except AfcException as exc:
                if exc.status == AFC_NO_SPACE_LEFT:
                    raise PermanentError(
                        Text(
                            "{b}: the device has no free space for the app",
                            "{b}: デバイスにアプリ用の空き容量がありません",
                        ).format(b=info.bundle_id),
                        code="app_no_space",
                    ) from None
                raise TransientError(
                    Text(
                        "Copying the app to the device failed: {e}", "アプリのデバイスへの転送に失敗しました: {e}"
                    ).format(e=str(exc)[:200]),
                    code="app_upload_failed",
                ) from None
            try:
                if sent != sha256:
                    raise PermanentError(
                        Text(
                            "{b}: the cached file changed while it was copied (SHA-256 {got}…): nothing was installed",
                            "{b}: キャッシュのファイルが転送中に変わりました（SHA-256 {got}…）: インストールしていません",
                        ).format(b=info.bundle_id, got=sent[:16]),
                        code="app_sha256_mismatch",
                    )
                async with InstallationProxyService(lockdown=ld) as ip:

                    def step_progress(percent: int, _stage: str) -> None:
                        ctx.progress(0.5 + percent / 200.0, installing)

                    ctx.progress(0.5, installing)
                    request = {"Command": command, "ClientOptions": {}, "PackagePath": remote}
                    await installd_command(ip, request, step_progress)
            except AppInstallError as exc:
                raise install_failure(exc, ctx, info.bundle_id) from None
            finally:
                with contextlib.suppress(Exception):
                    await afc.rm_single(remote, force=True)

    @staticmethod
    async def _upload(ctx: StepContext, afc: AfcService, handle: int, path: Path, note: Text) -> str:
        """Stream the file to the open AFC handle in 1 MB writes; the SHA-256 of what was sent."""
        digest = hashlib.sha256()
        total = max(1, path.stat().st_size)
        done = 0
        with path.open("rb") as fh:
            while chunk := await asyncio.to_thread(fh.read, CHUNK):
                digest.update(chunk)
                await afc.fwrite(handle, chunk)
                done += len(chunk)
                ctx.progress(0.5 * done / total, note)
        return digest.hexdigest()

    async def check_done(self, ctx: StepContext) -> bool | None:
        try:
            _path, info = await self._file(ctx)
        except PermanentError:
            return False  # the run itself will say why the file cannot be used
        udid = _udid(ctx)
        try:
            async with self.connector.guard(udid):
                ld = await self.connector.lockdown(udid)
                try:
                    return _matches((await lookup(ld, [info.bundle_id])).get(info.bundle_id), info)
                finally:
                    await ld.close()
        except (TransientError, UserActionRequired):
            return None


def app_steps(make: Callable[..., IOSStep], apps: IOSApps | None, cache: Path | None = None) -> list[IOSStep]:
    """The steps of an ``[ios.apps]`` section, removals first; ``make(cls, **kw)`` builds a step."""
    steps: list[IOSStep] = []
    if apps is None:
        return steps
    if apps.remove:
        steps.append(make(RemoveAppsStep))
    for app in apps.install:
        title = Text("Install {b}", "{b} をインストール").format(b=app.bundle_id)
        steps.append(make(InstallAppStep, id=f"ios.app.{app.bundle_id}", title=title, app=app, cache=cache))
    return steps
