"""``kitstation simulate --cloud``: stand-ins for another shell, with their demo credentials in files."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kitstation.cli.main import main
from kitstation.simulator.cloud.cli import parse_cloud_faults

ROOT = Path(__file__).resolve().parents[2]


def test_fault_specs() -> None:
    f = parse_cloud_faults(
        ["abm:rate-limit=3:9", "abm:expire-token", "abm:not-in-org=S1", "kme:fail=I1", "kme:not-uploaded=I2"]
    )
    assert (f.abm.rate_limit, f.abm.retry_after, f.abm.expire_tokens) == (3, 9, 1)
    assert f.not_in_org == {"S1"} and f.kme.fail_devices == {"I1"} and f.not_uploaded == {"I2"}
    with pytest.raises(ValueError, match="unknown fault"):
        parse_cloud_faults(["abm:explode"])


def test_a_bad_fault_spec_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--cloud", "--cloud-fault", "nope"]) == 2
    err = capsys.readouterr().err
    assert "--cloud-fault" in err and "Traceback" not in err


@pytest.mark.slow
def test_simulate_cloud_serves_another_shell(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "kitstation.cli.main", "simulate", "--ios", "2", "--speed", "100", "--cloud",
         "--cloud-fault", "abm:not-in-org=NOSUCH"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        for line in proc.stdout:  # blocks until the next line: no timing involved
            lines.append(line.rstrip("\n"))
            if "Ctrl-C" in line:
                break
        assert any("Ctrl-C" in line for line in lines), lines
        for line in lines:
            if line.startswith("KITSTATION_") and "=" in line:
                k, _, v = line.partition("=")
                monkeypatch.setenv(k, v)
        (abm_import,) = [line for line in lines if "abm credentials import" in line]
        args = abm_import.lstrip("# ").split()[1:]  # drop "kitstation"
        key_file = Path(args[-1])
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert "PRIVATE KEY" not in "\n".join(lines)
        assert main([a if a != "CUSTOMER" else "Demo" for a in args]) == 0
        serials = [line.split("serial ")[1].split()[0] for line in lines if line.startswith("iOS ")]
        capsys.readouterr()
        assert main(["abm", "status", "--customer", "Demo", "--json"]) == 0
        rows = json.loads(capsys.readouterr().out)
        assert sorted(r["serial"] for r in rows) == sorted(serials)
        assert all(r["status"] == "UNASSIGNED" for r in rows)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)  # reads and closes both pipes
    assert not key_file.exists()  # the stand-ins' folder goes with them
