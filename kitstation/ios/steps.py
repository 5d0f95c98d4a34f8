"""The iOS kitting steps: Configurator's *Prepare*, the direct profile install and the DEP hand-off.

Each step has a stable id (stored in the log to resume runs), a bilingual title, and is safe to
run again after an interruption, except the erase (device_steps.py: erase, Setup Assistant,
activation, language; stepbase.py: what all steps share). This module holds the cloud
configuration, supervision, profiles, verification and the DEP steps, and names every step.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pymobiledevice3.exceptions import CloudConfigurationAlreadyPresentError, ProfileError

from kitstation.core.protocols import StepContext
from kitstation.domain.handoff import HANDOFF_KEY, HandoffState
from kitstation.domain.model import (
    PermanentError,
    StepResult,
    TransientError,
    UserAction,
    UserActionRequired,
)
from kitstation.i18n import Text
from kitstation.ios import cloudconfig, replies
from kitstation.ios.profiles import ProfileInfo, read_profile, validate_profile, wifi_profile

if TYPE_CHECKING:
    from kitstation.ios.connect import Connector

from kitstation.ios.device_steps import (
    ActivateStep,
    EraseStep,
    LanguageStep,
    SetupAssistantStep,
    ensure_activated,
    erase_and_wait,
    request_erase,
)
from kitstation.ios.stepbase import (
    IOSStep,
    _opts,
    _supervisor,
    _udid,
    expected_cloud_configuration,
    expected_kept,
)

# ----- cloud configuration ----------------------------------------------------------------------

ERASE_FIRST = Text(
    "The device already has a cloud configuration (error 14002): erase it first"
    " (or allow erase_if_configured in the blueprint)",
    "デバイスには既にクラウド構成があります（エラー14002）。先に消去してください"
    "（またはブループリントで erase_if_configured を許可してください）",
)


@dataclass
class CloudConfigStep(IOSStep):
    id: str = "ios.cloud_config"
    title: Text = Text("Apply the Prepare settings (cloud configuration)", "準備設定（クラウド構成）を適用")

    async def _run(self, ctx: StepContext) -> StepResult:
        expected = await expected_cloud_configuration(ctx, self.store)
        kept = await expected_kept(ctx, self.store)
        udid = _udid(ctx)
        for attempt in (1, 2):
            try:
                async with self.connector.mcinstall(udid) as (_ld, mc):
                    current = await mc.get_cloud_configuration()
                    if current is not None and not cloudconfig.compare(kept, current):
                        # A re-run after an interruption: the configuration is already ours.
                        return StepResult.ok(
                            Text("Already applied", "適用済みです"),
                            detail={"cloud_configuration": cloudconfig.summary(current)},
                        )
                    await mc.set_cloud_configuration(expected)
                return StepResult.ok(detail={"cloud_configuration": cloudconfig.summary(expected)})
            except CloudConfigurationAlreadyPresentError:
                if attempt == 2 or not _opts(ctx).erase_if_configured:
                    raise PermanentError(ERASE_FIRST, code="erase_first") from None
                ctx.progress(None, Text("Configured already: erasing first", "構成済みのため先に消去します"))
                await erase_and_wait(self.connector, ctx)
                await ensure_activated(self, ctx)  # an erased device is unactivated again
        raise AssertionError("unreachable")


@dataclass
class SuperviseStep(IOSStep):
    """Supervised pairing with the supervision identity, proven again over MCInstall (Escalate)."""

    id: str = "ios.supervise"
    title: Text = Text("Pair as supervisor", "監視ホストとしてペアリング")

    async def _run(self, ctx: StepContext) -> StepResult:
        keybag, _der = await _supervisor(ctx, self.store)
        udid = _udid(ctx)
        async with self.connector.guard(udid):
            await self.connector.session(udid, lambda ld: ld.pair_supervised(keybag, timeout=0), autopair=False)
            # A fresh session on the new pair record, then the MCInstall proof of the same identity.
            await self.connector.with_mcinstall(udid, lambda mc: mc.escalate(keybag))
        return StepResult.ok(Text("Supervised pairing done", "監視ペアリングが完了しました"))


# ----- profiles ---------------------------------------------------------------------------------


async def installed_identifiers(connector: Connector, udid: str) -> list[str]:
    async with connector.mcinstall(udid) as (_ld, mc):
        listing = await mc.get_profile_list()
    return list((listing or {}).get("ProfileMetadata", {}) or {})


@dataclass
class ProfileSource:
    """Where a profile's bytes come from at run time (the Wi-Fi password is read then, never kept)."""

    label: str
    path: str | None = None  # a file named in the blueprint
    wifi: bool = False  # generate from [ios.wifi]

    async def load(self, ctx: StepContext) -> tuple[bytes, ProfileInfo]:
        if self.path is not None:
            return read_profile(ctx.blueprint.resolve(self.path))
        opts = _opts(ctx)
        assert opts.wifi is not None
        w = opts.wifi
        password = None
        if w.password_secret and w.security != "None":
            password = await ctx.secrets.get(
                w.password_secret, Text("Wi-Fi password for {s}", "{s} のWi-Fiパスワード").format(s=w.ssid)
            )
        data = wifi_profile(
            w.ssid,
            w.security,
            password,
            hidden=w.hidden,
            auto_join=w.auto_join,
            proxy_type=w.proxy.type,
            proxy_host=w.proxy.host,
            proxy_port=w.proxy.port,
            proxy_pac_url=w.proxy.pac_url,
            organization=opts.organization.name if opts.organization else "",
        )
        return data, validate_profile(data, self.label)


