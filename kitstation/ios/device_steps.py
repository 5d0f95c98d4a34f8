"""The iOS steps that bring a device to a fresh, activated Setup Assistant: erase, wait, activate, language.

The erase is the one step that is not idempotent. It is recorded done only on evidence from the
device (its acknowledgement, logged before the next step relies on it; after an interruption, the
device having forgotten this station's pairing), never inferred from "in Setup Assistant without a
configuration", which every new device already is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kitstation.core.protocols import StepContext
from kitstation.domain.model import (
    DeviceGone,
    PermanentError,
    StepResult,
    TransientError,
    UserActionRequired,
)
from kitstation.i18n import Text
from kitstation.ios import replies
from kitstation.ios.activation import ACTIVATED, activate_if_needed, activation_state
from kitstation.ios.stepbase import IOSStep, _opts, _udid

if TYPE_CHECKING:
    from kitstation.blueprints.ios import IOSOptions
    from kitstation.ios.connect import Connector

# ----- erase ------------------------------------------------------------------------------------


async def request_erase(connector: Connector, ctx: StepContext) -> str:
    """Send EraseDevice and return the device's answer (``Acknowledged``), or raise.

    pymobiledevice3's ``erase_device`` hides a connection the device closed before answering (it
    cannot tell an erase from a lost request), so the request goes through its service directly:
    only an ``Acknowledged`` reply counts. A lost answer is a lost link (retried) or, once the device
    has left the bus, ``DeviceGone``: the run is interrupted and the erase step's ``check_done``
    looks for proof on the device.
    """
    opts = _opts(ctx)
    udid = _udid(ctx)
    request: dict[str, str | bool] = {
        "RequestType": "EraseDevice",
        "PreserveDataPlan": opts.preserve_data_plan,
        "DisallowProximitySetup": False,
    }
    async with connector.mcinstall(udid) as (_ld, mc):
        reply = await mc.service.send_recv_plist(request)
    status = reply.get("Status") if isinstance(reply, dict) else None
    if status != "Acknowledged":
        code, text = replies.reason(f"The device rejected the request: {reply!r}")
        raise PermanentError(text, code=code, detail={"device_answer": str(reply)[:300]})
    return str(status)


async def erase_and_wait(connector: Connector, ctx: StepContext) -> None:
    """EraseDevice, then wait for the device to leave the bus and come back in Setup Assistant.

    For erases inside another (idempotent) step (``erase_if_configured``); the plan's own erase is
    :class:`EraseStep` + :class:`SetupAssistantStep`, so the acknowledgement is logged in between.
    """
    opts = _opts(ctx)
    udid = _udid(ctx)
    async with ctx.limit("erase"):
        with ctx.expecting_detach():
            ctx.progress(0.05, Text("Erasing", "消去しています"))
            await request_erase(connector, ctx)
            await connector.wait_detached(udid)
            ctx.progress(0.5, Text("Waiting for the device to restart", "デバイスの再起動を待っています"))
            await connector.wait_setup_assistant(udid, opts.erase_timeout_minutes * 60)
    ctx.progress(1.0, None)


@dataclass
class EraseStep(IOSStep):
    """EraseDevice; done when the device acknowledged it and left the bus (both logged at the step's end).

    Recorded as done only on evidence. In the run: the device's ``Acknowledged`` answer. After an
    interruption inside the step (``check_done``): the device no longer knows the pairing this
    station had with it before the request (an erase wipes every pairing; a device sitting in Setup
    Assistant loses them no other way) and it is in Setup Assistant. A device that still accepts our
    pairing was never erased (run again: safe). Anything else is unknown: the pipeline stops and
    asks the technician, it never assumes.
    """

    id: str = "ios.erase"
    title: Text = Text("Erase the device", "デバイスを消去")
    idempotent: bool = False

    async def _run(self, ctx: StepContext) -> StepResult:
        udid = _udid(ctx)
        # Only what is seen after this point may count as evidence of this erase.
        self.connector.forgot_pairing.discard(udid)
        async with ctx.limit("erase"):
            with ctx.expecting_detach():
                ctx.progress(0.05, Text("Erasing", "消去しています"))
                answer = await request_erase(self.connector, ctx)
                await self.connector.wait_detached(udid)
        return StepResult.ok(
            Text("The device acknowledged the erase and restarted", "デバイスが消去を受け付け、再起動しました"),
            detail={"device_answer": answer, "evidence": "acknowledged"},
        )

    async def check_done(self, ctx: StepContext) -> bool | None:
        udid = _udid(ctx)
        try:
            if not await self.connector.wait_attached(udid, _opts(ctx).erase_timeout_minutes * 60):
                return None
            forgotten = await self.connector.pairing_forgotten(udid)
            if forgotten is None:
                return None  # no pairing of ours to ask about: no proof either way
            if not forgotten:
                return False  # the device still knows this station: the erase never reached it
            await self.connector.wait_setup_assistant(udid, _opts(ctx).erase_timeout_minutes * 60)
            return True
        except (PermanentError, TransientError, UserActionRequired, DeviceGone):
            return None


@dataclass
class SetupAssistantStep(IOSStep):
    """The device is on the bus in Setup Assistant (after an erase, or as it came out of the box)."""

    id: str = "ios.setup_assistant"
    title: Text = Text("Wait for Setup Assistant", "設定アシスタントを待機")

    async def _run(self, ctx: StepContext) -> StepResult:
        async with ctx.limit("erase"):
            with ctx.expecting_detach():  # still booting after the erase: it may come and go
                ctx.progress(0.5, Text("Waiting for the device to restart", "デバイスの再起動を待っています"))
                await self.connector.wait_setup_assistant(_udid(ctx), _opts(ctx).erase_timeout_minutes * 60)
        return StepResult.ok()


# ----- activation -------------------------------------------------------------------------------


async def ensure_activated(step: IOSStep, ctx: StepContext) -> bool:
    """Activate the device unless it already is; True when this call activated it."""
    ctx.progress(None, Text("Activating with Apple", "Appleでアクティベートしています"))
    return await activate_if_needed(step.connector, _udid(ctx), step.activation)


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
