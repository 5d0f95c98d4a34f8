"""The Android kitting steps (ids ``android.*``, stable: they are stored in the log and resumed).

``device_owner`` (USB debugging on): fetch the agent APK -> install it -> make it Device Owner ->
verify -> settings -> disable packages. ``kme``: record the device for the KME upload (the KME
console's upload/approve/assign happen outside the station), or see that its agent is Device
Owner already. ``qr``: check the provisioning payload and hand over to the QR code on screen.

Each step's blocking adb work runs in the adapter's executor. Every step is a
:class:`~kitstation.core.protocols.BaseStep` and idempotent: the install and Device Owner steps
look at the device after an interruption (``check_done``); the others keep the default ``None``
(unknown), so the pipeline runs them again, which is safe (fetch, verify, settings and
disable-package are all "make it so" operations).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import adbutils

from kitstation.android.apk import AgentFile, fetch_agent
from kitstation.android.shell import AdbDeviceIO, Shell, dpm_refusal, normalise_component
from kitstation.blueprints.android import AndroidOptions
from kitstation.core.protocols import BaseStep, Plan, StepContext
from kitstation.domain.handoff import HANDOFF_KEY, HandoffState
from kitstation.domain.model import PermanentError, StepResult
from kitstation.i18n import Text

T = TypeVar("T")


@dataclass
class AndroidRuntime:
    """What steps share with their adapter: the adb client, the executor and the APK cache."""

    client_factory: Callable[[], adbutils.AdbClient]
    executor: Executor
    apk_cache: Path

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, functools.partial(fn, *args))

    async def io(self, ctx: StepContext, fn: Callable[[AdbDeviceIO], T]) -> T:
        serial = ctx.device.connection_id

        def call() -> T:
            return fn(AdbDeviceIO(self.client_factory(), serial))

        return await self.run(call)


def _shell(d: AdbDeviceIO, cmd: list[str]) -> Shell:
    return d.shell(cmd)


def _android(ctx: StepContext) -> AndroidOptions:
    assert ctx.blueprint.android is not None
    return ctx.blueprint.android


@dataclass
class _Base(BaseStep):
    """An Android step: the shared runtime; ``idempotent`` and ``check_done`` from ``BaseStep``."""

    rt: AndroidRuntime


class FetchAgentStep(_Base):
    id = "android.agent.fetch"
    title = Text("Fetch the MDM agent APK", "MDM エージェント APK を取得")

    async def run(self, ctx: StepContext) -> StepResult:
        agent_file = await agent_for(self.rt, ctx)
        return StepResult.ok(
            Text("Agent APK ready (SHA-256 {h})", "エージェント APK を準備しました（SHA-256 {h}）").format(
                h=agent_file.sha256[:16]
            ),
            detail={"sha256": agent_file.sha256, "source": agent_file.source},
        )


async def agent_for(rt: AndroidRuntime, ctx: StepContext) -> AgentFile:
    """The agent APK for this run: from scratch (same process) or the cache (after a restart)."""
    found = ctx.scratch.get("agent_file")
    if isinstance(found, AgentFile) and found.path.is_file():
        return found
    agent = _android(ctx).agent
    assert agent is not None
    async with ctx.limit("apk_download"):
        agent_file = await rt.run(fetch_agent, agent, ctx.blueprint, rt.apk_cache)
    ctx.scratch["agent_file"] = agent_file
    return agent_file


class InstallAgentStep(_Base):
    id = "android.agent.install"
    title = Text("Install the MDM agent", "MDM エージェントをインストール")

    async def run(self, ctx: StepContext) -> StepResult:
        agent = _android(ctx).agent
        assert agent is not None
        agent_file = await agent_for(self.rt, ctx)
        ctx.progress(None, Text("Installing {p}", "{p} をインストール中").format(p=agent.package))
        async with ctx.limit("install"):
            await self.rt.io(ctx, lambda d: d.install(str(agent_file.path), agent_file.sha256))
        # Ask the package manager itself whether the package is there now.
        path = await self.rt.io(ctx, lambda d: d.package_path(agent.package))
        if path is None:
            raise PermanentError(
                Text(
                    "The agent {p} is not on the device after installing it (pm path finds nothing): check the APK's package name",
                    "インストール後に端末にエージェント {p} がありません（pm path で見つかりません）: APK のパッケージ名を確認してください",
                ).format(p=agent.package),
                code="install_unverified",
            )
        return StepResult.ok(
            Text("Installed {p}", "{p} をインストールしました").format(p=agent.package),
            detail={"package": agent.package, "path": path, "sha256": agent_file.sha256},
        )

    async def check_done(self, ctx: StepContext) -> bool | None:
        agent = _android(ctx).agent
        assert agent is not None
        return await self.rt.io(ctx, lambda d: d.package_path(agent.package)) is not None


def _component(ctx: StepContext) -> str:
    return _android(ctx).admin_component()


class DeviceOwnerStep(_Base):
    id = "android.device_owner"
    title = Text("Make the agent Device Owner", "エージェントをデバイスオーナーに設定")

    async def run(self, ctx: StepContext) -> StepResult:
        component = _component(ctx)
        owners = await self.rt.io(ctx, lambda d: d.device_owners())
        wanted = normalise_component(component)
        if any(normalise_component(o) == wanted for o in owners):
            return StepResult.ok(
                Text("{c} is already Device Owner", "{c} はすでにデバイスオーナーです").format(c=component),
                detail={"owner": component, "already": True},
            )
        if owners:
            raise dpm_refusal("device owner is already set", component, owners[0])
        r = await self.rt.io(ctx, lambda d: d.shell(["dpm", "set-device-owner", component]))
        if r.code != 0 or "Success" not in r.out:
            raise dpm_refusal(r.text, component)
        detail: dict[str, Any] = {"owner": component}
        if not _android(ctx).verify:
            # No verify step follows: dpm's own "Success" is what marks the device enrolled.
            detail[HANDOFF_KEY] = HandoffState.ENROLLED
        return StepResult.ok(
            Text("Device Owner set to {c}", "デバイスオーナーを {c} に設定しました").format(c=component),
            detail=detail,
        )

    async def check_done(self, ctx: StepContext) -> bool | None:
        wanted = normalise_component(_component(ctx))
        owners = await self.rt.io(ctx, lambda d: d.device_owners())
        return any(normalise_component(o) == wanted for o in owners)


class VerifyOwnerStep(_Base):
    id = "android.verify"
    title = Text("Verify the Device Owner", "デバイスオーナーを確認")

    async def run(self, ctx: StepContext) -> StepResult:
        component = _component(ctx)
        owners = await self.rt.io(ctx, lambda d: d.device_owners())
        if not any(normalise_component(o) == normalise_component(component) for o in owners):
            raise PermanentError(
                Text(
                    "Verification failed: the Device Owner is {got}, not {want}",
                    "確認に失敗しました: デバイスオーナーは {want} ではなく {got} です",
                ).format(got=", ".join(owners) or "none", want=component),
                code="verify_owner",
            )
        return StepResult.ok(
            Text("Verified: {c} is Device Owner", "確認済み: {c} がデバイスオーナーです").format(c=component),
            detail={"owners": owners, HANDOFF_KEY: HandoffState.ENROLLED},
        )


class SettingsStep(_Base):
    id = "android.settings"
    title = Text("Apply device settings", "端末の設定を適用")

    async def run(self, ctx: StepContext) -> StepResult:
        applied: list[str] = []
        for s in _android(ctx).settings:
            put_cmd = ["settings", "put", s.namespace, s.key, s.value]
            get_cmd = ["settings", "get", s.namespace, s.key]
            r = await self.rt.io(ctx, functools.partial(_shell, cmd=put_cmd))
            got = await self.rt.io(ctx, functools.partial(_shell, cmd=get_cmd))
            if r.code != 0 or got.out.strip() != s.value:
                raise PermanentError(
                    Text(
                        "Setting {ns}/{k} was not applied (the device reads {v})",
                        "設定 {ns}/{k} が適用されませんでした（端末の値: {v}）",
                    ).format(ns=s.namespace, k=s.key, v=got.out.strip() or r.text.strip()[:100]),
                    code="setting_failed",
                )
            applied.append(f"{s.namespace}/{s.key}")
        return StepResult.ok(
            Text("{n} settings applied", "{n} 件の設定を適用しました").format(n=len(applied)),
            detail={"settings": applied},
        )


class DisablePackagesStep(_Base):
    id = "android.disable_packages"
    title = Text("Disable packages", "パッケージを無効化")

    async def run(self, ctx: StepContext) -> StepResult:
        disabled: list[str] = []
        missing: list[str] = []
        for pkg in _android(ctx).disable_packages:
            r = await self.rt.io(ctx, functools.partial(_shell, cmd=["pm", "disable-user", "--user", "0", pkg]))
            if "Unknown package" in r.text:
                missing.append(pkg)  # not on this model: nothing to disable, not a failure
            elif r.code != 0 or "disabled" not in r.out:
                raise PermanentError(
                    Text("Could not disable {p}: {m}", "{p} を無効化できませんでした: {m}").format(
                        p=pkg, m=r.text.strip()[:200]
                    ),
                    code="disable_failed",
                )
            else:
                disabled.append(pkg)
        return StepResult.ok(
            Text("{n} packages disabled", "{n} 個のパッケージを無効化しました").format(n=len(disabled)),
            detail={"disabled": disabled, "not_installed": missing},
        )


class KmeRecordStep(_Base):
    id = "android.kme.record"
    title = Text("Record for Knox Mobile Enrollment", "Knox Mobile Enrollment 用に登録")

    async def run(self, ctx: StepContext) -> StepResult:
        android = _android(ctx)
        kme = android.kme
        assert kme is not None
        component = android.admin_component()
        if component:
            # Where adb reaches the device and the agent is already Device Owner, KME has run.
            try:
                owners = await self.rt.io(ctx, lambda d: d.device_owners())
            except Exception:
                owners = []
            if any(normalise_component(o) == normalise_component(component) for o in owners):
                return StepResult.ok(
                    Text(
                        "Enrolled: the KME agent {c} is Device Owner",
                        "登録済み: KME のエージェント {c} がデバイスオーナーです",
                    ).format(c=component),
                    detail={HANDOFF_KEY: HandoffState.ENROLLED, "kme_profile": kme.profile_name},
                )
        device = ctx.device
        export = android.kme_export
        if export.identifier == "imei":
            identifier = device.imei
        elif export.identifier == "serial":
            identifier = device.serial
        else:
            identifier = device.imei or device.serial
        if not identifier:
            raise PermanentError(
                Text(
                    "No {what} known for this device: scan its box label (IMEI) before recording it for KME",
                    "この端末の{what}が不明です: KME 用に登録する前に箱のラベル（IMEI）をスキャンしてください",
                ).format(what="IMEI" if export.identifier == "imei" else "IMEI/serial"),
                code="kme_no_identifier",
            )
        return StepResult.waiting_external(
            Text(
                "Recorded for the KME upload (profile '{p}', {id}). The station does not touch the KME console:"
                " upload the device list there, approve the devices and assign profile '{p}'; the device enrols"
                " on its first boot with network.",
                "KME アップロード用に記録しました（プロファイル「{p}」、{id}）。KME コンソールの操作はステーションでは行いません:"
                " コンソールで端末リストをアップロードし、端末を承認してプロファイル「{p}」を割り当ててください。"
                "端末はネットワーク接続後の初回起動時に登録されます。",
            ).format(p=kme.profile_name, id=identifier),
            code="kme_console",
            detail={HANDOFF_KEY: HandoffState.KME_REGISTERED, "kme_profile": kme.profile_name, "identifier": identifier},
        )


class QrHandOverStep(_Base):
    id = "android.qr"
    title = Text("Check the provisioning QR code", "プロビジョニング QR コードを確認")

    async def run(self, ctx: StepContext) -> StepResult:
        from kitstation.android.qr import QrPayloadError, build_payload

        try:
            # Built without the Wi-Fi password: the log never sees it (the shown code gets it).
            payload = build_payload(ctx.blueprint)
        except QrPayloadError as exc:
            raise PermanentError(
                Text("The QR payload is incomplete: {p}", "QR の内容が不完全です: {p}").format(p=str(exc)),
                code="qr_payload",
            ) from exc
        return StepResult.waiting_external(
            Text(
                "Show the provisioning QR code to the device at its welcome screen (tap six times); the device"
                " installs the agent itself",
                "初期画面（6 回タップ）の端末にプロビジョニング QR コードを読み取らせてください。エージェントは端末が自らインストールします",
            ),
            code="qr_provisioning",
            detail={"keys": sorted(k.rsplit("PROVISIONING_", 1)[-1] for k in payload)},
        )


def plan_steps(rt: AndroidRuntime, android: AndroidOptions) -> Plan:
    """The ordered steps for a blueprint's ``[android]`` method."""
    if android.method == "kme":
        return [KmeRecordStep(rt)]
    if android.method == "qr":
        return [QrHandOverStep(rt)]
    steps: Plan = [FetchAgentStep(rt), InstallAgentStep(rt)]
    if android.device_owner:
        steps.append(DeviceOwnerStep(rt))
        if android.verify:
            steps.append(VerifyOwnerStep(rt))
    if android.settings:
        steps.append(SettingsStep(rt))
    if android.disable_packages:
        steps.append(DisablePackagesStep(rt))
    return steps
