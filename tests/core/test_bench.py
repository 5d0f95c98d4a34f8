"""The bench: auto-apply on plug-in, slots, re-plugs, user waits, limits, caps, cancel, events."""

from __future__ import annotations

from kitstation.blueprints import loads_blueprint
from kitstation.core.bench import Bench, BenchConfig, SlotState, SlotView
from kitstation.core.pipeline import RetryPolicy
from kitstation.core.slots import apply_event
from kitstation.domain.events import (
    Event,
    RunFinished,
    RunQueued,
    RunStarted,
    RunWithdrawn,
    SlotRenamed,
    StepFinished,
    WaitingForUser,
)
from kitstation.domain.model import Outcome, Platform, RunStatus, UserAction
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
        seen: list[Event] = []
        bench.subscribe(seen.append)
        assert await bench.wait_until(lambda b: "1-1" in b.slots and b.slots["1-1"].state == SlotState.READY, 10)
        # Ready is shown only after the bench decided not to start (same step of the loop).
        assert not any(isinstance(e, RunQueued | RunStarted) for e in seen)
        assert kitlog.count() == 0
        await bench.apply("1-1")
        assert await bench.wait_until(_all_final(1), 10)
    assert kitlog.count() == 1


async def test_slot_names_are_kept_for_the_station(kitlog: KitLog) -> None:
    a = ScriptedAdapter()
    async with Bench(kitlog, [a], _config()) as bench:
        a.plug(ScriptedDevice("S1", "1-1.4"))
        assert await bench.wait_until(_all_final(1), 10)
        seen: list[Event] = []
        bench.subscribe(seen.append)
        bench.rename_slot("1-1.4", "Hub A / 4")
        assert bench.slots["1-1.4"].label == "Hub A / 4"
        assert [e.label for e in seen if isinstance(e, SlotRenamed)] == ["Hub A / 4"]
    # Leaving the bench waits for the name to be written (stop awaits the bench's log writes).
    async with Bench(kitlog, [a], _config()) as bench2:
        a.plug(ScriptedDevice("S2", "1-1.4"))
        assert await bench2.wait_until(lambda b: "1-1.4" in b.slots, 10)
        assert bench2.slots["1-1.4"].label == "Hub A / 4"


async def test_every_slot_change_arrives_as_an_event(kitlog: KitLog) -> None:
    """A subscriber applying the events alone holds exactly bench.slots, at every event."""
    a = ScriptedAdapter()
    ios = ScriptedAdapter(Platform.IOS)  # no iOS blueprint: its device is held Ready
    rebuilt: dict[str, SlotView] = {}
    mismatches: list[tuple[str, str]] = []
    states: dict[str, list[SlotState]] = {}
    bench = Bench(kitlog, [a, ios], _config(max_active={Platform.ANDROID: 1}))

    def follow(e: Event) -> None:
        view = apply_event(rebuilt.get(e.slot), e)
        if view is None:
            rebuilt.pop(e.slot, None)
        else:
            rebuilt[e.slot] = view
            if not states.setdefault(e.slot, []) or states[e.slot][-1] != view.state:
                states[e.slot].append(view.state)
        if rebuilt != dict(bench.slots):
            mismatches.append((type(e).__name__, e.slot))

    bench.subscribe(follow)
    async with bench:
        first = ScriptedDevice("A", "1-1", hang_in={"two"})
        a.plug(first)
        assert await bench.wait_until(lambda b: "1-1" in b.slots and b.slots["1-1"].step_id == "t.two", 10)
        a.plug(ScriptedDevice("B", "1-2"))
        a.plug(ScriptedDevice("C", "1-3"))
        assert await bench.wait_until(
            lambda b: all(s in b.slots and b.slots[s].state == SlotState.QUEUED for s in ("1-2", "1-3")), 10
        )
        bench.rename_slot("1-2", "Hub A / 2")
        bench.cancel("1-3")  # queued: withdrawn, nothing logged
        assert await bench.wait_until(lambda b: b.slots["1-3"].state == SlotState.CANCELLED, 10)
        bench.cancel("1-1")  # working: cancelled in the log; B gets the place
        assert await bench.wait_until(lambda b: b.slots["1-2"].state == SlotState.DONE, 10)
        a.unplug("B")
        ios.plug(ScriptedDevice("I", "2-1"))
        trusting = ScriptedDevice("T", "1-4", needs_trust=True)
        a.plug(trusting)
        assert await bench.wait_until(
            lambda b: "2-1" in b.slots and b.slots["2-1"].state == SlotState.READY and b.slots["2-1"].reason is not None
            and "1-4" in b.slots and b.slots["1-4"].state == SlotState.WAITING_USER, 10
        )
        a.trust("T")
        assert await bench.wait_until(lambda b: b.slots["1-4"].state == SlotState.DONE, 10)
        first.hang_in.clear()
        a.unplug("A")
        a.plug(first)  # a cancelled run is not resumed: a new run, done
        assert await bench.wait_until(lambda b: b.slots["1-1"].state == SlotState.DONE and b.slots["1-1"].attached, 10)
        assert rebuilt == dict(bench.slots)
    assert rebuilt == dict(bench.slots)
    assert mismatches == []
    assert rebuilt["1-2"].label == "Hub A / 2" and not rebuilt["1-2"].attached
    assert SlotState.QUEUED in states["1-2"] and SlotState.QUEUED in states["1-3"]
    assert states["1-3"][-1] == SlotState.CANCELLED and SlotState.CANCELLED in states["1-1"]
    assert states["1-4"][:3] == [SlotState.ATTACHED, SlotState.IDENTIFYING, SlotState.WAITING_USER]
    assert sorted(r["status"] for r in kitlog.history()) == ["cancelled", "ok", "ok", "ok"]  # C never logged


