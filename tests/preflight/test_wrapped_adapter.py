"""The station's wrapped adapters keep their preflight on every Python the project supports.

The station wraps each adapter in :class:`HandoffAdapter`. From Python 3.12 ``isinstance`` against
a runtime-checkable protocol looks attributes up statically (``inspect.getattr_static``), so a
``preflight`` reached only through ``__getattr__`` was invisible to the bench there: runs started
on a broken blueprint and failed in their steps, after the device was touched. The static lookup is
asserted here so that Python 3.11 catches the same mistake.
"""

from __future__ import annotations

import inspect

from kitstation.blueprints import loads_blueprint
from kitstation.core.bench import Bench, BenchConfig, SlotState
from kitstation.core.pipeline import RetryPolicy
from kitstation.core.preflight import PreflightCheck, PreflightContext, Problem
from kitstation.domain.model import Platform
from kitstation.i18n import Text
from kitstation.log import KitLog
from kitstation.station.handoffs import HandoffAdapter
from tests.core.scripted import CheckedAdapter, ScriptedAdapter, ScriptedDevice

BP = loads_blueprint('name = "t"\n[android]\nmethod = "kme"\n[android.kme]\nprofile_name = "p"\n')
BROKEN = Problem("android.agent.sha256", Text("The agent's SHA-256 differs", "エージェントの SHA-256 が違います"), "agent_sha256")


async def test_a_wrapped_adapter_is_a_preflight_check_seen_statically() -> None:
    inner = CheckedAdapter(problems=(BROKEN,))
    wrapped = HandoffAdapter(inner, [])
    # What Python 3.12+ does inside isinstance(), done by hand so 3.11 checks it too.
    assert callable(inspect.getattr_static(wrapped, "preflight"))
    assert isinstance(wrapped, PreflightCheck)
    assert list(await wrapped.preflight(BP, PreflightContext(Platform.ANDROID))) == [BROKEN]
    assert len(inner.checks) == 1
    # An adapter without checks of its own contributes none through the wrapper.
    assert list(await HandoffAdapter(ScriptedAdapter(), []).preflight(BP, PreflightContext(Platform.ANDROID))) == []


async def test_the_bench_refuses_runs_through_a_wrapped_adapter(kitlog: KitLog) -> None:
    inner = CheckedAdapter(problems=(BROKEN,))
    cfg = BenchConfig(blueprints={Platform.ANDROID: BP}, retry=RetryPolicy(backoff=0.001), identify_retry=0.02)
    bench = Bench(kitlog, [HandoffAdapter(inner, [])], cfg)
    async with bench:
        device = ScriptedDevice("S1", "1-1")
        inner.plug(device)
        assert await bench.wait_until(lambda b: len(b.slots) == 1 and all(v.state.is_final for v in b.slots.values()), 60)
        (view,) = bench.slots.values()
        assert view.state == SlotState.FAILED and view.code == "preflight_failed"
        assert device.done_log == [] and kitlog.count() == 0  # no step ran, nothing logged as a run
