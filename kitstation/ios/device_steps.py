"""The iOS steps that bring a device to a fresh, activated Setup Assistant: erase, wait, activate, language.

The erase is the one step that is not idempotent. It is recorded done only on evidence from the
device (its acknowledgement, logged before the next step relies on it; after an interruption, the
device having forgotten this station's pairing), never inferred from "in Setup Assistant without a
configuration", which every new device already is.
"""

from __future__ import annotations

import asyncio
import time
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


ERASE_NOT_STARTED = Text(
    "The device did not restart after the erase request",
    "消去の要求後にデバイスが再起動しませんでした",
)
ERASE_UNPROVEN = Text(
    "It cannot be proven whether the device erased: its answer to the erase request was lost and"
    " it gives no evidence either way. Look at the device: an Apple logo with a progress bar, or"
    " \u201cHello\u201d, means it erased. Then redo the device (it is not erased again automatically)",
    "デバイスが消去されたかどうかを確認できません（消去要求への応答が失われ、デバイスからも判断できません）。"
    "デバイスの画面を確認してください。進行状況バー付きのAppleロゴ、または「こんにちは」の画面なら消去されています。"
    "その後デバイスをやり直してください（自動では再度消去しません）",
)


async def request_erase(connector: Connector, ctx: StepContext) -> str | None:
    """Send EraseDevice; the device's answer (``Acknowledged``), None when it was sent and no answer came.

    pymobiledevice3's ``erase_device`` hides a connection the device closed before answering (it
    cannot tell an erase from a lost request), so the request goes through its service directly:
    only an ``Acknowledged`` reply counts. An error before the request is written (connecting,
    StartSession, StartService) raises as usual: nothing was sent, a retry is safe. Once it is
    written, a lost answer is not a lost link to retry: the device may have carried it out (it
    closes the connection as it begins erasing), so the caller looks for evidence instead.
    """
    opts = _opts(ctx)
    udid = _udid(ctx)
    request: dict[str, str | bool] = {
        "RequestType": "EraseDevice",
        "PreserveDataPlan": opts.preserve_data_plan,
        "DisallowProximitySetup": False,
    }
    written = False
    reply: object = None
    try:
        async with connector.mcinstall(udid) as (_ld, mc):
            written = True
            reply = await mc.service.send_recv_plist(request)
    except (TransientError, DeviceGone, UserActionRequired):
        if not written:
            raise
        if reply is None:
            return None  # sent, unanswered: carried out or not, only the device can tell
        # Answered, and only closing the connection failed (the device leaving): the answer counts.
    status = reply.get("Status") if isinstance(reply, dict) else None
    if status != "Acknowledged":
        code, text = replies.reason(f"The device rejected the request: {reply!r}")
        raise PermanentError(text, code=code, detail={"device_answer": str(reply)[:300]})
    return str(status)


async def erase_and_wait(connector: Connector, ctx: StepContext) -> None:
    """EraseDevice, then wait for the device to leave the bus and come back in Setup Assistant.

    For erases inside another (idempotent) step (``erase_if_configured``, which erases only a
    device holding a configuration, so a repeat finds none); the plan's own erase is
    :class:`EraseStep` + :class:`SetupAssistantStep`, so the acknowledgement is logged in between.
    """
    opts = _opts(ctx)
    udid = _udid(ctx)
    async with ctx.limit("erase"):
        with ctx.expecting_detach():
            ctx.progress(0.05, Text("Erasing", "消去しています"))
            before = await connector.mux_id(udid)
            await request_erase(connector, ctx)
            if await connector.wait_left(udid, before) == "stayed":
                raise PermanentError(ERASE_NOT_STARTED, code="erase_not_started")
            ctx.progress(0.5, Text("Waiting for the device to restart", "デバイスの再起動を待っています"))
            await connector.wait_setup_assistant(udid, opts.erase_timeout_minutes * 60)
    ctx.progress(1.0, None)


