"""DEP hand-off: prepare records "awaiting ABM"; after ABM assigns the serial, `dep verify` logs it."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from kitstation.cli.main import main
from kitstation.ios.identities import IdentityStore
from kitstation.simulator.ios import IOSSimulatorThread

ROOT = Path(__file__).resolve().parents[2]


def test_prepare_then_abm_assignment_then_verify(
    ios_sim_factory: Callable[..., IOSSimulatorThread],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sim = ios_sim_factory(speed=2000)
    assigned = sim.plug("iPhone17,3")
    not_yet = sim.plug("iPhone15,4")
    IdentityStore().generate("acme-kitting", "ACME Corporation")
    monkeypatch.setenv("KITSTATION_SECRET_KITTING_WIFI", "wifi-pass-123")
    db = str(tmp_path / "log.sqlite3")
    common = ["--db", db, "--usbmux", sim.address]
    assert main(["prepare", *common, "--platform", "ios", "-b", str(ROOT / "examples/ios-supervised-dep.toml"), "--all"]) == 0
    with contextlib.closing(sqlite3.connect(db)) as con:
        assert con.execute("select count(*) from run where status='waiting_external'").fetchone()[0] == 2
        assert {r[0] for r in con.execute("select external_state from device")} == {"awaiting_abm"}
    capsys.readouterr()

    # Outside the station: the customer assigns one serial to the MDM server in ABM, and the
    # device is reset so that it asks Apple again in Setup Assistant.
    sim.abm_assignments[assigned.serial] = {
        "IsSupervised": True, "ConfigurationURL": "https://mdm.example.jp/acme/enroll",
        "OrganizationName": "ACME Corporation", "ConfigurationSource": 0,
    }
    sim.erase(assigned.udid)
    sim.erase(not_yet.udid)
    assert main(["dep", "verify", *common, "--settle", "1", "--json"]) == 0
    rows = {r["serial"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows[assigned.serial]["external_state"] == "abm_assigned" and rows[assigned.serial]["outcome"] == "ok"
    assert rows[not_yet.serial]["external_state"] == "awaiting_abm"
    assert rows[not_yet.serial]["outcome"] == "waiting_external"
    assert "Apple Business Manager" in rows[not_yet.serial]["reason"]["en"]

    with contextlib.closing(sqlite3.connect(db)) as con:
        states = dict(con.execute("select serial, external_state from device"))
        assert states == {assigned.serial: "abm_assigned", not_yet.serial: "awaiting_abm"}
        runs = dict(con.execute("select d.serial, r.status from run r join device d on d.id = r.device_id"))
        assert runs == {assigned.serial: "ok", not_yet.serial: "waiting_external"}
        checks = con.execute("select count(*) from step_event where step_id = 'ios.dep_verify'").fetchone()[0]
        assert checks == 2
        # The Wi-Fi password typed for the profile is nowhere in the log.
        assert not any("wifi-pass-123" in str(v) for row in con.execute("select * from step_event") for v in row)
