"""Two stations preparing at once into one log (an SQLite file, the test PostgreSQL).

Each ``kitstation prepare`` process has its own usbmuxd (its own bench) with iPhones on it; both
write to the same database at the same time. Asserted: both succeed, every device has exactly one
run and it ended ok (or awaiting ABM), no step is left running, and neither station ever said
"database is locked".
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from kitstation.ios.identities import IdentityStore
from kitstation.simulator.ios import IOSSimulatorThread
from tests.fixtures.postgres import PgCluster
from tests.reliability.conftest import BUDGET, EXE, ROOT, rows, scalar, trials

BLUEPRINT = str(ROOT / "examples" / "ios-supervise.toml")
PER_STATION = 3


def _two_at_once(url: str, factory: Callable[..., IOSSimulatorThread]) -> None:
    benches = [factory(seed=seed) for seed in (1, 2)]  # two benches, different devices
    devices = [[sim.plug() for _ in range(PER_STATION)] for sim in benches]
    env = dict(os.environ, KITSTATION_SECRET_KITTING_WIFI="wifi-pass-123")
    # Each bench's own usbmuxd and activation stand-in (the fixture's environment is the last one's).
    procs = [
        subprocess.Popen(
            [
                EXE,
                "prepare",
                "--db",
                url,
                "--usbmux",
                sim.address,
                "--platform",
                "ios",
                "-b",
                BLUEPRINT,
                "--settle",
                "1",
            ],
            env=env | sim.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for sim in benches
    ]
    results = [p.communicate(timeout=BUDGET * 2) for p in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert "database is locked" not in out + err
        assert "Traceback" not in err, err
        assert proc.returncode == 0, out + err
    assert scalar(url, "select count(*) from step_event where outcome = 'running'") == 0
    for dev in [d for bench in devices for d in bench]:
        runs = rows(url, f"select r.status from run r join device d on d.id = r.device_id where d.udid = '{dev.udid}'")
        assert runs in ([("ok",)], [("waiting_external",)]), (dev.udid, runs)
        assert dev.supervised and dev.erase_count == 1


@pytest.mark.slow
def test_two_stations_one_sqlite_file(ios_sim_factory: Callable[..., IOSSimulatorThread], tmp_path: Path) -> None:
    IdentityStore().generate("acme-kitting", "ACME Corporation")
    for trial in range(max(1, trials() // 2)):
        _two_at_once(f"sqlite:///{tmp_path / f'shared-{trial}.sqlite3'}", ios_sim_factory)


@pytest.mark.slow
@pytest.mark.postgres
def test_two_stations_one_postgres(ios_sim_factory: Callable[..., IOSSimulatorThread], pg_cluster: PgCluster) -> None:
    IdentityStore().generate("acme-kitting", "ACME Corporation")
    for _trial in range(max(1, trials() // 2)):
        _two_at_once(pg_cluster.new_database(), ios_sim_factory)