@dataclass
class EraseStep(IOSStep):
    """EraseDevice; done when the device acknowledged it and left the bus, or proved it erased.

    Recorded as done only on evidence, and EraseDevice is sent again only to a device that proves
    it did not erase. The evidence: the device's ``Acknowledged`` answer; else (the answer lost, in
    the run or after an interruption, ``check_done``) the device no longer knowing the pairing this
    station had with it before the request (an erase wipes every pairing; a device sitting in Setup
    Assistant loses them no other way). A device that still accepts our pairing was never erased
    (run again: safe). Anything else is unknown: the step stops and asks the technician, it never
    assumes either way.
    """

    id: str = "ios.erase"
    title: Text = Text("Erase the device", "デバイスを消去")
    idempotent: bool = False

    async def _run(self, ctx: StepContext) -> StepResult:
        udid = _udid(ctx)
        # Only what is seen after this point may count as evidence of this erase; the pairing
        # the device has now is kept, so that a re-pair after the erase cannot hide it.
        self.connector.forgot_pairing.discard(udid)
        self.connector.keep_pairing_for_erase(udid, ctx.run_id)
        async with ctx.limit("erase"):
            with ctx.expecting_detach():
                ctx.progress(0.05, Text("Erasing", "消去しています"))
                before = await self.connector.mux_id(udid)
                answer = await request_erase(self.connector, ctx)
                where = await self.connector.wait_left(udid, before)
        if where == "left" and answer is None:
            # Gone unanswered: erasing, or the cable pulled. On re-plug check_done asks the device.
            raise DeviceGone(
                Text(
                    "The device left the bus before answering the erase request",
                    "デバイスが消去要求に応答する前に切断されました",
                ),
                code="erase_unanswered",
            )
        if answer is not None and where != "stayed":
            return StepResult.ok(
                Text("The device acknowledged the erase and restarted", "デバイスが消去を受け付け、再起動しました"),
                detail={"device_answer": answer, "evidence": "acknowledged"},
            )
        # Back already without our having seen it go, or still here: only the device can tell.
        erased = await self._erased(ctx)
        if erased is True:
            return StepResult.ok(
                Text(
                    "The device erased: it no longer knows this station's pairing",
                    "デバイスは消去されました（このステーションとのペアリングが消えています）",
                ),
                detail={"device_answer": answer, "evidence": "pairing_forgotten", "seen": where},
            )
        if erased is False and answer is None:
            # Proven not erased (it still knows us and never left): sending again is safe.
            raise TransientError(
                Text(
                    "The device's answer to the erase request was lost; it did not erase",
                    "消去要求への応答が失われました。デバイスは消去されていません",
                ),
                code="erase_answer_lost",
            )
        if erased is False:
            raise PermanentError(ERASE_NOT_STARTED, code="erase_not_started")
        raise PermanentError(ERASE_UNPROVEN, code="erase_unproven", detail={"seen": where})

    async def _erased(self, ctx: StepContext) -> bool | None:
        """Has the device forgotten the pairing it had with this station? None: no proof either way.

        Asked until the device answers (it may be on the bus with lockdownd not up yet after its
        reboot), within the erase's time budget.
        """
        udid = _udid(ctx)
        deadline = time.monotonic() + _opts(ctx).erase_timeout_minutes * 60
        while True:
            try:
                if not await self.connector.wait_attached(udid, max(0.0, deadline - time.monotonic())):
                    return None
                return await self.connector.pairing_forgotten(udid, ctx.run_id)
            except (TransientError, DeviceGone, UserActionRequired):
                if time.monotonic() > deadline:
                    return None
                await asyncio.sleep(self.connector.timing.poll_interval)
            except PermanentError:
                return None

    async def check_done(self, ctx: StepContext) -> bool | None:
        udid = _udid(ctx)
        try:
            forgotten = await self._erased(ctx)
            if forgotten is None:
                return None  # no pairing of ours to ask about, or no answer: no proof either way
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
