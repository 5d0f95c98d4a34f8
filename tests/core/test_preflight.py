"""The preflight: a blueprint that can fail without a device is refused before any step runs."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from kitstation.blueprints import loads_blueprint
from kitstation.blueprints.model import Blueprint
from kitstation.core.bench import Bench, BenchConfig, SlotState
from kitstation.core.pipeline import RetryPolicy
from kitstation.core.preflight import Preflight, PreflightCheck, PreflightContext, Problem
from kitstation.core.protocols import DictSecrets
from kitstation.domain.events import DeviceAttached, Event, PreflightResult
from kitstation.domain.model import Device, Platform
from kitstation.i18n import Text
from kitstation.log import KitLog
from tests.core.scripted import CheckedAdapter, ScriptedDevice
from tests.fixtures.waiting import until

BP = loads_blueprint('name = "t"\n[android]\nmethod = "kme"\n[android.kme]\nprofile_name = "p"\n')
NO_IDENTITY = Problem(
    "ios.supervision.identity",
    Text("Supervision identity 'acme' is not in the store", "監視識別情報 'acme' がありません"),
    "identity_missing",
)


def _config(**kw: object) -> BenchConfig:
    cfg = BenchConfig(blueprints={Platform.ANDROID: BP}, retry=RetryPolicy(backoff=0.001), identify_retry=0.02)
    for k, v in kw.items():
        setattr(cfg, k, v)
    return cfg


async def test_a_failing_preflight_refuses_every_run_before_any_step(kitlog: KitLog) -> None:
    a = CheckedAdapter(problems=(NO_IDENTITY,))
    seen: list[Event] = []
    bench = Bench(kitlog, [a], _config())
    bench.subscribe(seen.append)
    async with bench:
        result = bench.preflight(Platform.ANDROID)  # checked when the bench starts
        assert result is not None and not result.ok and result.problems == (NO_IDENTITY,)
        assert [e.ok for e in seen if isinstance(e, PreflightResult)] == [False]
        devices = [ScriptedDevice(f"S{i}", f"1-{i}") for i in range(3)]
        for d in devices:
            a.plug(d)
        assert await bench.wait_until(lambda b: len(b.slots) == 3 and all(v.state.is_final for v in b.slots.values()), 10)
        for view in bench.slots.values():
            assert view.state == SlotState.FAILED and view.code == "preflight_failed"
            assert view.reason is not None and "not in the store" in view.reason.en and "監視識別情報" in view.reason.ja
        assert a.max_active_seen == 0 and all(d.done_log == [] for d in devices)  # no step ran
        assert kitlog.count() == 0  # nothing logged as a run: the devices were never touched
        assert len(a.checks) == 1  # one check for the whole batch (cached)

        # The technician fixes the blueprint's problem and chooses it again: the refused devices start.
        a.problems.clear()
        bench.set_blueprint(Platform.ANDROID, BP)
        assert await bench.wait_until(lambda b: all(v.state == SlotState.DONE for v in b.slots.values()), 10)
        fixed = bench.preflight(Platform.ANDROID)
        assert fixed is not None and fixed.ok
    assert [e.ok for e in seen if isinstance(e, PreflightResult)] == [False, True]
    assert all(d.done_log == ["one", "two", "three"] for d in devices)
    assert kitlog.count() == 3


class _CountsIdentify(CheckedAdapter):
    """Identifying is the first touch (an iPhone is paired for it): count when it happens."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        super().__init__(problems=problems)
        self.identified: list[str] = []

    async def identify(self, connection_id: str) -> Device:
        self.identified.append(connection_id)
        return await super().identify(connection_id)


async def test_a_device_attached_at_start_is_not_touched_before_the_first_check(kitlog: KitLog) -> None:
    # Found under load in CI: the blueprint's check (hashing an app file) took longer than the
    # iPhone's identify, which paired with it, and `prepare` then said "no device was touched".
    a = _CountsIdentify(problems=(NO_IDENTITY,))
    a.gate = asyncio.Event()
    bench = Bench(kitlog, [a], _config(identify_when_refused=False))  # as `prepare` runs it
    # The check ends only once the bench has the device: the identify would be due by then.
    bench.subscribe(lambda e: a.gate.set() if isinstance(e, DeviceAttached) and a.gate else None)
    a.plug(ScriptedDevice("S1", "1-1"))
    await asyncio.wait_for(bench.start(), 60)
    result = bench.preflight(Platform.ANDROID)
    assert result is not None and not result.ok
    # However long `prepare` takes to refuse the blueprint and stop the bench, nothing is identified.
    await asyncio.sleep(0)
    assert a.identified == []
    await bench.stop()
    assert a.identified == [] and kitlog.count() == 0


