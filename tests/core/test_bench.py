"""The bench: auto-apply on plug-in, slots, re-plugs, user waits, limits, caps, cancel."""

from __future__ import annotations

import asyncio

from kitstation.blueprints import loads_blueprint
from kitstation.core.bench import Bench, BenchConfig, SlotState
from kitstation.core.pipeline import RetryPolicy
from kitstation.domain.events import Event, WaitingForUser
from kitstation.domain.model import Platform, UserAction
from kitstation.log import KitLog
from tests.core.scripted import ScriptedAdapter, ScriptedDevice

BP = loads_blueprint('name = "t"\n[android]\nmethod = "kme"\n[android.kme]\nprofile_name = "p"\n')


def _config(**kw: object) -> BenchConfig:
    cfg = BenchConfig(blueprints={Platform.ANDROID: BP}, retry=RetryPolicy(backoff=0.001), identify_retry=0.02)
    for k, v in kw.items():
        setattr(cfg, k, v)
    return cfg


def _all_final(n: int):  # type: ignore[no-untyped-def]
    return lambda b: sum(1 for v in b.slots.values() if v.state.is_final) >= n


async def test_plugged_devices_are_prepared_without_clicks(kitlog: KitLog) -> None:
    a = ScriptedAdapter()
    async with Bench(kitlog, [a], _config()) as bench:
        for i in range(10):
            a.plug(ScriptedDevice(f"S{i}", f"1-1.{i}"))
        assert await bench.wait_until(_all_final(10), 10)
        assert {v.state for v in bench.slots.values()} == {SlotState.DONE}
        assert bench.counters().done == 10
        assert set(bench.slots) == {f"1-1.{i}" for i in range(10)}  # slots are USB locations
    assert kitlog.count() == 10
    assert all(r["session_id"] == bench.session_id for r in kitlog.history())


async def test_a_failing_device_does_not_stop_the_others(kitlog: KitLog) -> None:
    a = ScriptedAdapter()
    async with Bench(kitlog, [a], _config()) as bench:
        a.plug(ScriptedDevice("BAD", "1-1", fail_permanent={"one"}))
        for i in range(5):
            a.plug(ScriptedDevice(f"S{i}", f"1-2.{i}"))
        assert await bench.wait_until(_all_final(6), 10)
        assert bench.slots["1-1"].state == SlotState.FAILED
        reason = bench.slots["1-1"].reason
        assert reason is not None and reason.en == "one refused"
        assert bench.counters().done == 5 and bench.counters().failed == 1


async def test_replug_after_done_is_not_redone_and_mid_run_resumes(kitlog: KitLog) -> None:
    a = ScriptedAdapter()
    done_dev = ScriptedDevice("DONE", "1-1")
    mid_dev = ScriptedDevice("MID", "1-2", hang_in={"two"})
    async with Bench(kitlog, [a], _config()) as bench:
        a.plug(done_dev)
        a.plug(mid_dev)
        assert await bench.wait_until(lambda b: b.slots.get("1-1") is not None and b.slots["1-1"].state == SlotState.DONE, 10)
        assert await bench.wait_until(lambda b: "1-2" in b.slots and b.slots["1-2"].step_id == "t.two", 10)
        a.unplug("MID")
        a.unplug("DONE")
        assert await bench.wait_until(lambda b: b.slots["1-2"].state == SlotState.INTERRUPTED, 10)
        mid_dev.hang_in.clear()
        a.plug(done_dev)
        a.plug(mid_dev)
        assert await bench.wait_until(lambda b: b.slots["1-2"].state == SlotState.DONE, 10)
        assert await bench.wait_until(lambda b: b.slots["1-1"].state == SlotState.DONE and b.slots["1-1"].attached, 10)
    assert done_dev.done_log == ["one", "two", "three"]
    assert mid_dev.done_log == ["one", "two", "three"]
    assert kitlog.count() == 2


async def test_trust_wait_is_shown_and_the_device_carries_on_by_itself(kitlog: KitLog) -> None:
    a = ScriptedAdapter(Platform.ANDROID)
    seen: list[Event] = []
    async with Bench(kitlog, [a], _config()) as bench:
        bench.subscribe(seen.append)
        a.plug(ScriptedDevice("T1", "1-1", needs_trust=True))
        assert await bench.wait_until(lambda b: "1-1" in b.slots and b.slots["1-1"].state == SlotState.WAITING_USER, 10)
        assert bench.slots["1-1"].action == UserAction.TAP_TRUST
        assert bench.counters().waiting_user == 1
        a.trust("T1")
        assert await bench.wait_until(_all_final(1), 10)
        assert bench.slots["1-1"].state == SlotState.DONE
    assert sum(isinstance(e, WaitingForUser) for e in seen) == 1  # shown once, not on every retry


async def test_limits_and_caps_are_respected(kitlog: KitLog) -> None:
    a = ScriptedAdapter(steps=("erase", "two"))
    cfg = _config(limits={"erase": 3}, max_active={Platform.ANDROID: 5})
    async with Bench(kitlog, [a], cfg) as bench:
        for i in range(12):
            a.plug(ScriptedDevice(f"S{i}", f"1-{i}", step_seconds=0.03))
        assert await bench.wait_until(_all_final(12), 20)
    assert a.resource_peak["erase"] == 3
    assert a.max_active_seen <= 5
    assert kitlog.count() == 12


async def test_cancel_one_and_all(kitlog: KitLog) -> None:
    a = ScriptedAdapter()
    async with Bench(kitlog, [a], _config()) as bench:
        for i in range(3):
            a.plug(ScriptedDevice(f"S{i}", f"1-{i}", hang_in={"two"}))
        assert await bench.wait_until(lambda b: sum(v.step_id == "t.two" for v in b.slots.values()) == 3, 10)
        bench.cancel("1-0")
        assert await bench.wait_until(lambda b: b.slots["1-0"].state == SlotState.CANCELLED, 10)
        assert bench.slots["1-1"].state == SlotState.WORKING
        bench.cancel()
        assert await bench.wait_until(_all_final(3), 10)
    statuses = sorted(r["status"] for r in kitlog.history())
    assert statuses == ["cancelled"] * 3


async def test_auto_apply_off_waits_for_apply(kitlog: KitLog) -> None:
    a = ScriptedAdapter()
    async with Bench(kitlog, [a], _config(auto_apply=False)) as bench:
        a.plug(ScriptedDevice("S1", "1-1"))
        assert await bench.wait_until(lambda b: "1-1" in b.slots and b.slots["1-1"].state == SlotState.READY, 10)
        await asyncio.sleep(0.05)
        assert kitlog.count() == 0
        await bench.apply("1-1")
        assert await bench.wait_until(_all_final(1), 10)
    assert kitlog.count() == 1


async def test_slot_names_are_kept_for_the_station(kitlog: KitLog) -> None:
    a = ScriptedAdapter()
    async with Bench(kitlog, [a], _config()) as bench:
        a.plug(ScriptedDevice("S1", "1-1.4"))
        assert await bench.wait_until(_all_final(1), 10)
        bench.rename_slot("1-1.4", "Hub A / 4")
        await asyncio.sleep(0.05)
    async with Bench(kitlog, [a], _config()) as bench2:
        a.plug(ScriptedDevice("S2", "1-1.4"))
        assert await bench2.wait_until(lambda b: "1-1.4" in b.slots, 10)
        assert bench2.slots["1-1.4"].label == "Hub A / 4"
