"""The real ``kitstation`` executable: one-line reasons and exit codes for bad input and environments."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXE = str(Path(sys.executable).with_name("kitstation"))
DO_BLUEPRINT = str(ROOT / "examples" / "android-device-owner.toml")


def kitstation(*args: str, timeout: float = 120, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=timeout, env=env or dict(os.environ))


def one_line_failure(res: subprocess.CompletedProcess[str], code: int = 2) -> str:
    assert res.returncode == code, (res.returncode, res.stdout, res.stderr)
    assert "Traceback" not in res.stderr + res.stdout
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, res.stderr
    return lines[0]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_help_documents_the_exit_codes() -> None:
    res = kitstation("--help")
    assert res.returncode == 0
    assert "exit codes:" in res.stdout and "2  bad input or environment" in res.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["devices", "--usbmux", "host:port:x"],
        ["devices", "--usbmux", "localhost:99999"],
        ["devices", "--adb-port", "70000"],
        ["devices", "--adb-port", "bogus"],
        ["log", "--since", "999999999d"],
        ["log", "--session", "12345678901234567890"],
        ["intake", "--session", "12345678901234567890"],
        ["simulate", "--ios", "12345678901234567890"],
        ["simulate", "--android", "1", "--speed", "0"],
        ["prepare", "-b", DO_BLUEPRINT, "--settle", "1e400"],
        ["prepare", "-b", DO_BLUEPRINT, "--speed", "0", "--simulate", "2"],
        ["prepare", "-b", DO_BLUEPRINT, "--simulate", "12345678901234567890"],
        ["identity", "new", "--name", "x", "--org", "O" * 65],
        ["profile", "wifi", "--ssid", "キッティング用ネットワーク", "--security", "None"],
        ["prepare", "-b", DO_BLUEPRINT, "--technician", "\x1b[31mred"],
    ],
)
def test_bad_arguments_exit_2_with_one_line(args: list[str]) -> None:
    line = one_line_failure(kitstation(*args, timeout=60))
    assert "error:" in line


def test_bad_name_value_pairs_exit_2_before_any_station_starts(tmp_path: Path) -> None:
    db = tmp_path / "log.sqlite3"
    line = one_line_failure(kitstation("prepare", "--db", str(db), "-b", DO_BLUEPRINT, "--max-active", "bogus=3"))
    assert "--max-active" in line and "bogus=3" in line
    line = one_line_failure(kitstation("prepare", "--db", str(db), "-b", DO_BLUEPRINT, "--limit", "erase=0"))
    assert "--limit" in line


def test_a_missing_db_on_read_commands_exits_2_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "x.db"
    line = one_line_failure(kitstation("--db", str(missing), "log"))
    assert "no log at" in line.lower()
    line = one_line_failure(
        kitstation("report", "--db", str(tmp_path / "typo.db"), "-f", "csv", "-o", str(tmp_path / "r.csv"))
    )
    assert "no log at" in line.lower()
    assert not missing.parent.exists() and not (tmp_path / "typo.db").exists() and not (tmp_path / "r.csv").exists()
    line = one_line_failure(kitstation("--db", str(tmp_path), "log"))
    assert "folder" in line


def test_a_database_that_is_not_sqlite_is_one_line(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("this is not a database\n" * 100)
    line = one_line_failure(kitstation("--db", str(bogus), "log"))
    assert "database" in line.lower()
    line = one_line_failure(kitstation("--db", "nosuchdriver://x/y", "log"))
    assert "database" in line.lower()


def test_unreachable_usbmuxd_is_an_environment_error_not_no_devices(tmp_path: Path) -> None:
    line = one_line_failure(kitstation("devices", "--platform", "ios", "--usbmux", str(tmp_path / "usbmuxd.sock")))
    assert "usbmuxd is not running" in line
    line = one_line_failure(kitstation("devices", "--platform", "ios", "--usbmux", f"127.0.0.1:{closed_port()}"))
    assert "usbmuxd is not running" in line
    res = kitstation(
        "prepare",
        "--db",
        str(tmp_path / "l.db"),
        "--platform",
        "ios",
        "--usbmux",
        str(tmp_path / "none"),
        "-b",
        str(ROOT / "examples" / "ios-dep.toml"),
    )
    assert "usbmuxd" in one_line_failure(res)
    assert "No devices attached" not in res.stdout + res.stderr


def test_a_missing_adb_is_told_apart(tmp_path: Path) -> None:
    env = dict(os.environ, ADBUTILS_ADB_PATH=str(tmp_path / "no-adb"), PATH=str(tmp_path))
    res = kitstation("devices", "--platform", "android", "--adb-port", str(closed_port()), env=env)
    assert "adb is not installed" in one_line_failure(res)


def test_prepare_json_is_only_json_on_stdout(tmp_path: Path) -> None:
    res = kitstation(
        "prepare",
        "--db",
        str(tmp_path / "l.db"),
        "--platform",
        "android",
        "--simulate",
        "4",
        "--speed",
        "500",
        "--settle",
        "1",
        "-b",
        DO_BLUEPRINT,
        "--json",
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)  # the whole of stdout parses
    assert len(rows) == 4 and {r["state"] for r in rows} == {"done"}
    # Progress and the summary went to stderr.
    assert "4 prepared, 0 awaiting ABM/KME, 0 not" in res.stderr and "[" in res.stderr
    piped = subprocess.run([sys.executable, "-m", "json.tool"], input=res.stdout, capture_output=True, text=True)
    assert piped.returncode == 0


def test_sigterm_closes_runs_as_interrupted(tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    proc = subprocess.Popen(
        [
            EXE,
            "prepare",
            "--db",
            str(db),
            "--platform",
            "android",
            "--simulate",
            "2",
            "--speed",
            "0.05",
            "--settle",
            "0",
            "-b",
            DO_BLUEPRINT,
            "--wait",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:  # poll the log (another process) until a run is under way
            try:
                with contextlib.closing(sqlite3.connect(db, timeout=5)) as con:
                    if con.execute("select count(*) from run where status='running'").fetchone()[0] >= 1:
                        break
            except sqlite3.OperationalError:
                pass
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.1)
        else:
            raise AssertionError("no run started")
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 143, err
    assert "Traceback" not in err and "Interrupted" in err
    with contextlib.closing(sqlite3.connect(db)) as con:
        statuses = [r[0] for r in con.execute("select status from run")]
    assert statuses and "running" not in statuses and "interrupted" in statuses


def test_completion_and_verbose_after_the_command() -> None:
    res = kitstation("completion", "bash")
    assert res.returncode == 0 and "kitstation" in res.stdout and "prepare" in res.stdout
    res = kitstation("blueprint", "validate", "-v", str(ROOT / "examples" / "android-kme.toml"))
    assert res.returncode == 0 and "OK" in res.stdout


def test_intake_refuses_a_non_utf8_scan_and_keeps_the_others(tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    scans = b"356830100708726\n\xff\xfe garbled\nR58M62BJABX\n"
    res = subprocess.run([EXE, "intake", "--db", str(db), "--json"], input=scans, capture_output=True, timeout=120)
    assert res.returncode == 2 and b"Traceback" not in res.stderr
    out = json.loads(res.stdout)
    assert out["undecodable"] == 1 and [s["code"] for s in out["scans"]] == ["accepted", "accepted"]


def test_the_gui_simulate_count_is_bounded() -> None:
    assert "error:" in one_line_failure(kitstation("--simulate", "12345678901234567890"))
