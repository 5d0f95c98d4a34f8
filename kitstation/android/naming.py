"""``android.name``: the phone's device name as *Settings › About phone › Edit* keeps it, read back.

AOSP's Settings app (``DeviceNamePreferenceController``) stores the name in
``Settings.Global.DEVICE_NAME`` (``device_name``) and then passes it to the Bluetooth adapter
and the hotspot's SSID, both through APIs of apps holding Bluetooth / Wi-Fi permissions; the
``shell`` user writes global settings (``settings put global ...``, as the display step does), so
``settings put global device_name NAME`` is what adb can write. The Bluetooth name follows when
the Settings app next applies the device name; the station does not pretend to set it.

The name was made before the first step (:mod:`kitstation.core.naming`); it goes to the phone
inside the adb shell request (adbutils quotes it) and is read back with ``settings get``.
"""

from __future__ import annotations

import functools

from kitstation.android.steps import _Base, _shell
from kitstation.core.naming import NAME_DETAIL_KEY, NAME_SCRATCH_KEY
from kitstation.core.protocols import StepContext
from kitstation.domain.model import PermanentError, StepResult
from kitstation.i18n import Text

NAMESPACE, KEY = "global", "device_name"


class RenameStep(_Base):
    id = "android.name"
    title = Text("Name the phone", "端末名を設定")

    async def run(self, ctx: StepContext) -> StepResult:
        name = ctx.scratch.get(NAME_SCRATCH_KEY)
        if not isinstance(name, str) or not name:
            raise PermanentError(
                Text(
                    "No name was made for this phone (the run has no [naming] for its batch)",
                    "この端末の名前が作成されていません（バッチに [naming] がありません）",
                ),
                code="name_missing",
            )
        put = await self.rt.io(ctx, functools.partial(_shell, cmd=["settings", "put", NAMESPACE, KEY, name]))
        got = (await self.rt.io(ctx, functools.partial(_shell, cmd=["settings", "get", NAMESPACE, KEY]))).out
        got = got.rstrip("\r\n")
        if put.code != 0 or got != name:
            raise PermanentError(
                Text(
                    "The phone's name is {got}, not {n}, after renaming it{why}",
                    "名前の変更後、端末名が {n} ではなく {got} です{why}",
                ).format(got=got or "?", n=name, why=f" ({put.text.strip()})" if put.code != 0 else ""),
                code="name_not_applied",
                detail={"wanted": name, "read_back": got},
            )
        return StepResult.ok(
            Text("Named {n} (read back)", "端末名 {n} を設定しました（読み戻し済み）").format(n=name),
            detail={NAME_DETAIL_KEY: got},
        )
