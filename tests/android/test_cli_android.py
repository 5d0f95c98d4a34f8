"""``kitstation intake`` and ``kitstation qr`` through the CLI entry point; the example blueprints validate."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from kitstation.cli.main import main
from kitstation.log import KitLog

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_intake_json_and_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "log.sqlite3"
    scans = "IMEI1 356830100708726\n356830100708727\nR58M62BJABX\n356830100708726\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(scans))
    code = main(["intake", "--db", str(db), "--json"])
    assert code == 2  # one scan rejected
    out = json.loads(capsys.readouterr().out)
    assert [(s["accepted"], s["code"]) for s in out["scans"]] == [
        (True, "accepted"),
        (False, "imei_check_digit"),
        (True, "accepted"),
        (True, "duplicate"),
    ]
    log = KitLog(f"sqlite:///{db}")
    try:
        assert {r["key"] for r in [log.device_row(s["device_id"]) for s in out["scans"] if s["device_id"]]} == {
            "356830100708726",
            "R58M62BJABX",
        }
    finally:
        log.close()


def test_intake_all_good_in_box_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("356830100708726\nR58M62BJABX\n\n356830100551993\n"))
    assert main(["--lang", "ja", "intake", "--db", str(tmp_path / "l.sqlite3"), "--box"]) == 0
    captured = capsys.readouterr()
    assert "登録しました" in captured.out and "受付 3 件" in captured.err


def test_qr_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("KITSTATION_SECRET_KITTING_WIFI", "bench-pass")
    out = tmp_path / "qr.png"
    apk = EXAMPLES / "files/android/kitstation-demo-agent.apk"
    assert main(["qr", "-b", str(EXAMPLES / "android-qr.toml"), "--out", str(out), "--apk", str(apk), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    payload = shown["payload"]
    assert payload["android.app.extra.PROVISIONING_WIFI_PASSWORD"] == "***"  # never printed
    assert payload["android.app.extra.PROVISIONING_DEVICE_ADMIN_SIGNATURE_CHECKSUM"] == (
        "4zuXrYR7EWxF1Sj0be5vh-sFjlcl2GRdzj4feBVZc00"
    )
    assert out.read_bytes().startswith(b"\x89PNG")


def test_qr_without_secret_says_what_to_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("KITSTATION_SECRET_KITTING_WIFI", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code = main(["qr", "-b", str(EXAMPLES / "android-qr.toml"), "--out", str(tmp_path / "q.svg")])
    assert code == 2 and "KITSTATION_SECRET_KITTING_WIFI" in capsys.readouterr().err


def test_examples_validate() -> None:
    files = sorted(str(p) for p in EXAMPLES.glob("android-*.toml"))
    assert len(files) >= 3  # android-kme-assign.toml (tests/cloud) joins the three here
    assert main(["blueprint", "validate", *files]) == 0


def test_intake_unknown_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("356830100708726\n"))
    assert main(["intake", "--db", str(tmp_path / "l.sqlite3"), "--session", "99"]) == 2
    assert "No bench session 99" in capsys.readouterr().err
