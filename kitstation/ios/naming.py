"""``ios.name``: the device's name through lockdown's ``DeviceName``, read back.

The name was made before the first step (:mod:`kitstation.core.naming`: pattern, CSV, the
batch's running number); this step writes it with pymobiledevice3's ``set_value(name,
key="DeviceName")`` in a paired session -- as ``pymobiledevice3 lockdown device-name`` and
libimobiledevice's ``idevicename`` do, no supervision needed -- then reads ``DeviceName`` back and
records what the device says (the step detail's ``device_name``, kept on the run for the reports
and labels). An erase gives the device its factory name again, so the step is planned after the
method's steps.
"""

from __future__ import annotations

from dataclasses import dataclass

from pymobiledevice3.exceptions import LockdownError

from kitstation.core.naming import NAME_DETAIL_KEY, NAME_SCRATCH_KEY
from kitstation.core.protocols import StepContext
from kitstation.domain.model import PermanentError, StepResult
from kitstation.i18n import Text
from kitstation.ios.stepbase import IOSStep, _udid

NO_NAME = Text(
    "No name was made for this device (the run has no [naming] for its batch)",
    "このデバイスの名前が作成されていません（バッチに [naming] がありません）",
)


def planned_name(ctx: StepContext) -> str:
    name = ctx.scratch.get(NAME_SCRATCH_KEY)
    if not isinstance(name, str) or not name:
        raise PermanentError(NO_NAME, code="name_missing")
    return name


@dataclass
class RenameStep(IOSStep):
    id: str = "ios.name"
    title: Text = Text("Name the device", "デバイス名を設定")

    async def _run(self, ctx: StepContext) -> StepResult:
        name = planned_name(ctx)
        udid = _udid(ctx)
        async with self.connector.guard(udid):
            ld = await self.connector.lockdown(udid)
            try:
                try:
                    await ld.set_value(name, key="DeviceName")
                except LockdownError as exc:
                    raise PermanentError(
                        Text(
                            "The device refused the name {n} ({e})",
                            "デバイスが名前 {n} を受け付けませんでした（{e}）",
                        ).format(n=name, e=type(exc).__name__),
                        code="name_refused",
                    ) from None
                got = await ld.get_value(key="DeviceName")
            finally:
                await ld.close()
        if got != name:
            raise PermanentError(
                Text(
                    "The device's name is {got}, not {n}, after renaming it",
                    "名前の変更後、デバイス名が {n} ではなく {got} です",
                ).format(got=got if isinstance(got, str) else "?", n=name),
                code="name_not_applied",
                detail={"wanted": name, "read_back": got if isinstance(got, str) else None},
            )
        return StepResult.ok(
            Text("Named {n} (read back)", "デバイス名 {n} を設定しました（読み戻し済み）").format(n=name),
            detail={NAME_DETAIL_KEY: got},
        )

    async def check_done(self, ctx: StepContext) -> bool | None:
        return None  # idempotent: setting the same name again does no harm
