"""The bench on AndroidAdapter: plug in -> identified -> Device Owner, an unauthorized phone waits for the
technician and is picked up by itself once USB debugging is accepted."""

from __future__ import annotations

from pathlib import Path

from kitstation.android import AndroidAdapter
from kitstation.blueprints.loader import loads_blueprint
from kitstation.core.bench import Bench, BenchConfig, SlotState
from kitstation.core.pipeline import RetryPolicy
from kitstation.domain.model import Platform, UserAction
from kitstation.log import KitLog
from kitstation.simulator.android import AndroidSimulator


async def test_bench_prepares_galaxies(android_sim: AndroidSimulator, kitlog: KitLog, demo_apk: Path) -> None:
    bp = loads_blueprint(
        f"""
name = "DO"
[android]
method = "device_owner"
[android.agent]
file = "{demo_apk}"
package = "jp.kitstation.demoagent"
admin_receiver = "jp.kitstation.demoagent/.AdminReceiver"
"""
    )
    ready = android_sim.plug("SM-A525F")
    waiting = android_sim.plug("SM-S911B", authorized=False)
    adapter = AndroidAdapter(adb_port=android_sim.adb_port)
    config = BenchConfig(
        blueprints={Platform.ANDROID: bp}, retry=RetryPolicy(attempts=2, backoff=0.05), identify_retry=0.2
    )
    bench = Bench(kitlog, [adapter], config)
    try:
        await bench.start()
        assert await bench.wait_until(
            lambda b: (
                any(v.state == SlotState.DONE for v in b.slots.values())
                and any(v.action == UserAction.ACCEPT_USB_DEBUGGING for v in b.slots.values())
            ),
            timeout=30,
        ), bench.slots
        waiting.accept_usb_debugging()
        assert await bench.wait_until(
            lambda b: len(b.slots) == 2 and all(v.state == SlotState.DONE for v in b.slots.values()), timeout=30
        ), bench.slots
        keys = {v.device.key for v in bench.slots.values() if v.device is not None}
        assert keys == {ready.serial, waiting.serial}
        assert ready.device_owner and waiting.device_owner
    finally:
        await bench.stop()
        await adapter.aclose()
