"""``android.name``: ``settings put global device_name`` read back; adb's own client sees the name (A40)."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from kitstation.android import AndroidAdapter
from kitstation.android.naming import RenameStep
from kitstation.blueprints import loads_blueprint
from kitstation.cli.main import main
from kitstation.core.naming import NAME_SCRATCH_KEY
from kitstation.core.protocols import DictSecrets, StepContext
from kitstation.domain.model import PermanentError, StepResult
from kitstation.simulator.android import AndroidSimulator
from kitstation.simulator.android.device import SimulatedGalaxy

BP = loads_blueprint(
    """
name = "t"
[android]
method = "device_owner"
min_battery_percent = 20
[android.agent]
file = "a.apk"
package = "jp.kitstation.demoagent"
admin_receiver = "jp.kitstation.demoagent/.AdminReceiver"
[naming]
pattern = "{serial}-{n}"
"""
)


async def _rename(port: int, galaxy: SimulatedGalaxy, name: str | None) -> StepResult:
    adapter = AndroidAdapter(adb_port=port)
    try:
        device = await adapter.identify(galaxy.adb_serial)
        ctx = StepContext(device=device, blueprint=BP, secrets=DictSecrets({}), run_id=1)
        if name is not None:
            ctx.scratch[NAME_SCRATCH_KEY] = name
        plan = [s.id for s in adapter.plan(BP, device)]
        # After the Device Owner and the bench settings, before the battery gate.
        assert plan[-2:] == ["android.name", "android.battery"]
        return await RenameStep(adapter.runtime).run(ctx)
    finally:
        await adapter.aclose()


def test_a_new_galaxy_is_named_after_its_model(android_sim: AndroidSimulator) -> None:
    galaxy = android_sim.plug("SM-S911B")
    assert galaxy.settings["global"]["device_name"] == galaxy.marketing_name


@pytest.mark.parametrize("name", ["ACME 営業-001", "it's A&B; $(x)"])
def test_the_phone_takes_the_name_and_adb_reads_it_back(android_sim: AndroidSimulator, name: str) -> None:
    galaxy = android_sim.plug("SM-A525F")
    result = asyncio.run(_rename(android_sim.adb_port, galaxy, name))
    assert result.detail == {"device_name": name}
    assert galaxy.settings["global"]["device_name"] == name
    env = dict(os.environ, **android_sim.env)
    read = subprocess.run(
        [android_sim.adb_path, "-s", galaxy.adb_serial, "shell", "settings", "get", "global", "device_name"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    # adb's own client (no quoting of ours) reads what the Settings app shows.
    assert read.returncode == 0 and read.stdout.rstrip("\r\n") == name, read.stderr


def test_no_name_made_is_a_failure_not_an_ok(android_sim_factory: Callable[..., AndroidSimulator]) -> None:
    sim = android_sim_factory()
    galaxy = sim.plug("SM-A525F")
    with pytest.raises(PermanentError) as err:
        asyncio.run(_rename(sim.adb_port, galaxy, None))
    assert err.value.code == "name_missing" and galaxy.settings["global"]["device_name"] == galaxy.marketing_name


ROOT = Path(__file__).resolve().parents[2]


def _named_blueprint(tmp_path: Path) -> Path:
    text = (ROOT / "examples" / "android-device-owner.toml").read_text(encoding="utf-8")
    text = text.replace('"files/android/', f'"{ROOT}/examples/files/android/')
    text += '\n[naming]\npattern = "{site}-{n:02}"\nstart = 7\ncsv = "sites.csv"\n'
    (tmp_path / "sites.csv").write_text("serial,site\nNOBODY,X\n", encoding="utf-8")
    path = tmp_path / "named.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_prepare_names_csv_replaces_the_blueprints_and_bad_input_is_exit_2(
    android_sim: AndroidSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    galaxy = android_sim.plug("SM-S911B")
    bp = _named_blueprint(tmp_path)
    db = tmp_path / "log.sqlite3"
    base = ["prepare", "--db", str(db), "--platform", "android", "--adb-port", str(android_sim.adb_port), "-b", str(bp)]
    bad = tmp_path / "bad.csv"
    bad.write_text(f"serial,site\n{galaxy.serial},A\n{galaxy.serial.lower()},B\n", encoding="utf-8")
    plain = ROOT / "examples" / "android-device-owner.toml"
    for args, words in (
        (["--names-csv", str(bad)], "rows 2 and 3"),
        (["--names-csv", str(tmp_path / "none.csv")], "no such file"),
    ):
        assert main([*base, *args, "--all"]) == 2
        err = capsys.readouterr().err
        assert words in err and "Traceback" not in err, err
    assert main([*base[:-1], str(plain), "--names-csv", str(bad), "--all"]) == 2
    assert "needs a blueprint with a [naming] section" in capsys.readouterr().err
    assert galaxy.device_owner is None and galaxy.settings["global"]["device_name"] == galaxy.marketing_name
    # The blueprint's own CSV has no row for this phone: it fails before anything is done to it.
    assert main([*base, "--all"]) == 1
    assert galaxy.device_owner is None and "jp.kitstation.demoagent" not in galaxy.installed_packages
    capsys.readouterr()
    batch = tmp_path / "today.csv"
    batch.write_text(f"\ufeffserial,site\n {galaxy.serial.lower()} ,TOKYO\n", encoding="utf-8")
    assert main([*base, "--names-csv", str(batch), "--all"]) == 0
    assert galaxy.settings["global"]["device_name"] == "TOKYO-07"
    with closing(sqlite3.connect(db)) as con:  # `with` alone commits but does not close
        assert con.execute("select device_name from run order by id desc limit 1").fetchone() == ("TOKYO-07",)
