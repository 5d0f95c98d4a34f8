"""The iOS kitting steps: Configurator's *Prepare*, the direct profile install and the DEP hand-off.

Each step has a stable id (stored in the log to resume runs), a bilingual title, and is safe to
run again after an interruption: the erase is the one step that is not idempotent, and its
``check_done`` looks at the device (back in Setup Assistant with no configuration = erased).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import serialization
from pymobiledevice3.exceptions import CloudConfigurationAlreadyPresentError, ProfileError

from kitstation.blueprints.skipkeys import unknown_keys
from kitstation.core.protocols import BaseStep, StepContext
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
from kitstation.ios.activation import ACTIVATED, ActivationEndpoint, activate, activation_state
from kitstation.ios.certs import load_certificates
from kitstation.ios.identities import IdentityStore, load_identity_files
from kitstation.ios.profiles import ProfileInfo, read_profile, validate_profile, wifi_profile

if TYPE_CHECKING:
    from kitstation.blueprints.ios import IOSOptions
    from kitstation.ios.connect import Connector

DEFAULT_IDENTITY = "station-default"


def _udid(ctx: StepContext) -> str:
    return ctx.device.udid or ctx.device.connection_id or ctx.device.key


def _opts(ctx: StepContext) -> IOSOptions:
    assert ctx.blueprint.ios is not None
    return ctx.blueprint.ios


async def _supervisor(ctx: StepContext, store: IdentityStore) -> tuple[Path, bytes]:
    """(keybag path, certificate DER) of the blueprint's supervision identity; cached per run."""
    cached = ctx.scratch.get("ios.keybag")
    if isinstance(cached, tuple):
        keybag_path, der = cached
        return Path(keybag_path), bytes(der)
    opts = _opts(ctx)
    spec = opts.supervision_identity
    if spec is not None and spec.file:
        path = ctx.blueprint.resolve(spec.file)
        passphrase = None
        if spec.passphrase_secret:
            passphrase = await ctx.secrets.get(
                spec.passphrase_secret,
                Text("Passphrase of the supervision identity {f}", "監視ID {f} のパスフレーズ").format(f=path.name),
            )
        # File reads and key parsing off the event loop: many devices run at once.
        cert, key = await asyncio.to_thread(load_identity_files, path, None, passphrase)
        keybag = await asyncio.to_thread(store.materialize, cert, key)
        ident_der = cert.public_bytes(serialization.Encoding.DER)
    else:
        name = spec.name if spec is not None and spec.name else DEFAULT_IDENTITY
        try:
            identity = store.get(name)
        except PermanentError:
            if spec is not None:
                raise
            # No identity named: like Configurator, the station makes its own on first use.
            org = opts.organization.name if opts.organization is not None else "KitStation"
            try:
                identity = await asyncio.to_thread(store.generate, DEFAULT_IDENTITY, org)
            except PermanentError as exc:
                if exc.code != "identity_exists":
                    raise
                identity = store.get(DEFAULT_IDENTITY)  # another device's run made it just now
        keybag, ident_der = identity.keybag, identity.certificate_der
        if identity.locked:
            # Imported with a passphrase: the key is encrypted at rest; decrypt it in memory only.
            secret = (
                spec.passphrase_secret if spec is not None and spec.passphrase_secret else identity.passphrase_secret
            )
            passphrase = await ctx.secrets.get(
                secret,
                Text("Passphrase of the supervision identity {n}", "監視ID {n} のパスフレーズ").format(n=identity.name),
            )
            keybag = await asyncio.to_thread(store.unlock, identity, passphrase)
    ctx.scratch["ios.keybag"] = (keybag, ident_der)
    return keybag, ident_der


def _anchors(ctx: StepContext) -> list[bytes]:
    opts = _opts(ctx)
    if opts.mdm_server is None:
        return []
    ders: list[bytes] = []
    for name in opts.mdm_server.anchor_certificates:
        ders += [c.der for c in load_certificates(ctx.blueprint.resolve(name))]
    return ders


