"""A broken blueprint is refused before any erase or install, with the real adapters on the simulators.

The proof is the simulators' own state: the iPhone's erase count stays 0 and it holds no cloud
configuration, the Galaxy has no agent package and no Device Owner.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from kitstation.blueprints.loader import load_blueprint
from kitstation.cli.main import main
from kitstation.core.bench import BenchConfig, SlotState
from kitstation.core.protocols import DictSecrets
from kitstation.domain.model import Platform
from kitstation.simulator.android import AndroidSimulator
from kitstation.station import Station

EXAMPLES = Path(__file__).resolve().parents[2] / "kitstation" / "data" / "examples"
PKG = "jp.kitstation.demoagent"


def _broken_android(tmp: Path) -> Path:
    """The Device Owner example naming an admin receiver its APK does not declare."""
    text = (EXAMPLES / "android-device-owner.toml").read_text(encoding="utf-8")
    text = text.replace(f'"{PKG}/.AdminReceiver"', f'"{PKG}/.NoSuchReceiver"')
    text = text.replace('file = "files/', f'file = "{EXAMPLES}/files/')
    path = tmp / "android-broken.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _ios(tmp: Path) -> Path:
    """The manual-DEP example (its supervision identity ``acme-kitting`` is not in this station)."""
    text = (EXAMPLES / "ios-supervised-dep.toml").read_text(encoding="utf-8")
    path = tmp / "ios.toml"
    path.write_text(text.replace('"files/', f'"{EXAMPLES}/files/'), encoding="utf-8")
    return path


def test_prepare_exits_2_with_the_problems_and_touches_no_device(
    ios_sim_factory: Any,
    android_sim: AndroidSimulator,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sim = ios_sim_factory()
    iphone = sim.plug("iPhone15,4")
    galaxy = android_sim.plug("SM-A525F")
    monkeypatch.setenv("KITSTATION_SECRET_KITTING_WIFI", "wifi-pass-123")
    monkeypatch.setenv("KITSTATION_LANG", "en")
    db = tmp_path / "log.sqlite3"
    args = ["prepare", "--db", str(db), "--usbmux", sim.address, "--adb-port", str(android_sim.adb_port)]
    code = main([*args, "-b", str(_ios(tmp_path)), "-b", str(_broken_android(tmp_path)), "--settle", "0"])
    err = capsys.readouterr().err
    assert code == 2, err
    lines = err.strip().splitlines()
    assert lines[0].startswith("The blueprint failed its check; no device was touched")
    assert any(
        line.startswith("ios ") and "Supervision identity: " in line and "acme-kitting" in line for line in lines
    )
    assert any(
        line.startswith("android ") and "Admin receiver: " in line and ".NoSuchReceiver" in line for line in lines
    )
    assert "Traceback" not in err and "wifi-pass-123" not in err
    assert iphone.erase_count == 0 and not iphone.cloud_configuration
    assert PKG not in galaxy.installed_packages and galaxy.device_owner is None
    with contextlib.closing(sqlite3.connect(db)) as con:
        assert con.execute("select count(*) from step_event").fetchone()[0] == 0


def test_the_bench_refuses_each_device_before_its_first_step(
    ios_sim_factory: Any, android_sim: AndroidSimulator, tmp_path: Path
) -> None:
    sim = ios_sim_factory()
    iphone = sim.plug("iPhone15,4")
    galaxy = android_sim.plug("SM-A525F")
    blueprints = {
        Platform.IOS: load_blueprint(_ios(tmp_path)),
        Platform.ANDROID: load_blueprint(_broken_android(tmp_path)),
    }

    async def scenario() -> dict[str, Any]:
        station = Station(db=str(tmp_path / "log.sqlite3"), usbmux_address=sim.address, adb_port=android_sim.adb_port)
        await station.start()
        try:
            bench = station.bench(BenchConfig(blueprints=blueprints), secrets=DictSecrets({"kitting_wifi": "pw"}))
            await bench.start()
            try:

                def refused(b: Any) -> bool:
                    views = list(b.slots.values())
                    return len(views) == 2 and all(v.state == SlotState.FAILED for v in views)

                assert await bench.wait_until(refused, 240)
                results = {p: bench.preflight(p) for p in (Platform.IOS, Platform.ANDROID)}
                return {"views": list(bench.slots.values()), "results": results}
            finally:
                await bench.stop()
        finally:
            await station.aclose()

    out = asyncio.run(scenario())
    assert {v.code for v in out["views"]} == {"preflight_failed"}
    assert {(v.platform, v.reason.en.startswith("The blueprint failed its check")) for v in out["views"]} == {
        (Platform.IOS, True),
        (Platform.ANDROID, True),
    }
    ios_result, android_result = out["results"][Platform.IOS], out["results"][Platform.ANDROID]
    assert [p.code for p in ios_result.problems] == ["identity_missing"]
    assert [p.code for p in android_result.problems] == ["admin_not_in_manifest"]
    # Nothing happened to either device.
    assert iphone.erase_count == 0 and not iphone.cloud_configuration
    assert PKG not in galaxy.installed_packages and galaxy.device_owner is None
