"""``[android.setup]`` and the battery gate on simulated Galaxy phones through the real adb server.

Each step talks to the phone through unmodified adbutils (and the Debian adb server); every
success is read back from the phone, every failure path says why in both languages.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kitstation.android.adapter import AndroidAdapter
from kitstation.android.setup import (
    BatteryStep,
    DisplayStep,
    TimeZoneStep,
    WifiStep,
    parse_battery,
    parse_wifi_connected,
)
from kitstation.blueprints.loader import load_blueprint, loads_blueprint
from kitstation.blueprints.model import Blueprint
from kitstation.cli.main import main
from kitstation.core.protocols import DictSecrets, StepContext
from kitstation.domain.model import PermanentError, StepResult
from kitstation.i18n import Text
from kitstation.simulator.android import AndroidSimulator
from kitstation.simulator.android.device import SimulatedGalaxy

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "android-bench-setup.toml"
PASSWORD = "demo-pass-123"
SSID = "KitStation-Bench"


def _blueprint(setup: str = "", battery: str = "") -> Blueprint:
    return loads_blueprint(
        f"""
name = "t"
[android]
method = "device_owner"
{battery}
[android.agent]
file = "a.apk"
package = "jp.kitstation.demoagent"
admin_receiver = "jp.kitstation.demoagent/.AdminReceiver"
{setup}
"""
    )


WIFI = f"""
[android.setup.wifi]
ssid = "{SSID}"
password_secret = "bench_wifi"
"""


async def _run(
    sim_port: int,
    galaxy: SimulatedGalaxy,
    bp: Blueprint,
    make: Callable[[Any], Any],
    notes: list[Text] | None = None,
    on_first_note: Callable[[], None] | None = None,
) -> StepResult:
    adapter = AndroidAdapter(adb_port=sim_port)
    try:
        device = await adapter.identify(galaxy.adb_serial)
        ctx = StepContext(device=device, blueprint=bp, secrets=DictSecrets({"bench_wifi": PASSWORD}), run_id=1)
        if notes is not None:

            def progress(_f: float | None, note: Text | None) -> None:
                if note is not None:
                    if not notes and on_first_note is not None:
                        on_first_note()
                    notes.append(note)

            ctx._progress = progress
        step = make(adapter.runtime)
        result = await step.run(ctx)
        assert isinstance(result, StepResult)
        return result
    finally:
        await adapter.aclose()


def test_parsers() -> None:
    dumpsys = "Current Battery Service state:\n  AC powered: false\n  status: 2\n  level: 34\n  scale: 100\n"
    reading = parse_battery(dumpsys)
    assert reading is not None and (reading.percent, reading.charging) == (34, True)
    assert parse_battery("Can't find service: battery\n") is None
    assert parse_wifi_connected('Wifi is enabled\nWifi is connected to "A B"\n') == "A B"
    assert parse_wifi_connected("Wifi is enabled\nWifi is not connected\n") is None


@pytest.mark.parametrize(
    ("setup", "why"),
    [
        ('[android.setup]\nlocale = "ja-JP"', "no shell command for the system locale"),
        (f'[android.setup.wifi]\nssid = "{SSID}"\nsecurity = "wpa2"', "password_secret"),
        ('[android.setup]\ntime_zone = "Tokyo"', "IANA"),
    ],
)
def test_blueprint_refusals_say_why(setup: str, why: str) -> None:
    with pytest.raises(Exception, match=why):
        _blueprint(setup)


def test_the_example_blueprint_loads() -> None:
    bp = load_blueprint(EXAMPLE)
    assert bp.android is not None and bp.android.setup is not None
    assert bp.android.min_battery_percent == 50
    assert bp.android.setup.wifi is not None and bp.android.setup.wifi.password_secret == "bench_wifi"
    assert PASSWORD not in EXAMPLE.read_text()


def test_wifi_joins_and_is_read_back_without_the_password_anywhere(android_sim: AndroidSimulator) -> None:
    galaxy = android_sim.plug("SM-S911B")
    galaxy.access_points[SSID] = PASSWORD
    result = asyncio.run(_run(android_sim.adb_port, galaxy, _blueprint(WIFI), WifiStep))
    assert result.detail == {"ssid": SSID, "security": "wpa2", "connected": True, "saved": True}
    assert galaxy.wifi_connected == SSID and galaxy.wifi_networks == [(SSID, "wpa2")]
    assert result.reason is not None and PASSWORD not in repr(result)


def test_wrong_password_is_saved_but_not_connected(android_sim: AndroidSimulator) -> None:
    galaxy = android_sim.plug("SM-A525F")
    galaxy.access_points[SSID] = "another-password"
    with pytest.raises(PermanentError) as err:
        asyncio.run(_run(android_sim.adb_port, galaxy, _blueprint(WIFI), lambda rt: WifiStep(rt, join_seconds=0.3)))
    assert err.value.code == "wifi_not_connected"
    assert "bench_wifi" in err.value.reason.en and "パスワード" in err.value.reason.ja
    assert PASSWORD not in err.value.reason.en and galaxy.wifi_connected is None


def test_wifi_on_android_9_says_android_11_is_needed(android_sim: AndroidSimulator) -> None:
    galaxy = android_sim.plug("SM-A305J")
    with pytest.raises(PermanentError) as err:
        asyncio.run(_run(android_sim.adb_port, galaxy, _blueprint(WIFI), WifiStep))
    assert err.value.code == "wifi_unsupported" and "Android 11" in err.value.reason.en
    assert galaxy.wifi_networks == []


def test_time_zone_on_android_12_plus_and_refused_below(android_sim: AndroidSimulator) -> None:
    bp = _blueprint('[android.setup]\ntime_zone = "Asia/Tokyo"')
    galaxy = android_sim.plug("SM-S911B")
    result = asyncio.run(_run(android_sim.adb_port, galaxy, bp, TimeZoneStep))
    assert result.detail == {"time_zone": "Asia/Tokyo", "auto_time_zone": False}
    assert galaxy.props["persist.sys.timezone"] == "Asia/Tokyo"
    assert galaxy.settings["global"]["auto_time_zone"] == "0"
    old = android_sim.plug("SM-A525F", props={"ro.build.version.sdk": "30", "ro.build.version.release": "11"})
    with pytest.raises(PermanentError) as err:
        asyncio.run(_run(android_sim.adb_port, old, bp, TimeZoneStep))
    assert err.value.code == "time_zone_unsupported" and "Date and time" in err.value.reason.en
    assert "persist.sys.timezone" not in old.props or old.props["persist.sys.timezone"] != "Asia/Tokyo"


def test_display_settings_are_read_back(android_sim: AndroidSimulator) -> None:
    bp = _blueprint("[android.setup]\nscreen_off_timeout_seconds = 600\nstay_awake_while_charging = true")
    galaxy = android_sim.plug("SM-A525F")
    result = asyncio.run(_run(android_sim.adb_port, galaxy, bp, DisplayStep))
    assert result.detail == {"screen_off_timeout": "600000", "stay_on_while_plugged_in": "7"}
    assert galaxy.settings["system"]["screen_off_timeout"] == "600000"


def test_battery_gate_waits_while_charging_then_passes(
    android_sim_factory: Callable[..., AndroidSimulator],
) -> None:
    sim = android_sim_factory(speed=3000.0)  # about 33 % per second on the simulated cable
    galaxy = sim.plug("SM-S911B")
    galaxy.set_battery(34, charging=False)
    notes: list[Text] = []
    bp = _blueprint(battery="min_battery_percent = 50")

    def plug_in_power() -> None:
        # Charging starts once the slot shows the wait: the first reading is 34 % however slow the host.
        galaxy.set_battery(34, charging=True)

    step = lambda rt: BatteryStep(rt, poll_seconds=0.05)  # noqa: E731
    result = asyncio.run(_run(sim.adb_port, galaxy, bp, step, notes, plug_in_power))
    assert result.detail is not None
    assert result.detail["battery_percent"] >= 50 and result.detail["waited"] is True
    assert result.detail["battery_percent_at_start"] < 50
    assert notes[0].en == "charging: 34 % of 50 %" and notes[0].ja == "充電中: 34 %（必要 50 %）"


def test_battery_gate_fails_with_the_level_reached_when_not_charging(android_sim: AndroidSimulator) -> None:
    galaxy = android_sim.plug("SM-A525F")
    galaxy.set_battery(20, charging=False)
    bp = _blueprint(battery="min_battery_percent = 50")
    with pytest.raises(PermanentError) as err:
        asyncio.run(
            _run(android_sim.adb_port, galaxy, bp, lambda rt: BatteryStep(rt, poll_seconds=0.05, budget_seconds=0.2))
        )
    assert err.value.code == "battery_low"
    assert "only 20 % of the 50 %" in err.value.reason.en and "not charging" in err.value.reason.en
    assert err.value.detail == {"battery_percent": 20, "min_battery_percent": 50}


def test_prepare_with_the_example_blueprint_records_every_value(
    android_sim_factory: Callable[..., AndroidSimulator], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim = android_sim_factory(speed=3000.0)
    galaxy = sim.plug("SM-S911B", serial="R58TDEMO002")  # a serial in the example's names CSV
    galaxy.access_points[SSID] = PASSWORD
    galaxy.set_battery(40)
    monkeypatch.setenv("KITSTATION_SECRET_BENCH_WIFI", PASSWORD)
    db = tmp_path / "log.sqlite3"
    args = ["prepare", "--db", str(db), "--platform", "android", "--adb-port", str(sim.adb_port)]
    assert main([*args, "-b", str(EXAMPLE), "--all"]) == 0
    con = sqlite3.connect(db)
    try:
        rows = dict(
            con.execute("select step_id, detail from step_event where outcome = 'ok' and detail is not null").fetchall()
        )
        status = con.execute("select status from run").fetchone()[0]
        everything = "\n".join(str(r) for t in ("run", "step_event") for r in con.execute(f"select * from {t}"))
    finally:
        con.close()
    assert status == "ok"
    assert json.loads(rows["android.setup.wifi"])["connected"] is True
    assert json.loads(rows["android.setup.time_zone"])["time_zone"] == "Asia/Tokyo"
    assert json.loads(rows["android.setup.display"])["stay_on_while_plugged_in"] == "7"
    assert json.loads(rows["android.battery"])["battery_percent"] >= 50
    assert galaxy.device_owner is not None and galaxy.wifi_connected == SSID
    assert PASSWORD not in everything
    # [naming]: the phone carries its name from the CSV row, read back, and the run keeps it.
    assert galaxy.settings["global"]["device_name"] == "GX-0002-経理部-001"
    assert json.loads(rows["android.name"])["device_name"] == "GX-0002-経理部-001"
    # [android.apps]: the base and its split installed, the camera granted, each read back.
    scanner = galaxy.installed_packages["jp.kitstation.demo.scanner"]
    assert (scanner.version_code, scanner.splits) == (42, ("config.arm64_v8a",))
    assert "android.permission.CAMERA" in scanner.granted
    app = json.loads(rows["android.apps.install.jp.kitstation.demo.scanner"])
    assert app["version_code"] == 42 and app["granted"] == {"android.permission.CAMERA": True}
