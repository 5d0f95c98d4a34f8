"""Phones the adapters cannot see (adb off, recovery mode) show on the bench from the USB listing."""

from __future__ import annotations

from kitstation.blueprints import load_blueprint
from kitstation.core.bench import BenchConfig, SlotState
from kitstation.core.protocols import KnownDevices
from kitstation.domain.model import Platform, UserAction
from kitstation.station import SimulationPlan, Station, UsbPresence
from kitstation.usb.simulated import demo_tree
from tests.bench.test_bench_android import DO_BLUEPRINT


async def test_adb_off_galaxy_asks_for_a_box_scan_and_a_seen_one_does_not() -> None:
    source = UsbPresence(demo_tree(galaxies=[("R58OFF0001", False), ("R58ON00002", True)], iphones=[("00008140001", "recovery")]))
    notices = await source.poll(KnownDevices(frozenset({"R58ON00002"}), frozenset(), None))
    by_loc = {n.location: n for n in notices}
    assert set(by_loc) == {"1-1.1", "1-1.3"}
    assert by_loc["1-1.1"].action == UserAction.SCAN_BOX and by_loc["1-1.1"].platform == Platform.ANDROID
    assert "scan its box" in by_loc["1-1.1"].reason.en and "スキャン" in by_loc["1-1.1"].reason.ja
    assert by_loc["1-1.3"].action == UserAction.RECOVERY_MODE and by_loc["1-1.3"].platform == Platform.IOS


async def test_simulated_bench_shows_the_notice_beside_prepared_phones(tmp_path) -> None:  # type: ignore[no-untyped-def]
    station = Station(db=str(tmp_path / "log.sqlite3"), platforms=(Platform.ANDROID,),
                      simulate=SimulationPlan(android=2, speed=100, usb_notices=1))
    await station.start()
    try:
        config = BenchConfig(blueprints={Platform.ANDROID: load_blueprint(DO_BLUEPRINT)}, presence_interval=0.05)
        bench = station.bench(config)
        await bench.start()
        try:
            assert await bench.wait_until(lambda b: sum(v.state == SlotState.DONE for v in b.slots.values()) == 2, 60)
            assert await bench.wait_until(lambda b: "1-1.1" in b.slots, 10)
            notice = bench.slots["1-1.1"]
            assert notice.state == SlotState.WAITING_USER and notice.action == UserAction.SCAN_BOX
            assert bench.counters().waiting_user == 1 and bench.counters().done == 2
        finally:
            await bench.stop()
    finally:
        await station.aclose()


def test_devices_command_lists_phones_adb_cannot_see(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from kitstation.cli.main import main

    assert main(["devices", "--db", str(tmp_path / "l.sqlite3"), "--platform", "android", "--simulate", "2",
                 "--simulate-usb", "1", "--speed", "100", "--settle", "1", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["state"] for r in rows].count("ready") == 2
    notice = [r for r in rows if r["state"] == "waiting_user"]
    assert len(notice) == 1 and notice[0]["action"] == "scan_box" and notice[0]["usb_location"] == "1-1.1"
    assert "scan its box" in notice[0]["reason"]["en"]
