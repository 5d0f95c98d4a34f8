"""``prepare --wait`` waits for a device unplugged mid-step; the summary tells prepared from awaiting ABM."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from kitstation.cli.main import main
from kitstation.ios.identities import IdentityStore
from kitstation.simulator.android import AndroidSimulator

ROOT = Path(__file__).resolve().parents[2]
EXE = str(Path(sys.executable).with_name("kitstation"))


def _poll(db: Path, sql: str, proc: subprocess.Popen[str], timeout: float = 240) -> None:
    """Until ``sql`` counts at least one row in the other process's log (it must stay alive)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with contextlib.closing(sqlite3.connect(db, timeout=5)) as con:
                if con.execute(sql).fetchone()[0] >= 1:
                    return
        except sqlite3.OperationalError:
            pass
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    raise AssertionError(f"timed out: {sql}")


def test_wait_keeps_going_until_an_unplugged_device_is_back_and_done(android_sim_factory: Any, tmp_path: Path) -> None:
    sim: AndroidSimulator = android_sim_factory(speed=2.0)
    phone = sim.plug("SM-A525F")
    db = tmp_path / "log.sqlite3"
    cmd = [
        EXE,
        "prepare",
        "--db",
        str(db),
        "--platform",
        "android",
        "--adb-port",
        str(sim.adb_port),
        "-b",
        str(ROOT / "examples" / "android-device-owner.toml"),
        "--wait",
        "1",
        "--settle",
        "0",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _poll(db, "select count(*) from step_event where outcome='running'", proc)
        sim.unplug(phone)
        _poll(db, "select count(*) from run where status='interrupted'", proc)
        assert proc.poll() is None  # still waiting for the device to come back
        sim.replug(phone)
        out, err = proc.communicate(timeout=240)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 0, out + err
    assert "1 prepared, 0 awaiting ABM/KME, 0 not" in out
    assert phone.device_owner
    with contextlib.closing(sqlite3.connect(db)) as con:
        assert con.execute("select count(*), min(status) from run").fetchone() == (1, "ok")  # resumed, not redone


def test_summary_counts_awaiting_abm_apart(
    ios_sim_factory: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sim = ios_sim_factory(speed=2000)
    sim.plug("iPhone17,3")
    sim.plug("iPhone15,4")
    IdentityStore().generate("acme-kitting", "ACME Corporation")
    monkeypatch.setenv("KITSTATION_SECRET_KITTING_WIFI", "wifi-pass-123")
    monkeypatch.delenv("USBMUXD_SOCKET_ADDRESS", raising=False)
    db = str(tmp_path / "log.sqlite3")
    args = [
        "prepare",
        "--db",
        db,
        "--usbmux",
        sim.address,
        "--platform",
        "ios",
        "-b",
        str(ROOT / "examples/ios-supervised-dep.toml"),
    ]
    assert main(args) == 0
    assert "0 prepared, 2 awaiting ABM/KME, 0 not" in capsys.readouterr().out
    # --usbmux alone was enough (pair records saved through the same usbmuxd), and nothing leaked.
    assert "USBMUXD_SOCKET_ADDRESS" not in os.environ
    assert main([*args, "--json"]) == 0
    captured = capsys.readouterr()
    assert {r["state"] for r in json.loads(captured.out)} == {"waiting_external"}
    assert "0 prepared, 2 awaiting ABM/KME, 0 not" in captured.err