async def expected_cloud_configuration(ctx: StepContext, store: IdentityStore) -> dict[str, Any]:
    opts = _opts(ctx)
    bad = unknown_keys([] if opts.skip_setup == "all" else list(opts.skip_setup))
    if bad:
        raise PermanentError(
            Text(
                "Not iOS Setup Assistant skip keys: {k}",
                "iOSの設定アシスタントのスキップキーではありません: {k}",
            ).format(k=", ".join(bad)),
            code="unknown_skip_key",
        )
    supervisors = [(await _supervisor(ctx, store))[1]] if opts.supervise else []
    return cloudconfig.build_cloud_configuration(
        opts,
        ios_version=ctx.device.os_version,
        supervisor_certificates=supervisors,
        anchor_certificates=_anchors(ctx),
    )


async def expected_kept(ctx: StepContext, store: IdentityStore) -> dict[str, Any]:
    """What the device keeps of the configuration this blueprint sends (cloudconfig.device_keeps)."""
    return cloudconfig.device_keeps(
        await expected_cloud_configuration(ctx, store),
        device_class=ctx.device.facts.get("device_class"),
        ios_version=ctx.device.os_version,
    )


def _as_step_error(exc: UserActionRequired, ctx: StepContext) -> TransientError:
    # Inside a run a prompt on the device is waited out by the pipeline's retries.
    ctx.waiting_for_user(exc.action, exc.reason)
    return TransientError(exc.reason, code=exc.action.value)


@dataclass
class IOSStep(BaseStep):
    """Common shape of the iOS steps: a :class:`BaseStep` with the device connector and identities.

    ``run`` turns a prompt on the device (``UserActionRequired``) into a retried wait; subclasses
    implement ``_run``. ``check_done`` is ``BaseStep``'s (``None``: unknown) unless a step can
    look at the device.
    """

    connector: Connector
    store: IdentityStore
    # Where activation requests go instead of Apple (the simulator's stand-in); None: Apple.
    activation: ActivationEndpoint | None = None
    id: str = ""
    title: Text = Text("", "")
    idempotent: bool = True

    async def run(self, ctx: StepContext) -> StepResult:
        try:
            return await self._run(ctx)
        except UserActionRequired as exc:
            raise _as_step_error(exc, ctx) from None

    async def _run(self, ctx: StepContext) -> StepResult:
        raise NotImplementedError


# ----- erase ------------------------------------------------------------------------------------


async def erase_and_wait(connector: Connector, ctx: StepContext) -> None:
    """EraseDevice, then wait for the device to leave the bus and come back in Setup Assistant."""
    opts = _opts(ctx)
    udid = _udid(ctx)
    async with ctx.limit("erase"):
        with ctx.expecting_detach():
            ctx.progress(0.05, Text("Erasing", "消去しています"))
            async with connector.mcinstall(udid) as (_ld, mc):
                await mc.erase_device(opts.preserve_data_plan, disallow_proximity_setup=False)
            await connector.wait_detached(udid)
            ctx.progress(0.5, Text("Waiting for the device to restart", "デバイスの再起動を待っています"))
            await connector.wait_setup_assistant(udid, opts.erase_timeout_minutes * 60)
    ctx.progress(1.0, None)


@dataclass
class EraseStep(IOSStep):
    id: str = "ios.erase"
    title: Text = Text("Erase the device", "デバイスを消去")
    idempotent: bool = False

    async def _run(self, ctx: StepContext) -> StepResult:
        await erase_and_wait(self.connector, ctx)
        return StepResult.ok(Text("Erased; back in Setup Assistant", "消去しました（設定アシスタント）"))

    async def check_done(self, ctx: StepContext) -> bool | None:
        # Interrupted mid-erase: an erased device comes back in Setup Assistant with no
        # configuration; a device still set up was never erased, so erasing again is safe.
        udid = _udid(ctx)
        try:
            if not await self.connector.attached(udid):
                # Still erasing or booting off the bus: wait for it as the step itself would.
                await self.connector.wait_setup_assistant(udid, _opts(ctx).erase_timeout_minutes * 60)
            async with self.connector.mcinstall(udid) as (ld, mc):
                if not await self.connector.in_setup_assistant(ld):
                    return False
                return await mc.get_cloud_configuration() is None
        except PermanentError:
            return None
        except (TransientError, UserActionRequired):
            return None


