"""Micro-benchmark of the log's writes per run transition, on a temporary SQLite log.

    .venv/bin/python benchmarks/bench_writer.py [--runs 300] [--steps 8] [--json]

Times, by this thread's CPU clock (``time.thread_time``: a busy machine's waits for a core do
not count), the writer calls the pipeline makes for every run of a batch: ``open_run`` (the
device's row, the blueprint, the run and its first step in one transaction), then ``--steps``
times ``step_ended_then_started`` (the step's end with a message and a detail, the next step's
start), then ``step_ended_then_run_ended``. Each figure is the mean over ``--runs`` runs, in
milliseconds. The batch benchmark (``bench_batch.py``) shows the same calls' waits and run times
inside a batch; this one isolates their CPU, which a 64-device batch's noise hides.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kitstation.blueprints import loads_blueprint  # noqa: E402
from kitstation.core.pipeline import FINISHED, RESUMABLE  # noqa: E402
from kitstation.domain.model import Device, Outcome, Platform, RunStatus  # noqa: E402
from kitstation.i18n import Text  # noqa: E402
from kitstation.log import KitLog, StepEnd  # noqa: E402

BP = loads_blueprint('name = "bench"\n[ios]\nmethod = "dep"\n')


def measure(runs: int, steps: int) -> dict[str, float]:
    """Mean thread CPU per call, in ms."""
    with tempfile.TemporaryDirectory(prefix="kitstation-writer-") as work:
        log = KitLog("sqlite:///" + os.path.join(work, "log.db"))
        try:
            station = log.station("bench")
            t_open = t_step = t_end = 0.0
            for i in range(runs):
                device = Device(Platform.IOS, f"UDID-{i:06d}", serial=f"F{i:06d}", udid=f"UDID-{i:06d}")
                c = time.thread_time()
                opening = log.open_run(
                    device, BP, station, slot="1-1", done=FINISHED, resume=RESUMABLE, first_step="s0"
                )
                t_open += time.thread_time() - c
                event = log.step_started(opening.run_id, "s0")
                for k in range(steps):
                    end = StepEnd(event, Outcome.OK, None, Text("Done", "完了"), {"step": k, "name": "iPhone"})
                    c = time.thread_time()
                    event = log.step_ended_then_started(end, opening.run_id, f"s{k + 1}")
                    t_step += time.thread_time() - c
                c = time.thread_time()
                log.step_ended_then_run_ended(StepEnd(event, Outcome.OK), opening.run_id, RunStatus.OK)
                t_end += time.thread_time() - c
        finally:
            log.close()
    return {
        "open_run_ms": round(t_open / runs * 1e3, 3),
        "step_ended_then_started_ms": round(t_step / runs / steps * 1e3, 3),
        "step_ended_then_run_ended_ms": round(t_end / runs * 1e3, 3),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--steps", type=int, default=8)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.runs < 1 or args.steps < 1:
        ap.error("--runs and --steps must be at least 1")
    load = os.getloadavg()[0]
    figures = {"runs": args.runs, "steps": args.steps, "load_avg_1m": round(load, 2), **measure(args.runs, args.steps)}
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(
            f"open_run {figures['open_run_ms']} ms, step_ended_then_started {figures['step_ended_then_started_ms']} ms, "
            f"step_ended_then_run_ended {figures['step_ended_then_run_ended_ms']} ms (thread CPU, load {load:.2f})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
