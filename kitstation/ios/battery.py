"""The iPhone battery gate (``ios.battery``): lockdown's ``com.apple.mobile.battery`` domain.

``BatteryCurrentCapacity`` (percent) and ``BatteryIsCharging`` are read with pymobiledevice3's
``get_value`` in a paired session, polled by :func:`kitstation.core.battery.battery_gate` until the
blueprint's ``min_battery_percent``; the level at hand-over is the step's detail. Planned last, so
the level recorded is the one the device leaves the bench with.
"""

from __future__ import annotations

from dataclasses import dataclass

from kitstation.core.battery import BatteryReading, battery_gate
from kitstation.core.protocols import StepContext
from kitstation.domain.model import PermanentError, StepResult
from kitstation.i18n import Text
from kitstation.ios.stepbase import IOSStep, _opts, _udid

BATTERY_DOMAIN = "com.apple.mobile.battery"


@dataclass
class BatteryStep(IOSStep):
    id: str = "ios.battery"
    title: Text = Text("Wait for the battery", "電池の充電を待つ")
    poll_seconds: float = 2.0
    budget_seconds: float | None = None  # None: the blueprint's battery_wait_minutes

    async def _run(self, ctx: StepContext) -> StepResult:
        opts = _opts(ctx)
        assert opts.min_battery_percent is not None
        udid = _udid(ctx)

        async def read() -> BatteryReading:
            async with self.connector.guard(udid):
                ld = await self.connector.lockdown(udid)
                try:
                    values = await ld.get_value(BATTERY_DOMAIN)
                finally:
                    await ld.close()
            level = values.get("BatteryCurrentCapacity") if isinstance(values, dict) else None
            if not isinstance(level, int):
                raise PermanentError(
                    Text(
                        "The device did not report its battery level (lockdown {d} has no BatteryCurrentCapacity)",
                        "デバイスが電池残量を報告しませんでした（lockdown {d} に BatteryCurrentCapacity がありません）",
                    ).format(d=BATTERY_DOMAIN),
                    code="battery_unreadable",
                )
            charging = values.get("BatteryIsCharging")
            return BatteryReading(level, charging if isinstance(charging, bool) else None)

        budget = self.budget_seconds if self.budget_seconds is not None else opts.battery_wait_minutes * 60.0
        return await battery_gate(
            ctx, read, minimum=opts.min_battery_percent, budget_seconds=budget, poll_seconds=self.poll_seconds
        )