@dataclass
class InstallProfileStep(IOSStep):
    """Install one profile: silently on a supervised device, else with the user's confirmation."""

    source: ProfileSource | None = None
    silent: bool = True
    timeout_minutes: float = 30.0

    async def _run(self, ctx: StepContext) -> StepResult:
        assert self.source is not None
        data, info = await self.source.load(ctx)
        udid = _udid(ctx)
        detail = {"identifier": info.identifier, "name": info.display_name, "signed": info.signed}
        keybag = (await _supervisor(ctx, self.store))[0] if self.silent else None
        # The look and the install on one MCInstall connection (as Configurator does): a session
        # and a service less per profile, each a TLS handshake in a batch.
        async with self.connector.mcinstall(udid) as (_ld, mc):
            listing = await mc.get_profile_list() if info.identifier else None
            if info.identifier and info.identifier in ((listing or {}).get("ProfileMetadata", {}) or {}):
                return StepResult.ok(Text("Already installed", "インストール済みです"), detail=detail)
            if keybag is not None:
                await mc.install_profile_silent(keybag, data)
                return StepResult.ok(detail=detail)
            await mc.install_profile(data)
        ctx.waiting_for_user(UserAction.CONFIRM_PROFILE)
        if info.identifier is None:
            # A signed profile this station could not look inside: nothing to poll for.
            return StepResult.ok(
                Text("Sent; confirm it on the device", "送信しました。デバイスで承認してください"), detail=detail
            )
        deadline = time.monotonic() + self.timeout_minutes * 60
        while info.identifier not in await installed_identifiers(self.connector, udid):
            if time.monotonic() > deadline:
                raise PermanentError(
                    Text(
                        "The profile was not confirmed on the device in time",
                        "デバイスでプロファイルが時間内に承認されませんでした",
                    ),
                    code="profile_not_confirmed",
                    detail=detail,
                )
            await asyncio.sleep(self.connector.timing.poll_interval)
        return StepResult.ok(Text("Confirmed on the device", "デバイスで承認されました"), detail=detail)

    async def check_done(self, ctx: StepContext) -> bool | None:
        assert self.source is not None
        try:
            _data, info = await self.source.load(ctx)
            if info.identifier is None:
                return None
            return info.identifier in await installed_identifiers(self.connector, _udid(ctx))
        except (TransientError, UserActionRequired):
            return None


# ----- verification -----------------------------------------------------------------------------


@dataclass
class VerifyStep(IOSStep):
    """Read the cloud configuration and the profile list back and compare with the blueprint."""

    id: str = "ios.verify"
    title: Text = Text("Verify the device against the blueprint", "ブループリントとデバイスを照合")
    check_cloud_config: bool = True
    profiles: tuple[ProfileSource, ...] = ()

    async def _run(self, ctx: StepContext) -> StepResult:
        udid = _udid(ctx)
        async with self.connector.mcinstall(udid) as (ld, mc):
            actual = await mc.get_cloud_configuration()
            listing = await mc.get_profile_list()
            language = await ld.get_language() if self.check_cloud_config and _opts(ctx).language else None
        installed = list((listing or {}).get("ProfileMetadata", {}) or {})
        problems: dict[str, Any] = {}
        if self.check_cloud_config:
            # Against what the device keeps of what was sent (its own rewrites are not a mismatch).
            diffs = cloudconfig.compare(await expected_kept(ctx, self.store), actual)
            if language is not None and language != _opts(ctx).language:
                diffs["com.apple.international/Language"] = {"expected": _opts(ctx).language, "actual": language}
            if diffs:
                problems["cloud_configuration"] = diffs
        wanted = []
        for src in self.profiles:
            _data, info = await src.load(ctx)
            if info.identifier:
                wanted.append(info.identifier)
        missing = [p for p in wanted if p not in installed]
        if missing:
            problems["missing_profiles"] = missing
        detail = {"cloud_configuration": cloudconfig.summary(actual), "profiles": installed}
        if problems:
            raise PermanentError(
                Text(
                    "The device does not match the blueprint: {k}",
                    "デバイスがブループリントと一致しません: {k}",
                ).format(k=", ".join(sorted(problems.get("cloud_configuration", {})) + missing)),
                code="verify_mismatch",
                detail={**detail, "problems": problems},
            )
        return StepResult.ok(Text("Matches the blueprint", "ブループリントと一致しました"), detail=detail)


# ----- DEP --------------------------------------------------------------------------------------


