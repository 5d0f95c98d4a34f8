"""The battery gate both platforms share: wait on the cable until the charge reaches the blueprint's minimum.

The adapter reads the level (Galaxy: ``dumpsys battery``; iPhone: lockdown's battery domain); this
loop polls it, shows "charging: 34 % of 50 %" on the slot while it waits, and returns the level at
hand-over for the step detail, so the log and the reports carry it. A phone that does not reach the
minimum within the budget fails with the level it reached (a bad cable or a port without power),
never "ok".
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from kitstation.core.protocols import StepContext
from kitstation.domain.model import PermanentError, StepResult
from kitstation.i18n import Text


@dataclass(frozen=True, slots=True)
class BatteryReading:
    """One reading: the charge in percent and whether the device says it is charging."""

    percent: int
    charging: bool | None = None


def charging_note(percent: int, minimum: int) -> Text:
    return Text("charging: {p} % of {m} %", "充電中: {p} %（必要 {m} %）").format(p=percent, m=minimum)


async def battery_gate(
    ctx: StepContext,
    read: Callable[[], Awaitable[BatteryReading]],
    *,
    minimum: int,
    budget_seconds: float,
    poll_seconds: float,
) -> StepResult:
    """Poll ``read`` until the level is at least ``minimum``; fail with the level reached after the budget."""
    deadline = time.monotonic() + budget_seconds
    first = reading = await read()
    while reading.percent < minimum:
        ctx.progress(reading.percent / minimum, charging_note(reading.percent, minimum))
        if time.monotonic() >= deadline:
            raise PermanentError(
                Text(
                    "The battery reached only {p} % of the {m} % needed in {mins} min{why}: check the cable and"
                    " the port's power, then redo the device",
                    "{mins} 分で電池が {p} %（必要 {m} %）までしか充電されませんでした{why_ja}: ケーブルとポートの給電を確認して"
                    "やり直してください",
                ).format(
                    p=reading.percent,
                    m=minimum,
                    mins=max(1, round(budget_seconds / 60)),
                    why=" (the device says it is not charging)" if reading.charging is False else "",
                    why_ja="（端末は充電中ではないと報告しています）" if reading.charging is False else "",
                ),
                code="battery_low",
                detail={"battery_percent": reading.percent, "min_battery_percent": minimum},
            )
        await asyncio.sleep(poll_seconds)
        reading = await read()
    return StepResult.ok(
        Text("Battery at {p} % (at least {m} %)", "電池 {p} %（{m} % 以上）").format(p=reading.percent, m=minimum),
        detail={
            "battery_percent": reading.percent,
            "min_battery_percent": minimum,
            "battery_percent_at_start": first.percent,
            "waited": first.percent < minimum,
        },
    )
