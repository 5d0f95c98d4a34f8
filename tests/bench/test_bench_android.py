"""The bench on simulated Galaxy phones behind the real adb server: prepare, re-plug, kill -9."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from kitstation.cli.main import main
from kitstation.simulator.android import AndroidSimulator

ROOT = Path(__file__).resolve().parents[2]
DO_BLUEPRINT = ROOT / "examples" / "android-device-owner.toml"


def _rows(db: Path, sql: str, *params: object) -> list[Any]:
    """The rows of a query, on a connection closed here (Python 3.13 warns of one left to the GC)."""
    with contextlib.closing(sqlite3.connect(db)) as con:
        return con.execute(sql, params).fetchall()


def test_prepare_all_makes_the_agent_device_owner_everywhere(android_sim: AndroidSimulator, tmp_path: Path) -> None:
    phones = [android_sim.plug(m) for m in ("SM-A305J", "SM-A525F", "SM-S911B", "SC-51D")]
    db = tmp_path / "log.sqlite3"
    code = main(
        [
            "prepare",
            "--db",
            str(db),
            "--platform",
            "android",
            "--adb-port",
            str(android_sim.adb_port),
            "-b",
            str(DO_BLUEPRINT),
            "--all",
            "--technician",
            "佐藤",
            "--order",
            "PO-9",
        ]
    )
    assert code == 0
    assert all(p.device_owner and p.device_owner.startswith("jp.kitstation.demoagent/") for p in phones)
    rows = _rows(
        db,
        "select d.serial, r.status, s.order_ref from run r join device d on d.id=r.device_id "
        "join bench_session s on s.id=r.session_id",
    )
    assert sorted(r[0] for r in rows) == sorted(p.serial for p in phones)
    assert {r[1] for r in rows} == {"ok"} and {r[2] for r in rows} == {"PO-9"}
    # A second prepare does not redo them (once per device per blueprint).
    assert (
        main(
            [
                "prepare",
                "--db",
                str(db),
                "--platform",
                "android",
                "--adb-port",
                str(android_sim.adb_port),
                "-b",
                str(DO_BLUEPRINT),
                "--all",
            ]
        )
        == 0
    )
    assert _rows(db, "select count(*) from run") == [(4,)]


def test_a_refusing_phone_fails_alone_with_an_actionable_reason(android_sim: AndroidSimulator, tmp_path: Path) -> None:
    good = android_sim.plug("SM-A525F")
    bad = android_sim.plug("SM-S911B")
    bad.add_account("com.google")
    db = tmp_path / "log.sqlite3"
    code = main(
        [
            "prepare",
            "--db",
            str(db),
            "--platform",
            "android",
            "--adb-port",
            str(android_sim.adb_port),
            "-b",
            str(DO_BLUEPRINT),
            "--all",
        ]
    )
    assert code == 1
    assert good.device_owner and not bad.device_owner
    ((status, code_, reason),) = _rows(
        db,
        "select r.status, r.error_code, r.reason_en from run r join device d on d.id=r.device_id where d.serial=?",
        bad.serial,
    )
    assert status == "failed" and code_ == "dpm_accounts" and "account" in reason.lower()


def _wait_for_line(proc: subprocess.Popen[str], wanted: tuple[str, ...]) -> None:
    """Read the station's progress lines until one names a wanted step (it prints each step as it
    starts, after the log has committed that start): no polling, no timer."""
    assert proc.stdout is not None
    for line in proc.stdout:
        if any(w in line for w in wanted):
            return
    raise AssertionError(f"the station ended before printing any of {wanted}")


def test_kill_9_mid_batch_then_restart_loses_nothing(android_sim_factory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Slow enough that the station is killed while devices are mid-run.
    sim: AndroidSimulator = android_sim_factory(speed=2.0)
    phones = [sim.plug() for _ in range(6)]
    db = tmp_path / "log.sqlite3"
    cmd = [
        str(Path(sys.executable).with_name("kitstation")),
        "prepare",
        "--db",
        str(db),
        "--platform",
        "android",
        "--adb-port",
        str(sim.adb_port),
        "-b",
        str(DO_BLUEPRINT),
        "--all",
    ]
    env = dict(os.environ)
    first = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, start_new_session=True
    )
    try:
        # The agent install step has started on some device (its start is in the log).
        _wait_for_line(first, ("Install the MDM agent", "MDM エージェントをインストール"))
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
        assert first.stdout is not None
        first.stdout.close()
    assert _rows(db, "select count(*) from run where status='running'")[0][0] >= 1
    second = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=180)
    assert second.returncode == 0, second.stdout + second.stderr
    assert all(p.device_owner for p in phones)
    with contextlib.closing(sqlite3.connect(db)) as con:
        # No device lost, one run per device (resumed, not restarted), nothing left running.
        assert con.execute("select count(distinct device_id), count(*) from run").fetchone() == (6, 6)
        assert con.execute("select count(*) from run where status != 'ok'").fetchone()[0] == 0
        assert con.execute("select count(*) from step_event where outcome='running'").fetchone()[0] == 0
        # Device Owner was set at most once per device.
        per_device = con.execute(
            "select count(*) from step_event where step_id='android.device_owner' and outcome='ok' group by run_id"
        ).fetchall()
        assert per_device and all(n == (1,) for n in per_device)
        # The interrupted steps were recorded as such.
        assert con.execute("select count(*) from step_event where outcome='interrupted'").fetchone()[0] >= 1
