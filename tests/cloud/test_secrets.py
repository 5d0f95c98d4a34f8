"""The API credentials never reach the log, the reports, the settings or any process's arguments."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kitstation.blueprints.loader import load_blueprint
from kitstation.cli.main import main
from kitstation.core.bench import BenchConfig
from kitstation.domain.model import Platform
from kitstation.paths import config_dir, data_dir, log_dir
from kitstation.simulator.cloud import CloudStandIns
from kitstation.station import SimulationPlan, Station

ROOT = Path(__file__).resolve().parents[2]
ACME = "ACME Corporation"
KDDI = "KDDI Smart Mobile Safety Manager customer"


def _all_cmdlines() -> list[bytes]:
    out = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                out.append((p / "cmdline").read_bytes())
            except OSError:
                continue
    return out


def _files(*folders: Path, skip: Path) -> list[Path]:
    return [f for d in folders if d.exists() for f in d.rglob("*") if f.is_file() and skip not in f.parents]


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads other processes' arguments from /proc")
async def test_credentials_stay_in_the_credential_store(cloud: CloudStandIns, tmp_path: Path) -> None:
    demo = cloud.demo
    assert demo is not None
    key_body = b"".join(line for line in demo.abm_private_key_pem.splitlines() if not line.startswith(b"-----"))
    needles = {"ABM private key": key_body[:48], "KME client secret": demo.kme_client_secret.encode()}

    # Import as a technician would: the key from a file, the secret on stdin -- never in argv.
    key_file = tmp_path / "acme-api-key.pem"
    key_file.write_bytes(demo.abm_private_key_pem)
    cli = [sys.executable, "-m", "kitstation.cli.main"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    subprocess.run([*cli, "abm", "credentials", "import", "--customer", ACME, "--client-id", demo.abm_client_id,
                    "--key-id", demo.abm_key_id, str(key_file)], check=True, env=env, capture_output=True)  # fmt: skip
    key_file.unlink()
    proc = subprocess.Popen(
        [*cli, "kme", "credentials", "import", "--customer", KDDI, "--client-id", demo.kme_client_id, "-"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    # It blocks reading stdin, so its arguments stay readable; wait for the exec to show them.
    deadline = time.monotonic() + 60
    waiting_argv = b""
    while b"credentials" not in waiting_argv and time.monotonic() < deadline:
        waiting_argv = Path(f"/proc/{proc.pid}/cmdline").read_bytes()
        time.sleep(0.01)
    out, err = proc.communicate(demo.kme_client_secret.encode() + b"\n", timeout=120)
    assert proc.returncode == 0, err
    assert demo.kme_client_id.encode() in waiting_argv
    printed = out + err

    # A batch on the simulated bench with both hand-offs, using the stored credentials.
    station = Station(db=str(tmp_path / "log.sqlite3"), simulate=SimulationPlan(ios=2, android=2, speed=100))
    await station.start()
    try:
        assert station.ios_sim is not None and station.android_sim is not None
        for d in station.ios_sim.devices:
            cloud.abm.add_device(d.serial)
        for g in station.android_sim.devices:
            cloud.kme.add_device(g.imeis[0], g.serial)
        blueprints = {
            Platform.IOS: load_blueprint(ROOT / "examples/ios-dep-abm.toml"),
            Platform.ANDROID: load_blueprint(ROOT / "examples/android-kme-assign.toml"),
        }
        assert [p for bp in blueprints.values() for p in await station.blueprint_preflight(bp)] == []
        bench = station.bench(BenchConfig(blueprints=blueprints))
        await bench.start()
        argv_during_run: list[bytes] = []
        try:
            assert await bench.wait_until(
                lambda b: len(b.slots) == 4 and all(v.state.is_final for v in b.slots.values()), 240
            )
            argv_during_run = _all_cmdlines()
        finally:
            await bench.stop()
        states = {v.device.key: v.state.value for v in bench.slots.values() if v.device is not None}
    finally:
        await station.aclose()
    assert len(states) == 4
    tokens = [t.encode() for t in list(cloud.abm._tokens) + list(cloud.kme._tokens)]
    assert tokens  # the station did talk to both services
    needles |= {f"access token {i}": t for i, t in enumerate(tokens)}

    # Every report format, the log, the settings and diagnostic logs.
    reports = []
    for fmt in ("csv", "xlsx", "pdf", "json", "abm-csv", "kme-csv"):
        out_file = tmp_path / f"report.{fmt}"
        assert main(["report", "--db", str(tmp_path / "log.sqlite3"), "--format", fmt, "--out", str(out_file)]) == 0
        reports.append(out_file)
    assert b"abm_assigned" in (tmp_path / "report.csv").read_bytes()
    assert b"kme_assigned" in (tmp_path / "report.csv").read_bytes()
    store = data_dir() / "credentials"
    haystacks = [tmp_path / "log.sqlite3", *reports, *_files(config_dir(), log_dir(), data_dir(), skip=store)]
    for path in haystacks:
        data = path.read_bytes()
        for what, needle in needles.items():
            assert needle not in data, f"{what} found in {path}"
    for what, needle in needles.items():
        assert needle not in printed, f"{what} printed by the import"
        for argv in argv_during_run:
            assert needle not in argv, f"{what} in a process's arguments"
    # ... and they are where they belong (so the needles are the right ones to look for).
    stored = b"".join(f.read_bytes() for f in store.iterdir())
    assert needles["ABM private key"] in stored and needles["KME client secret"] in stored