async def test_the_gui_bench_identifies_after_the_first_check_even_when_refused(kitlog: KitLog) -> None:
    a = _CountsIdentify(problems=(NO_IDENTITY,))
    a.gate = asyncio.Event()
    bench = Bench(kitlog, [a], _config())
    bench.subscribe(lambda e: a.gate.set() if isinstance(e, DeviceAttached) and a.gate else None)
    a.plug(ScriptedDevice("S1", "1-1"))
    async with bench:
        checked = bench.preflight(Platform.ANDROID)
        assert checked is not None and not checked.ok and a.identified == []  # not before the check
        assert await bench.wait_until(lambda b: "1-1" in b.slots and b.slots["1-1"].state.is_final, 60)
        assert bench.slots["1-1"].code == "preflight_failed" and a.identified == ["S1"]


async def test_the_blueprint_is_checked_again_before_a_later_run(kitlog: KitLog) -> None:
    # With a zero max age every run checks first: a problem that appears after the blueprint was
    # chosen (an identity deleted, a URL gone) stops the next device before its first step.
    a = CheckedAdapter()
    async with Bench(kitlog, [a], _config(preflight_max_age=0.0)) as bench:
        first = ScriptedDevice("S1", "1-1")
        a.plug(first)
        assert await bench.wait_until(lambda b: "1-1" in b.slots and b.slots["1-1"].state == SlotState.DONE, 10)
        a.problems.append(NO_IDENTITY)
        second = ScriptedDevice("S2", "1-2")
        a.plug(second)
        assert await bench.wait_until(lambda b: "1-2" in b.slots and b.slots["1-2"].state.is_final, 10)
        assert bench.slots["1-2"].state == SlotState.FAILED and bench.slots["1-2"].code == "preflight_failed"
    assert first.done_log == ["one", "two", "three"] and second.done_log == []
    assert kitlog.count() == 1


class _NeedsSecret:
    """An extra check (as the station adds for cloud credentials): the Wi-Fi password must be there."""

    def __init__(self) -> None:
        self.platforms: list[Platform] = []

    async def preflight(self, blueprint: Blueprint, ctx: PreflightContext) -> Sequence[Problem]:
        self.platforms.append(ctx.platform)
        try:
            await ctx.secrets.get("wifi", Text("Wi-Fi password", "Wi-Fiパスワード"))
        except Exception as exc:
            return [Problem("ios.wifi.password", Text(str(exc), str(exc)), "secret_missing")]
        return []


class _Crashes:
    async def preflight(self, blueprint: Blueprint, ctx: PreflightContext) -> Sequence[Problem]:
        raise RuntimeError("boom")


async def test_extra_checks_crashes_and_missing_sections_are_problems() -> None:
    needs = _NeedsSecret()
    checks: list[PreflightCheck] = [needs, _Crashes()]
    assert all(isinstance(c, PreflightCheck) for c in checks)
    pre = Preflight(lambda _p: checks)
    result = await pre.check(Platform.ANDROID, BP, DictSecrets({}))
    assert [p.code for p in result.problems] == ["secret_missing", "preflight_error"]
    assert "boom" in result.problems[1].reason.en and "_Crashes" in result.problems[1].reason.ja
    assert needs.platforms == [Platform.ANDROID]
    ok = await Preflight(lambda _p: [needs]).check(Platform.ANDROID, BP, DictSecrets({"wifi": "x"}))
    assert ok.ok and ok.blueprint == "t" and len(ok.blueprint_hash) == 64
    # No [ios] section: that is the problem, and the platform's checks are not asked.
    ios = await pre.check(Platform.IOS, BP)
    assert [(p.field, p.code) for p in ios.problems] == [("ios", "no_platform_section")]
    assert needs.platforms == [Platform.ANDROID, Platform.ANDROID]


async def test_concurrent_checks_of_one_blueprint_share_one_run() -> None:
    a = CheckedAdapter()
    a.gate = asyncio.Event()
    published: list[PreflightResult] = []
    pre = Preflight(lambda _p: [a], on_result=published.append)
    waiting = [asyncio.create_task(pre.check(Platform.ANDROID, BP)) for _ in range(5)]
    await until(lambda: a.checks, "the first caller's check to start")
    a.gate.set()
    results = await asyncio.gather(*waiting)
    assert len(a.checks) == 1 and len(published) == 1
    assert all(r is results[0] for r in results)
    assert await pre.check(Platform.ANDROID, BP) is results[0]  # cached
    assert (await pre.check(Platform.ANDROID, BP, fresh=True)) is not results[0]
    assert len(a.checks) == 2
