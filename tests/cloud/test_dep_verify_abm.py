"""``kitstation dep verify`` also asks Apple Business (without touching the device) when it can."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kitstation.cli.main import main


def test_dep_verify_shows_the_device_and_apple_business_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "log.sqlite3")
    args = ["--db", db, "dep", "verify", "--simulate", "2", "--simulate-cloud", "--speed", "100", "--json"]
    assert main([*args, "--customer", "ACME"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 2
    for r in rows:
        # The device: not assigned yet; Apple Business: in the organization, not assigned either.
        assert r["external_state"] == "awaiting_abm"
        said = r["apple_business"]
        assert said["serial"] == r["serial"] and said["in_organization"] is True
        assert said["status"] == "UNASSIGNED" and said["assigned_server_id"] is None
    # No customer named and no blueprint: only the device is asked.
    assert main(args) == 0
    assert all(r["apple_business"] is None for r in json.loads(capsys.readouterr().out))


def test_dep_verify_says_why_apple_business_was_not_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "log.sqlite3")
    code = main(
        ["--db", db, "dep", "verify", "--simulate", "1", "--speed", "100", "--customer", "Nobody Inc", "--json"]
    )
    out, err = capsys.readouterr()
    assert code == 0
    (row,) = json.loads(out)
    assert row["apple_business"] is None and row["external_state"] == "awaiting_abm"
    assert "No Apple Business API account for customer 'Nobody Inc'" in err and "Traceback" not in err