async def test_a_step_waits_for_the_device_to_reboot_through_the_bench(kitlog: KitLog) -> None:
    a = ScriptedAdapter(steps=("one", "reboot", "two"))
    dev = ScriptedDevice("R", "1-1")
    seen: list[Event] = []
    async with Bench(kitlog, [a], _config()) as bench:
        bench.subscribe(seen.append)
        a.plug(dev)
        assert await a.reboots_requested.get() == "R"
        a.unplug("R")  # the step expects it: not an interruption
        a.plug(dev)
        assert await bench.wait_until(_all_final(1), 10)
        assert bench.slots["1-1"].state == SlotState.DONE
    assert dev.done_log == ["one", "reboot", "two"]
    assert [e.outcome for e in seen if isinstance(e, StepFinished)] == [Outcome.OK] * 3
    assert kitlog.count() == 1


async def test_a_replug_while_the_interrupted_run_is_still_ending_is_identified_after_it(kitlog: KitLog) -> None:
    # The replug arrives in the very callback that reports the run's end, before its task is over
    # (what Python 3.12's scheduling does on its own): it must not be taken for an erase re-attach.
    a = ScriptedAdapter()
    dev = ScriptedDevice("M", "1-1", hang_in={"two"})
    async with Bench(kitlog, [a], _config()) as bench:

        def replug_at_once(e: Event) -> None:
            if isinstance(e, RunFinished) and e.status == RunStatus.INTERRUPTED:
                dev.hang_in.clear()
                a.plug(dev)

        bench.subscribe(replug_at_once)
        a.plug(dev)
        assert await bench.wait_until(lambda b: "1-1" in b.slots and b.slots["1-1"].step_id == "t.two", 10)
        a.unplug("M")
        assert await bench.wait_until(lambda b: b.slots["1-1"].state == SlotState.DONE, 10)
    assert dev.done_log == ["one", "two", "three"]
    assert kitlog.count() == 1  # resumed, not restarted


async def test_unplugging_a_queued_device_withdraws_its_run(kitlog: KitLog) -> None:
    a = ScriptedAdapter()
    seen: list[Event] = []
    async with Bench(kitlog, [a], _config(max_active={Platform.ANDROID: 1})) as bench:
        bench.subscribe(seen.append)
        a.plug(ScriptedDevice("H", "1-1", hang_in={"one"}))
        assert await bench.wait_until(lambda b: "1-1" in b.slots and b.slots["1-1"].step_id == "t.one", 10)
        a.plug(ScriptedDevice("Q", "1-2"))
        assert await bench.wait_until(lambda b: "1-2" in b.slots and b.slots["1-2"].state == SlotState.QUEUED, 10)
        a.unplug("Q")
        assert await bench.wait_until(lambda b: b.slots["1-2"].state == SlotState.INTERRUPTED, 10)
        assert not bench.slots["1-2"].attached
    withdrawn = [e for e in seen if isinstance(e, RunWithdrawn)]
    assert [(e.slot, e.status) for e in withdrawn] == [("1-2", RunStatus.INTERRUPTED)]
