"""Benchmark of the History view at scale: N runs in an SQLite or PostgreSQL log, every filter and sort timed.

    .venv/bin/python benchmarks/bench_history.py --runs 1000000 [--db FILE [--keep]]
    .venv/bin/python benchmarks/bench_history.py --runs 1000000 --db postgresql+psycopg://kit@127.0.0.1:PORT/h1m

Fills the log with Core bulk inserts (one device per run, batches of 60 per session, five
technicians, two blueprints, runs 20 s apart ending now), then times what the GUI's History
asks the log for (``kitstation/ui/history.py``): the row count and the first page of every
filter (text search on serial / IMEI / model, outcome, platform, date, blueprint, technician,
model) and of every sort column in both directions, and a page near the end of the table.
Each figure is the median of ``--repeat`` runs on a warm cache, in milliseconds: wall time and
the CPU time of this process (``time.process_time()``; SQLite works in-process), which a loaded
machine inflates far less than the wall time. The load average is printed at the start and end.

With ``--db FILE`` an existing file is reused (``--keep`` keeps a new one): fill once, then
time before and after a change (the log is migrated to head when opened).

``--db`` also takes a database URL (PostgreSQL): a log holding no run is filled, then analysed
(``ANALYZE``, what autovacuum does on a real server soon after a bulk load), one holding runs is
reused; it is never dropped. There the query runs in the server's backend process, not in this
one: the CPU figure is this process's plus the backends' on-CPU time (``/proc/<pid>/schedstat``
of this database's backends, ns resolution), so the server must run on this machine (else only
this process's CPU time is counted, and a note says so).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kitstation.blueprints import loads_blueprint  # noqa: E402
from kitstation.log import KitLog, RunFilter  # noqa: E402
from kitstation.log.tables import device_t, run_t, session_t  # noqa: E402

IOS_BP = 'name = "Bench iOS"\n[ios]\nmethod = "supervise"\n[ios.mdm_server]\nname = "MDM"\nurl = "https://mdm.example.jp/x/"\n'
ANDROID_BP = 'name = "Bench KME"\n[android]\nmethod = "kme"\n[android.kme]\nprofile_name = "KME"\n'
MODELS = {
    "ios": [("iPhone15,2", "iPhone 14 Pro"), ("iPhone14,5", "iPhone 13"), ("iPad13,18", "iPad (10th generation)")],
    "android": [("SM-A546E", "Galaxy A54 5G"), ("SM-S911C", "Galaxy S23"), ("SM-A236E", "Galaxy A23 5G")],
}
TECHS = ("山田 太郎", "佐藤 花子", "Suzuki", "Tanaka", "Ito")
CHUNK = 20_000
PAGE = 200  # kitstation.ui.history.PAGE
SORTS = ("run_id", "started_at", "status", "platform", "model_id", "serial", "imei", "blueprint_name", "technician")


def fill(log: KitLog, n: int, per_session: int = 60) -> None:
    """``n`` devices with one run each, the newest run now, 20 s apart."""
    end = datetime.now(UTC).replace(microsecond=0)
    base = end - timedelta(seconds=20 * n)
    stations = [log.station(f"bench-{i:02d}") for i in range(1, 4)]
    techs = [log.technician(name) for name in TECHS]
    bps = {"ios": log.blueprint(loads_blueprint(IOS_BP)), "android": log.blueprint(loads_blueprint(ANDROID_BP))}
    sessions = (n + per_session - 1) // per_session
    with log.engine.begin() as conn:
        dev0 = int(conn.execute(select(func.coalesce(func.max(device_t.c.id), 0))).scalar_one())
        conn.execute(
            insert(session_t),
            [
                {
                    "station_id": stations[s % 3],
                    "technician_id": techs[s % 5],
                    "label": f"batch {s}",
                    "customer": "株式会社ベンチ商事" if s % 2 == 0 else "Bench Corp",
                    "order_ref": f"PO-{s // 10:05d}",
                    "started_at": base + timedelta(seconds=20 * per_session * s),
                }
                for s in range(sessions)
            ],
        )
        sess0 = int(conn.execute(select(func.min(session_t.c.id))).scalar_one())
    # On PostgreSQL SQLAlchemy sends each batch as multi-row INSERT ... VALUES statements of 1,000
    # rows ("insertmanyvalues"): 40,000 runs filled in 6.3 s wall, 1.1 s CPU of this process.
    for lo in range(0, n, CHUNK):
        devices: list[dict[str, Any]] = []
        runs: list[dict[str, Any]] = []
        for i in range(lo, min(n, lo + CHUNK)):
            platform = "ios" if i % 2 == 0 else "android"
            model, name = MODELS[platform][i % 3]
            serial = f"F2L{i:09d}" if platform == "ios" else f"R58M{i:08d}"
            roll = i % 20
            status = "failed" if roll == 7 else "waiting_external" if roll == 4 else "interrupted" if roll == 9 else "ok"
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
                    # Every 7th run without a technician: the outer join and NULL sorting are exercised.
                    "technician_id": None if i % 7 == 3 else techs[(i // per_session) % 5],
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


@dataclass(frozen=True)
class Case:
    name: str
    flt: RunFilter
    order_by: str = "run_id"
    descending: bool = True


def cases(n: int) -> list[Case]:
    today = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    mid = n // 2 + 1  # a device in the middle of the table
    out = [
        Case("all", RunFilter()),
        Case("text serial (full)", RunFilter(text=f"R58M{mid:08d}")),
        Case("text serial (part)", RunFilter(text=f"{mid:08d}"[:6])),
        Case("text IMEI (prefix)", RunFilter(text=f"35{mid:013d}"[:12])),
        Case("text model", RunFilter(text="S23")),
        Case("text 2 chars", RunFilter(text="F2")),
        Case("status failed", RunFilter(status=["failed"])),
        Case("status ok", RunFilter(status=["ok"])),
        Case("today", RunFilter(since=today)),
        Case("last 7 days", RunFilter(since=today - timedelta(days=6))),
        Case("last 30 days", RunFilter(since=today - timedelta(days=29))),
        Case("blueprint", RunFilter(blueprint="Bench KME")),
        Case("technician", RunFilter(technician="Suzuki")),
        Case("model", RunFilter(model="SM-S911C")),
        Case("platform ios", RunFilter(platform="ios")),
        Case("failed + last 7 days", RunFilter(status=["failed"], since=today - timedelta(days=6))),
    ]
    for key in SORTS:
        for desc in (False, True):
            out.append(Case(f"sort {key} {'desc' if desc else 'asc'}", RunFilter(), key, desc))
    out.append(Case("failed, sort serial", RunFilter(status=["failed"]), "serial", False))
    # Few runs pass (about 6,000): sorted from the run filter's index, not by walking every device.
    out.append(Case("failed + 30 days, sort serial", RunFilter(status=["failed"], since=today - timedelta(days=29)),
                    "serial", False))
    # One filter the page offers with a device sort, where the bench's data makes the filter and
    # the order correlated (the serial order starts with 500,000 iPhones; the Galaxy blueprint,
    # the S23 and the last 30 days are all at the far end of it).
    month = RunFilter(since=today - timedelta(days=29))
    out += [
        Case("blueprint, sort serial", RunFilter(blueprint="Bench KME"), "serial", False),
        Case("last 30 days, sort serial", month, "serial", False),
        Case("model, sort serial", RunFilter(model="SM-S911C"), "serial", False),
        Case("text 2 chars, sort serial desc", RunFilter(text="F2"), "serial", True),
        Case("technician, sort imei", RunFilter(technician="Suzuki"), "imei", False),
        Case("failed, sort model desc", RunFilter(status=["failed"]), "model_id", True),
        Case("blueprint, sort platform desc", RunFilter(blueprint="Bench KME"), "platform", True),
        Case("text 2 chars iP (model, name)", RunFilter(text="iP")),
    ]
    return out


class CpuClock:
    """CPU seconds spent on a query: this process's, plus (PostgreSQL) the server backends'.

    SQLite works in this process. A PostgreSQL query runs in its backend process: its on-CPU
    time is read from ``/proc/<pid>/schedstat`` (ns) for every backend connected to this
    database, listed once per measurement (the log's pool opens at most a few). The parallel
    workers a plan may start exit with the query: their time is the postmaster's reaped
    children's (``cutime + cstime`` in ``/proc/<postmaster>/stat``, 10 ms ticks, which an
    autovacuum worker ending meanwhile also adds to; the median of the repeats leaves that
    out). A server on another machine has no such files: only this process's time is counted.
    """

    def __init__(self, log: KitLog) -> None:
        self.log = log
        self.server = log.engine.dialect.name == "postgresql"
        self.remote = False
        self.pids: list[int] = []
        self.postmaster: int | None = None
        self.tick = os.sysconf("SC_CLK_TCK")

    def refresh(self) -> None:
        """List this database's backends now (after a warm-up opened the pool's connections)."""
        if not self.server:
            return
        with self.log.engine.connect() as conn:
            self.pids = [int(p) for p in conn.execute(text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'"
            )).scalars()]
        try:  # the 4th field of /proc/<pid>/stat (after the name in parentheses): the parent
            self.postmaster = int(Path(f"/proc/{self.pids[0]}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            self.remote = True

    def _backends(self) -> float:
        total = 0
        for pid in self.pids:
            try:
                total += int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                self.remote = True
        workers = 0
        if self.postmaster is not None:
            try:  # fields 16 and 17: cutime, cstime (the 14th and 15th after the name)
                fields = Path(f"/proc/{self.postmaster}/stat").read_text().rsplit(")", 1)[1].split()
                workers = int(fields[13]) + int(fields[14])
            except (OSError, ValueError, IndexError):
                self.remote = True
        return total / 1e9 + workers / self.tick

    def __call__(self) -> float:
        return time.process_time() + (self._backends() if self.server else 0.0)


def _ms(fn: Callable[[], Any], repeat: int, clock: CpuClock) -> tuple[float, float]:
    """Median wall time and median CPU time (this process's, plus the PostgreSQL backends'), in ms.

    On a shared machine the wall time includes waiting for a core; the CPU time does not.
    """
    fn()  # warm the page cache and the statement cache
    clock.refresh()
    walls, cpus = [], []
    for _ in range(repeat):
        c0, t0 = clock(), time.perf_counter()
        fn()
        walls.append((time.perf_counter() - t0) * 1000)
        cpus.append((clock() - c0) * 1000)
    return round(statistics.median(walls), 1), round(statistics.median(cpus), 1)


def measure(log: KitLog, case: Case, repeat: int, clock: CpuClock) -> dict[str, Any]:
    keyset = hasattr(log, "history_page")
    total = log.count(case.flt)
    if keyset:

        def first() -> Any:
            return log.history_page(case.flt, order_by=case.order_by, descending=case.descending, limit=PAGE)

        # The row before the last page: the first rows of the opposite order end the table.
        back = log.history_page(case.flt, order_by=case.order_by, descending=not case.descending, limit=PAGE + 1)
        cursor = back[-1] if len(back) > PAGE else None

        def last() -> Any:
            return log.history_page(
                case.flt, order_by=case.order_by, descending=case.descending, limit=PAGE, after=cursor
            )

    else:

        def first() -> Any:
            return log.history(case.flt, order_by=case.order_by, descending=case.descending, limit=PAGE)

        def last() -> Any:
            return log.history(
                case.flt, order_by=case.order_by, descending=case.descending, limit=PAGE, offset=max(0, total - PAGE)
            )

    out: dict[str, Any] = {"case": case.name, "rows": total}
    for name, fn in (("count", lambda: log.count(case.flt)), ("first_page", first), ("last_page", last)):
        out[f"{name}_ms"], out[f"{name}_cpu_ms"] = _ms(fn, repeat, clock)
    return out


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=1_000_000)
    p.add_argument(
        "--db",
        help="an SQLite file (reused when it exists, else filled, and kept with --keep), or a database URL "
        "(postgresql+psycopg://...: filled and analysed when it holds no run, never dropped)",
    )
    p.add_argument("--keep", action="store_true")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--only", help="comma-separated case names (substring match)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db if args.db and "://" in args.db else None
        path = Path(args.db) if args.db and url is None else Path(tmp) / "history.sqlite3"
        t0 = time.perf_counter()
        if url is None:
            existed = path.exists()
            log = KitLog(f"sqlite:///{path}")
        else:
            log = KitLog(url)
            existed = log.count() > 0
        where = path if url is None else log.url
        if not existed:
            c0 = time.process_time()
            fill(log, args.runs)
            print(f"filled {args.runs} runs in {time.perf_counter() - t0:.1f} s "
                  f"(cpu of this process {time.process_time() - c0:.1f} s)", file=sys.stderr)
            if url is not None:
                # What autovacuum's analyse does on a server soon after a bulk load: without the
                # statistics the planner guesses every row count.
                t1 = time.perf_counter()
                with log.engine.begin() as conn:
                    conn.execute(text("ANALYZE"))
                print(f"analysed in {time.perf_counter() - t1:.1f} s", file=sys.stderr)
        else:
            print(f"opened {where} ({log.count()} runs) in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        print(f"load average {_load()}", file=sys.stderr)
        clock = CpuClock(log)
        results = []
        only = [s.strip() for s in args.only.split(",")] if args.only else None
        for case in cases(log.count()):
            if only and not any(o in case.name for o in only):
                continue
            r = measure(log, case, args.repeat, clock)
            results.append(r)
            if not args.json:
                print(
                    f"{r['case']:28} {r['rows']:>9} rows  "
                    + "  ".join(
                        f"{label} {r[k + '_ms']:>7} ms (cpu {r[k + '_cpu_ms']:>6})"
                        for label, k in (("count", "count"), ("first page", "first_page"), ("last page", "last_page"))
                    ),
                    flush=True,
                )
        log.close()
        print(f"load average {_load()}", file=sys.stderr)
        if clock.remote:
            print("the server's backends were not readable here: CPU is this process's only", file=sys.stderr)
        if url is None and args.db and not existed and not args.keep:
            path.unlink()
        if args.json:
            print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