@dataclass
class SetupAssistantStep(IOSStep):
    """The device is on the bus in Setup Assistant (after an erase, or as it came out of the box)."""

    id: str = "ios.setup_assistant"
    title: Text = Text("Wait for Setup Assistant", "設定アシスタントを待機")

    async def _run(self, ctx: StepContext) -> StepResult:
        await self.connector.wait_setup_assistant(_udid(ctx), _opts(ctx).erase_timeout_minutes * 60)
        return StepResult.ok()


# ----- activation -------------------------------------------------------------------------------


async def ensure_activated(step: IOSStep, ctx: StepContext) -> bool:
    """Activate the device unless it already is; True when this call activated it."""
    udid = _udid(ctx)
    if await activation_state(step.connector, udid) == ACTIVATED:
        return False
    ctx.progress(None, Text("Activating with Apple", "Appleでアクティベートしています"))
    await activate(step.connector, udid, step.activation)
    return True


@dataclass
class ActivateStep(IOSStep):
    """Activation through Apple's server: a real device refuses a cloud configuration before it."""

    id: str = "ios.activate"
    title: Text = Text("Activate the device", "デバイスをアクティベート")

    async def _run(self, ctx: StepContext) -> StepResult:
        if await ensure_activated(self, ctx):
            return StepResult.ok(Text("Activated", "アクティベートしました"), detail={"activation_state": ACTIVATED})
        return StepResult.ok(
            Text("Already activated", "アクティベート済みです"), detail={"activation_state": ACTIVATED}
        )

    async def check_done(self, ctx: StepContext) -> bool | None:
        try:
            return await activation_state(self.connector, _udid(ctx)) == ACTIVATED
        except (PermanentError, TransientError, UserActionRequired):
            return None


def _locale(opts: IOSOptions) -> tuple[str | None, str | None]:
    """(Language, Locale) for lockdown's ``com.apple.international`` domain, as go-ios/cfgutil set them."""
    language = opts.language
    locale = f"{(language or 'en').split('-')[0]}_{opts.region}" if opts.region else None
    return language, locale


@dataclass
class LanguageStep(IOSStep):
    """Language and region through lockdown (``com.apple.international``), where the device takes them."""

    id: str = "ios.language"
    title: Text = Text("Set language and region", "言語と地域を設定")

    async def _run(self, ctx: StepContext) -> StepResult:
        language, locale = _locale(_opts(ctx))
        udid = _udid(ctx)
        async with self.connector.guard(udid):
            ld = await self.connector.lockdown(udid)
            try:
                if language:
                    await ld.set_language(language)
                if locale:
                    await ld.set_locale(locale)
            finally:
                await ld.close()
        return StepResult.ok(detail={"language": language, "locale": locale})

    async def check_done(self, ctx: StepContext) -> bool | None:
        language, locale = _locale(_opts(ctx))
        udid = _udid(ctx)
        try:
            async with self.connector.guard(udid):
                ld = await self.connector.lockdown(udid)
                try:
                    ok = not language or await ld.get_language() == language
                    return ok and (not locale or await ld.get_locale() == locale)
                finally:
                    await ld.close()
        except (PermanentError, TransientError, UserActionRequired):
            return None


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
        if info.identifier and info.identifier in await installed_identifiers(self.connector, udid):
            return StepResult.ok(Text("Already installed", "インストール済みです"), detail=detail)
        if self.silent:
            keybag, _der = await _supervisor(ctx, self.store)
            async with self.connector.guard(udid):
                await self.connector.with_mcinstall(udid, lambda mc: mc.install_profile_silent(keybag, data))
            return StepResult.ok(detail=detail)
        async with self.connector.mcinstall(udid) as (_ld, mc):
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
    "LanguageStep",
    "ensure_activated",
    "expected_kept",
    "CloudConfigStep",
    "DEPVerifyStep",
    "EraseStep",
    "IOSStep",
    "InstallProfileStep",
    "ProfileSource",
    "SetupAssistantStep",
    "SuperviseStep",
    "VerifyStep",
    "check_dep_assignment",
    "erase_and_wait",
    "expected_cloud_configuration",
]
