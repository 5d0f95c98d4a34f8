"""The Android kitting steps (ids ``android.*``, stable: they are stored in the log and resumed).

``device_owner`` (USB debugging on): check that the phone can take a Device Owner (no other owner;
once setup is finished: no account, one user -- AOSP's rules for adb) -> fetch the agent APK ->
install it -> make it Device Owner -> verify -> settings -> disable packages. Nothing is
installed on a phone that would refuse, and an agent installed in a run whose ``dpm`` refuses
after all is removed again. ``kme``: record the device for the KME upload (the KME
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

from kitstation.android.apk import AgentFile, check_signature, fetch_agent
from kitstation.android.shell import AdbDeviceIO, Shell, dpm_refusal, normalise_component, owner_refusal
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


class DeviceOwnerCheckStep(_Base):
    id = "android.device_owner.check"
    title = Text("Check the phone can take a Device Owner", "端末がデバイスオーナーを受け入れられるか確認")

    async def run(self, ctx: StepContext) -> StepResult:
        component = _component(ctx)
        pre = await self.rt.io(ctx, lambda d: d.owner_preconditions())
        wanted = normalise_component(component)
        if any(normalise_component(o) == wanted for o in pre.owners):
            return StepResult.ok(
                Text("{c} is already Device Owner", "{c} はすでにデバイスオーナーです").format(c=component),
                detail={"owner": component, "already": True},
            )
        refused = pre.refusal()
        if refused is not None:
            raise owner_refusal(
                refused,
                component=component,
                owner=pre.owners[0] if pre.owners else "",
                accounts=pre.accounts,
                users=pre.users,
            )
        return StepResult.ok(
            Text(
                "No other Device Owner, no account, one user: the phone can take the agent",
                "他のデバイスオーナー・アカウントなし、ユーザー 1 人: エージェントを受け入れられます",
            ),
            detail={"setup_complete": pre.setup_complete, "users": len(pre.users), "accounts": 0},
        )


class FetchAgentStep(_Base):
    id = "android.agent.fetch"
    title = Text("Fetch the MDM agent APK", "MDM エージェント APK を取得")

    async def run(self, ctx: StepContext) -> StepResult:
        agent_file = await agent_for(self.rt, ctx)
        agent = _android(ctx).agent
        assert agent is not None
        # Unsigned, or signed by another key than the pinned one: refuse before any device sees it.
        checksum = await self.rt.run(_checked_signature, agent_file.path, None, agent.signature_checksum)
        return StepResult.ok(
            Text("Agent APK ready (SHA-256 {h})", "エージェント APK を準備しました（SHA-256 {h}）").format(
                h=agent_file.sha256[:16]
            ),
            detail={"sha256": agent_file.sha256, "source": agent_file.source, "signature_checksum": checksum},
        )


def _checked_signature(path: Path, device_sdk: int | None, pinned: str) -> str:
    return check_signature(path.read_bytes(), device_sdk=device_sdk, pinned=pinned)


def _device_sdk(ctx: StepContext) -> int | None:
    sdk = ctx.device.facts.get("sdk")
    return sdk if isinstance(sdk, int) and sdk > 0 else None


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
        # A v1-only agent on Android 11+: say so before pushing it (pm would refuse it anyway).
        await self.rt.run(_checked_signature, agent_file.path, _device_sdk(ctx), agent.signature_checksum)
        ctx.progress(None, Text("Installing {p}", "{p} をインストール中").format(p=agent.package))
        before = await self.rt.io(ctx, lambda d: d.package_path(agent.package))
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
            detail={"package": agent.package, "path": path, "sha256": agent_file.sha256, "was_installed": before is not None},
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
            left = await self._remove_agent(ctx)
            raise owner_refusal("owner", component=component, owner=owners[0], agent=left)
        r = await self.rt.io(ctx, lambda d: d.shell(["dpm", "set-device-owner", component]))
        if r.code != 0 or "Success" not in r.out:
            # Something changed since the check (an account added meanwhile): leave no agent behind.
            left = await self._remove_agent(ctx)
            raise dpm_refusal(r.text, component, agent=left)
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

    async def _remove_agent(self, ctx: StepContext) -> str:
        """Uninstall the agent if this run installed it: ``none`` / ``kept`` / ``removed`` / ``left``."""
        done = ctx.done.get(InstallAgentStep.id)
        if done is None:
            return "none"  # no install in this run
        detail = done.detail
        if detail is None or "was_installed" not in detail:
            return "unknown"  # confirmed after an interruption: whether it was ours is not known
        if detail["was_installed"] is not False:
            return "kept"  # it was on the phone before: not ours to remove
        agent = _android(ctx).agent
        assert agent is not None
        removed = await self.rt.io(ctx, lambda d: d.uninstall(agent.package))
        return "removed" if removed else "left"


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
            Text.count(len(applied), "{n} setting applied", "{n} settings applied", "{n} 件の設定を適用しました"),
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
            Text.count(len(disabled), "{n} package disabled", "{n} packages disabled", "{n} 個のパッケージを無効化しました")
            + (
                Text.count(
                    len(missing), " ({n} not on this model)", " ({n} not on this model)", "（{n} 個はこの機種にありません）"
                )
                if missing
                else ""
            ),
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
            hidden = device.facts.get("imei_source") == "hidden"
            raise PermanentError(
                Text(
                    "No {what} known for this device{why}: scan its IMEI from the box label, or dial *#06# on the"
                    " phone and scan or type the IMEI it shows, before recording it for KME",
                    "この端末の{what}が不明です{why_ja}: KME 用に登録する前に、箱のラベルの IMEI をスキャンするか、端末で"
                    " *#06# をダイヤルして表示された IMEI をスキャンまたは入力してください",
                ).format(
                    what="IMEI" if export.identifier == "imei" else "IMEI/serial",
                    why=" (Android 10 and later do not give the IMEI to adb)" if hidden else "",
                    why_ja="（Android 10 以降は adb に IMEI を渡しません）" if hidden else "",
                ),
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
        # Before anything is installed: would Android take a Device Owner on this phone?
        steps.insert(0, DeviceOwnerCheckStep(rt))
    if android.device_owner:
        steps.append(DeviceOwnerStep(rt))
        if android.verify:
            steps.append(VerifyOwnerStep(rt))
    if android.settings:
        steps.append(SettingsStep(rt))
    if android.disable_packages:
        steps.append(DisablePackagesStep(rt))
    return steps
