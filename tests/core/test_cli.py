"""The command line: help, exit codes (0 ok, 1 device failed, 2 usage/input), JSON listings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kitstation.cli.main import main
from tests.core.test_blueprints import GOOD


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for cmd in ("devices", "prepare", "log", "blueprint", "simulate"):
        assert cmd in out


def test_console_script_runs() -> None:
    exe = Path(sys.executable).with_name("kitstation")
    res = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0 and res.stdout.startswith("kitstation ")


def test_blueprint_validate_ok_and_bad(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.toml"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text("foo = 1\n" + GOOD, encoding="utf-8")
    assert main(["blueprint", "validate", str(good)]) == 0
    assert "OK" in capsys.readouterr().out
    assert main(["blueprint", "validate", str(good), str(bad)]) == 2
    assert "bad.toml: foo: unknown key" in capsys.readouterr().err
    assert main(["--lang", "ja", "blueprint", "validate", str(bad)]) == 2
    assert "不明なキー" in capsys.readouterr().err
    assert main(["blueprint", "validate", "--json", str(good), str(bad)]) == 2
    data = json.loads(capsys.readouterr().out)
    assert [d["valid"] for d in data] == [True, False]
    assert data[1]["errors"][0]["field"] == "foo"


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["prepare"])  # --blueprint is required
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["log", "--since", "yesterday-ish"])
    assert info.value.code == 2
    assert "not a date" in capsys.readouterr().err
    assert main(["prepare", "--blueprint", "/nonexistent.toml"]) == 2
    assert main(["simulate"]) == 2


def test_log_json_on_an_empty_and_a_filled_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "k.sqlite3"
    # No log there: a read command says so (exit 2) instead of creating an empty one.
    assert main(["log", "--db", str(db), "--json"]) == 2
    assert "No log at" in capsys.readouterr().err and not db.exists()
    from kitstation.blueprints import loads_blueprint
    from kitstation.domain.model import Device, Platform, RunStatus
    from kitstation.log import KitLog

    KitLog(str(db)).close()
    assert main(["log", "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []

    log = KitLog(str(db))
    run = log.start_run(log.upsert_device(Device(Platform.IOS, "U1", serial="F17X")), log.blueprint(loads_blueprint(GOOD)),
                        log.station("s"), "ios")
    log.end_run(run, RunStatus.OK)
    log.close()
    assert main(["log", "--db", str(db), "--json", "--steps"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["serial"] == "F17X" and rows[0]["status"] == "ok" and rows[0]["steps"] == []
    assert main(["log", "--db", str(db), "--json", "--status", "failed"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["log", "--db", str(db), "--since", "1d"]) == 0
    assert "F17X" in capsys.readouterr().out
