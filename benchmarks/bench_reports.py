"""Benchmark of the kitting reports: N devices/runs in a temp SQLite log, every format exported.

    .venv/bin/python benchmarks/bench_reports.py --devices 100000

Fills the log with Core bulk inserts (seconds for 100k rows), then exports each format in its own
child process so each gets its own peak RSS, and prints wall time, peak RSS and the tracemalloc
peak (a second child run under tracemalloc, which slows Python down: its time is not reported),
the CPU time of the exporting process (``time.process_time()``: SQLite works in-process; on a
shared machine the steadier figure), the file's and the rows' SHA-256 (a change to the writers
must keep them) and the load average before and after. ``--db FILE`` keeps the filled log for
the next run (the same rows: before and after a change compare byte for byte).
``fill_bulk`` is also what the constant-memory tests use.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kitstation.blueprints import loads_blueprint  # noqa: E402
from kitstation.log import KitLog  # noqa: E402
from kitstation.log.tables import device_t, run_t, session_t  # noqa: E402

IOS_BP = """
name = "Bench iOS"
[ios]
method = "supervise"
[ios.mdm_server]
name = "MDM"
url = "https://mdm.example.jp/x/"
"""
ANDROID_BP = """
name = "Bench KME"
[android]
method = "kme"
[android.kme]
profile_name = "KME"
"""
MODELS = {
    "ios": [("iPhone15,2", "iPhone 14 Pro"), ("iPhone14,5", "iPhone 13"), ("iPad13,18", "iPad (10th generation)")],
    "android": [("SM-A546E", "Galaxy A54 5G"), ("SM-S911C", "Galaxy S23"), ("SM-A236E", "Galaxy A23 5G")],
}
FORMATS = ("csv", "xlsx", "pdf", "json", "kme-csv", "abm-csv")
CHUNK = 5000


def fill_bulk(log: KitLog, n: int, *, start: datetime | None = None, per_session: int = 60) -> None:
    """``n`` devices with one run each, in batches of ``per_session``, with Core executemany inserts."""
    base = start or datetime(2026, 11, 2, 0, 0, tzinfo=UTC)
    stations = [log.station(f"bench-{i:02d}") for i in range(1, 4)]
    techs = [log.technician(name) for name in ("山田 太郎", "佐藤 花子", "Suzuki", "Tanaka", "Ito")]
    bps = {"ios": log.blueprint(loads_blueprint(IOS_BP)), "android": log.blueprint(loads_blueprint(ANDROID_BP))}
    with log.engine.connect() as conn:
        dev0 = int(conn.execute(select(func.coalesce(func.max(device_t.c.id), 0))).scalar_one())
    sessions = (n + per_session - 1) // per_session
    with log.engine.begin() as conn:
        conn.execute(
            insert(session_t),
            [
                {
                    "station_id": stations[s % 3],
                    "technician_id": techs[s % 5],
                    "label": f"batch {s}",
                    "customer": "株式会社ベンチ商事" if s % 2 == 0 else "Bench Corp",
                    "order_ref": f"PO-{s // 10:05d}",
                    "started_at": base + timedelta(minutes=20 * s),
                }
                for s in range(sessions)
            ],
        )
        sess0 = int(conn.execute(select(func.min(session_t.c.id))).scalar_one())
    for lo in range(0, n, CHUNK):
        devices: list[dict[str, Any]] = []
        runs: list[dict[str, Any]] = []
        for i in range(lo, min(n, lo + CHUNK)):
            platform = "ios" if i % 2 == 0 else "android"
            model, name = MODELS[platform][i % 3]
            serial = f"F2L{i:09d}" if platform == "ios" else f"R58M{i:08d}"
            roll = i % 20
            status = "failed" if roll == 7 else "waiting_external" if roll == 4 else "ok"  # 5 % each
            t0 = base + timedelta(seconds=20 * i)
            devices.append(
                {
                    "platform": platform,
                    "key": serial if platform == "android" else f"00008110-{i:016X}",
                    "udid": f"00008110-{i:016X}" if platform == "ios" else None,
                    "serial": serial,
                    "imei": f"35{i:013d}" if platform == "android" or i % 3 else None,
                    "model_id": model,
                    "marketing_name": name,
                    "os_version": "17.1" if platform == "ios" else "14",
                    "external_state": "awaiting_abm" if platform == "ios" else "kme_registered",
                    "first_seen": t0,
                    "last_seen": t0,
                }
            )
            runs.append(
                {
                    "device_id": dev0 + i + 1,
                    "blueprint_id": bps[platform],
                    "session_id": sess0 + i // per_session,
                    "station_id": stations[(i // per_session) % 3],
                    "technician_id": techs[(i // per_session) % 5],
                    "platform": platform,
                    "slot": f"hub{i % 4}-{i % 10}",
                    "status": status,
                    "current_step": "verify",
                    "error_code": "wifi_timeout" if status == "failed" else None,
                    "reason_en": "Wi-Fi did not connect in time" if status == "failed" else None,
                    "reason_ja": "Wi-Fiの接続がタイムアウトしました" if status == "failed" else None,
                    "started_at": t0,
                    "ended_at": t0 + timedelta(minutes=7),
                }
            )
        with log.engine.begin() as conn:
            conn.execute(insert(device_t), devices)
            conn.execute(insert(run_t), runs)


def _one(db: str, fmt: str, out_dir: str, trace: bool) -> dict[str, Any]:
    from kitstation.log.store import RunFilter
    from kitstation.reports import ReportOptions, export_report

    log = KitLog(db, migrate=False)
    suffix = {"kme-csv": ".kme.csv", "abm-csv": ".abm.csv"}.get(fmt, "." + fmt)
    # Warm-up on a handful of rows: module imports and font loading are one-off costs, not the export's.
    warm = RunFilter(until=datetime(2026, 11, 2, 0, 1, tzinfo=UTC))  # the first 3 runs
    export_report(log, fmt, Path(out_dir) / f"warm{suffix}", warm, ReportOptions(language="ja"))
    if trace:
        tracemalloc.start()
    c0, t0 = time.process_time(), time.perf_counter()
    result = export_report(log, fmt, Path(out_dir) / f"report{suffix}", options=ReportOptions(language="ja"))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    log.close()
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "format": fmt,
        "rows": result.rows,
        "seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "file_sha256": result.file_sha256,
        "rows_sha256": result.rows_sha256,
        "rss_mb": round(rss_kb / 1024, 1),
        "tracemalloc_mb": round(peak / 2**20, 1),
        "size_mb": round(result.path.stat().st_size / 2**20, 2),
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--devices", type=int, default=100_000)
    p.add_argument("--formats", default=",".join(FORMATS))
    p.add_argument("--one", nargs=4, metavar=("DB", "FORMAT", "OUTDIR", "TRACE"), help=argparse.SUPPRESS)
    p.add_argument("--db", help="an SQLite file: reused when it exists, else filled and kept (for before/after runs)")
    p.add_argument("--no-trace", action="store_true", help="skip the tracemalloc run")
    args = p.parse_args()
    if args.one:
        db, fmt, out_dir, trace = args.one
        print(json.dumps(_one(db, fmt, out_dir, trace == "1")))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.db) if args.db else Path(tmp) / "bench.sqlite3"
        db = f"sqlite:///{path}"
        if not path.exists():
            log = KitLog(db)
            t0 = time.perf_counter()
            fill_bulk(log, args.devices)
            log.close()
            print(f"filled {args.devices} devices/runs in {time.perf_counter() - t0:.1f} s")
        print(f"load average {_load()}")
        print(
            f"{'format':8} {'rows':>7} {'wall s':>7} {'CPU s':>6} {'peak RSS MB':>12} {'tracemalloc MB':>15} "
            f"{'file MB':>8}  file SHA-256 / rows SHA-256 (first 8)"
        )
        for fmt in args.formats.split(","):
            cmd = [sys.executable, __file__, "--one", db, fmt, tmp]
            plain = json.loads(subprocess.run([*cmd, "0"], check=True, capture_output=True, text=True).stdout)
            traced = (
                json.loads(subprocess.run([*cmd, "1"], check=True, capture_output=True, text=True).stdout)
                if not args.no_trace
                else {"tracemalloc_mb": "-"}
            )
            print(
                f"{fmt:8} {plain['rows']:>7} {plain['seconds']:>7} {plain['cpu_seconds']:>6} {plain['rss_mb']:>12} "
                f"{traced['tracemalloc_mb']:>15} {plain['size_mb']:>8}  "
                f"{plain['file_sha256'][:8]} / {plain['rows_sha256'][:8]}",
                flush=True,
            )
        print(f"load average {_load()}")
    return 0


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