@dataclass
class ABMHandoffStep(IOSStep):
    """The station's part of "Add to DEP" is done; assigning the serial in ABM happens elsewhere."""

    id: str = "ios.abm_handoff"
    title: Text = Text("Hand off to Apple Business Manager", "Apple Business Managerへの引き継ぎ")

    async def _run(self, ctx: StepContext) -> StepResult:
        serial = ctx.device.serial or ctx.device.key
        return StepResult.waiting_external(
            Text(
                "Prepared on the device. Not done by the station: add serial {s} to Apple Business Manager,"
                " assign it to the MDM server and sync the MDM console.",
                "デバイス側の準備は完了しました。ステーションでは行っていません: シリアル番号 {s} を"
                "Apple Business Managerに追加し、MDMサーバに割り当て、MDMコンソールで同期してください。",
            ).format(s=serial),
            code="abm_assignment",
            detail={HANDOFF_KEY: HandoffState.AWAITING_ABM, "serial": serial, "station_did": "device_prepare"},
        )


NOT_IN_SETUP = Text(
    "The device was set up without Apple's configuration: erase it first so it can fetch its DEP"
    " configuration (or allow erase_if_configured in the blueprint)",
    "デバイスはAppleの構成なしで設定済みです。DEP構成を取得できるよう先に消去してください"
    "（またはブループリントで erase_if_configured を許可してください）",
)
NOT_ASSIGNED = Text(
    "Apple has no assignment for this device yet (assign its serial in Apple Business Manager)",
    "このデバイスはまだ割り当てられていません（Apple Business Managerでシリアル番号を割り当ててください）",
)


async def check_dep_assignment(connector: Connector, udid: str) -> StepResult:
    """Ask the device for its cloud configuration (fetching it from Apple if it has none).

    ``external_state`` is ``abm_assigned`` when the device holds Apple's configuration
    (``ConfigurationSource`` 1), else ``awaiting_abm``: not assigned yet, or holding the
    configuration a host wrote (source 2). A download that fails is classified: not activated
    (``not_activated``), the device offline (``dep_no_network``, retried), not assigned. A device past
    Setup Assistant without Apple's configuration cannot fetch one: ``PermanentError(erase_first)``.
    """
    async with connector.mcinstall(udid) as (ld, mc):
        setup = await connector.in_setup_assistant(ld)
        current = await mc.get_cloud_configuration()
        if current is None and setup:
            try:
                await mc.download_and_apply_cloud_configuration()
            # 14002 first: pymobiledevice3 makes it a subclass of ProfileError.
            except CloudConfigurationAlreadyPresentError:
                pass  # told apart just below
            except ProfileError as exc:
                code, text = replies.reason(str(exc))
                if code == "not_activated":
                    raise PermanentError(text, code=code) from None
                if code == "device_no_network":
                    raise TransientError(text, code="dep_no_network") from None
                return StepResult.waiting_external(
                    NOT_ASSIGNED,
                    code="abm_not_assigned",
                    detail={HANDOFF_KEY: HandoffState.AWAITING_ABM, "device_answer": str(exc)[:300]},
                )
            current = await mc.get_cloud_configuration()
    source = (current or {}).get("ConfigurationSource")
    if source == cloudconfig.SOURCE_ADE:
        return StepResult.ok(
            Text("Assigned in Apple Business Manager", "Apple Business Managerで割り当て済みです"),
            detail={HANDOFF_KEY: HandoffState.ABM_ASSIGNED, "cloud_configuration": cloudconfig.summary(current)},
        )
    if source == cloudconfig.SOURCE_HOST:
        return StepResult.waiting_external(
            Text(
                "The device holds the configuration this station wrote; Apple's assignment shows after the next erase",
                "デバイスにはステーションが書き込んだ構成があります。Appleの割り当ては次回の消去後に確認できます",
            ),
            code="host_configured",
            detail={HANDOFF_KEY: HandoffState.AWAITING_ABM, "cloud_configuration": cloudconfig.summary(current)},
        )
    # No configuration, or the completed one of a device set up by hand: only an erase helps.
    raise PermanentError(NOT_IN_SETUP, code="erase_first")


@dataclass
class DEPVerifyStep(IOSStep):
    id: str = "ios.dep_verify"
    title: Text = Text("Check the DEP (ABM) assignment", "DEP（ABM）の割り当てを確認")

    async def _run(self, ctx: StepContext) -> StepResult:
        try:
            return await check_dep_assignment(self.connector, _udid(ctx))
        except PermanentError as exc:
            if exc.code != "erase_first" or not _opts(ctx).erase_if_configured:
                raise
        ctx.progress(None, Text("Set up already: erasing first", "設定済みのため先に消去します"))
        await erase_and_wait(self.connector, ctx)
        await ensure_activated(self, ctx)  # an erased device is unactivated again
        return await check_dep_assignment(self.connector, _udid(ctx))


__all__ = [
    "ABMHandoffStep",
    "ActivateStep",
    "CloudConfigStep",
    "DEPVerifyStep",
    "EraseStep",
    "IOSStep",
    "InstallProfileStep",
    "LanguageStep",
    "ProfileSource",
    "SetupAssistantStep",
    "SuperviseStep",
    "VerifyStep",
    "check_dep_assignment",
    "ensure_activated",
    "erase_and_wait",
    "expected_cloud_configuration",
    "expected_kept",
    "request_erase",
]
