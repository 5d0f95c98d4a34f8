"""Benchmark: how long the GUI's event loop stalls while the window runs a simulated batch (issue 17).

The GUI thread also drives every device (qasync), so a stall there is a frozen window *and* late
device I/O. This runs the real window (``kitstation --simulate N`` machinery: :func:`kitstation.ui.app.main`)
offscreen, with its own HOME, data directory and SQLite log, and a probe: a 5 ms precise Qt timer
whose lateness (time since its last firing minus 5 ms) is recorded from the moment the window is
shown until the batch ends (every tile is done, failed, waiting for the technician or awaiting
ABM/KME — nothing identifying, queued or working). Prints p50, p99 and max lateness (over the
whole run, and ``batch_*`` from the bench's start on, without the station's start-up), the batch's
wall time, the tile states at the end, the GUI process's CPU time and the machine's load average.

    python benchmarks/bench_gui.py --devices 64
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BUSY = {"attached", "identifying", "ready", "queued", "working"}


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1) + 0.5))]


def run(
    devices: int,
    probe_ms: int,
    timeout_s: float,
    lang: str,
    profile: Path | None = None,
    hold_s: float = 0.0,
    speed: float | None = None,
) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="bench-gui-"))
    # Everything the station writes goes under the temp dir: no real settings, log or pairing touched.
    os.environ.update(
        HOME=str(work / "home"),
        KITSTATION_DATA_DIR=str(work / "data"),
        KITSTATION_CONFIG_DIR=str(work / "config"),
        KITSTATION_LOG_DIR=str(work / "logs"),
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
    )
    (work / "home").mkdir()
    from kitstation.ui import app
    from kitstation.ui.qt import Qt, QTimer

    if speed is not None:
        # `kitstation --simulate N` has no speed option: the window splits N at the plan's default
        # speed, so the benchmark sets that default (slower devices: a longer batch).
        import functools

        from kitstation.station import SimulationPlan

        split = SimulationPlan.split
        SimulationPlan.split = staticmethod(functools.partial(split, speed=speed))  # type: ignore[method-assign]

    lateness: list[float] = []
    result: dict[str, Any] = {}
    timers: list[QTimer] = []
    load_before = os.getloadavg()
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    # The GUI thread's own CPU time (time.thread_time in that thread): what the window and the
    # loop cost, whatever the load; wall-clock stalls also count waiting for a core or the GIL.
    gui_cpu: dict[str, float] = {}
    profiler: Any = None
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()  # profiles the thread that enables it: the GUI thread

    def on_window(window: Any) -> None:
        probe = QTimer()
        probe.setTimerType(Qt.TimerType.PreciseTimer)
        probe.setInterval(probe_ms)
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            lateness.append(max(0.0, (now - last[0]) * 1000 - probe_ms))
            last[0] = now

        probe.timeout.connect(tick)
        # Samples before the bench is up include the station's start (simulators, adb server):
        # reported apart, so the batch's own figures are not hidden behind a one-off.
        window.controller.started.connect(lambda: result.setdefault("start_index", len(lateness)))
        started = time.perf_counter()
        gui_cpu["start"] = time.thread_time()
        window.controller.started.connect(lambda: gui_cpu.setdefault("bench", time.thread_time()))
        if profiler is not None:
            profiler.enable()
        watch = QTimer()
        watch.setInterval(250)

        def check() -> None:
            views = window.slot_model.views()
            states = Counter(v.state.value for v in views)
            elapsed = time.perf_counter() - started
            ended = len(views) >= devices and not (set(states) & BUSY)
            if ended and "batch_end" not in result:
                result["batch_end"] = round(elapsed, 1)
            # --hold: keep the window running (idle tiles, 1 Hz tick, counters) after the batch,
            # for a run of a given length.
            if (ended and elapsed >= hold_s) or elapsed > timeout_s:
                if profiler is not None:
                    profiler.disable()
                gui_cpu["end"] = time.thread_time()
                result.update(ended=ended, wall_s=round(elapsed, 1), states=dict(states), tiles=len(views))
                probe.stop()
                watch.stop()
                window.quit_now()

        watch.timeout.connect(check)
        probe.start()
        watch.start()
        timers.extend((probe, watch))

    args = argparse.Namespace(db=str(work / "kitlog.sqlite3"), lang=lang, simulate=devices)
    app.main(args, on_window=on_window)
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    batch = lateness[int(result.get("start_index", 0)):]
    result.update(
        batch_samples=len(batch),
        batch_p50_ms=round(statistics.median(batch), 2) if batch else 0.0,
        batch_p99_ms=round(percentile(batch, 0.99), 2),
        batch_max_ms=round(max(batch, default=0.0), 1),
    )
    result.update(
        devices=devices,
        probe_ms=probe_ms,
        samples=len(lateness),
        stall_p50_ms=round(statistics.median(lateness), 2) if lateness else 0.0,
        stall_p99_ms=round(percentile(lateness, 0.99), 2),
        stall_max_ms=round(max(lateness, default=0.0), 1),
        gui_thread_cpu_s=round(gui_cpu.get("end", 0.0) - gui_cpu.get("start", 0.0), 2),
        gui_thread_cpu_batch_s=round(gui_cpu.get("end", 0.0) - gui_cpu.get("bench", gui_cpu.get("start", 0.0)), 2),
        cpu_s=round((cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime), 1),
        load_before=[round(x, 2) for x in load_before],
        load_after=[round(x, 2) for x in os.getloadavg()],
        cores=os.cpu_count(),
    )
    if profiler is not None and profile is not None:
        import pstats

        profiler.dump_stats(str(profile))
        with profile.with_suffix(".txt").open("w") as f:
            stats = pstats.Stats(profiler, stream=f).sort_stats("tottime")
            stats.print_stats(40)
            stats.sort_stats("cumulative").print_stats(60)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--devices", type=int, default=64, help="simulated devices (half iOS, half Galaxy)")
    ap.add_argument("--probe-ms", type=int, default=5, help="the probe timer's interval")
    ap.add_argument("--timeout", type=float, default=900, help="give up after this many seconds")
    ap.add_argument("--lang", default="en", choices=("en", "ja"))
    ap.add_argument("--hold", type=float, default=0.0, help="keep the window running at least this many seconds")
    ap.add_argument("--speed", type=float, help="simulated device speed (default the demo's 20; 5 makes a ~3-minute batch)")
    ap.add_argument("--profile", type=Path, help="cProfile the GUI thread into this file (and a .txt summary)")
    a = ap.parse_args()
    out = run(a.devices, a.probe_ms, a.timeout, a.lang, a.profile, a.hold, a.speed)
    out["speed"] = a.speed or 20.0
    print(json.dumps(out, indent=2))
    return 0 if out.get("ended") else 1


if __name__ == "__main__":
    sys.exit(main())
