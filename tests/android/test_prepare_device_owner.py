"""``kitstation prepare -b examples/android-device-owner.toml`` on simulated Galaxy phones that finished setup."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from kitstation.cli.main import main
from kitstation.simulator.android import AndroidSimulator

ROOT = Path(__file__).resolve().parents[2]
DO_BLUEPRINT = ROOT / "examples" / "android-device-owner.toml"
AOSP_ACCOUNTS = "Not allowed to set the device owner because there are already some accounts on the device"


def test_prepare_device_owner_on_finished_setup_and_refusal_with_an_account(
    android_sim: AndroidSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = android_sim.plug("SM-S911B")  # Android 14, setup finished, no account
    signed_in = android_sim.plug("SM-A525F")
    signed_in.add_account("com.osp.app.signin", "owner@example.com")  # a Samsung account
    assert clean.provisioned and signed_in.provisioned
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
            "--json",
        ]
    )
    assert code == 1  # one phone refused
    assert clean.device_owner == "jp.kitstation.demoagent/.AdminReceiver"
    assert signed_in.device_owner is None
    assert "jp.kitstation.demoagent" not in signed_in.installed_packages  # nothing installed
    with contextlib.closing(sqlite3.connect(db)) as con:
        row = con.execute(
            "select r.status, r.error_code, r.reason_en, r.reason_ja from run r join device d on d.id = r.device_id"
            " where d.serial = ?",
            (signed_in.serial,),
        ).fetchone()
    status, error_code, reason_en, reason_ja = row
    assert (status, error_code) == ("failed", "dpm_accounts")
    assert AOSP_ACCOUNTS in reason_en and "Samsung account owner@example.com" in reason_en
    assert "Settings > Accounts and backup > Manage accounts" in reason_en
    assert "reset" not in reason_en.lower() and "アカウント" in reason_ja
    # The technician sees Android's words and the advice in the command's output too.
    captured = capsys.readouterr()
    assert AOSP_ACCOUNTS in captured.out + captured.err
