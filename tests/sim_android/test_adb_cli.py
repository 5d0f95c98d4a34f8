"""The ``adb`` command line against simulated phones: Debian's adb and the adbutils wheel's adb."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from kitstation.simulator.android import AndroidSimulator, default_adb_path, wheel_adb_path

BINARIES = {"debian": default_adb_path(), "wheel": wheel_adb_path()}


def _adb(sim: AndroidSimulator, *args: str) -> subprocess.CompletedProcess[str]:
    # Always the adb that runs the server: another version would kill and restart it.
    env = dict(os.environ, **sim.env)
    return subprocess.run([sim.adb_path, *args], env=env, capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture(params=sorted(BINARIES))
def cli_sim(request: pytest.FixtureRequest, android_sim_factory: Callable[..., AndroidSimulator]) -> AndroidSimulator:
    return android_sim_factory(adb_path=BINARIES[request.param])


def test_devices_l_and_getprop(cli_sim: AndroidSimulator) -> None:
    devices = [cli_sim.plug(m) for m in ("SM-A305J", "SM-A525F", "SM-S911B", "SM-X700")]
    listing = _adb(cli_sim, "devices", "-l").stdout
    for g in devices:
        line = next(ln for ln in listing.splitlines() if ln.startswith(g.adb_serial))
        assert line.split()[1] == "device" and f"model:{g.model.replace('-', '_')}" in line
        out = _adb(cli_sim, "-s", g.adb_serial, "shell", "getprop", "ro.product.model")
        assert (out.returncode, out.stdout) == (0, g.model + "\n")


def test_shell_exit_code_and_stderr(cli_sim: AndroidSimulator) -> None:
    g = cli_sim.plug()
    r = _adb(cli_sim, "-s", g.adb_serial, "shell", "echo out; echo err >&2; exit 5")
    assert (r.returncode, r.stdout, r.stderr) == (5, "out\n", "err\n")


def test_install_push_pull(cli_sim: AndroidSimulator, demo_apk: Path, tmp_path: Path) -> None:
    g = cli_sim.plug("SM-S911B")
    r = _adb(cli_sim, "-s", g.adb_serial, "install", "-r", str(demo_apk))
    assert r.returncode == 0 and "Success" in r.stdout, r
    assert "jp.kitstation.demoagent" in g.installed_packages
    data = os.urandom(300_000)
    (tmp_path / "f.bin").write_bytes(data)
    assert _adb(cli_sim, "-s", g.adb_serial, "push", str(tmp_path / "f.bin"), "/sdcard/f.bin").returncode == 0
    assert _adb(cli_sim, "-s", g.adb_serial, "pull", "/sdcard/f.bin", str(tmp_path / "g.bin")).returncode == 0
    assert (tmp_path / "g.bin").read_bytes() == data


def test_unauthorized_then_accepted(cli_sim: AndroidSimulator) -> None:
    g = cli_sim.plug(authorized=False)
    assert f"{g.adb_serial}\tunauthorized" in _adb(cli_sim, "devices").stdout
    g.accept_usb_debugging()
    cli_sim.wait_for(g, "device")
    assert _adb(cli_sim, "-s", g.adb_serial, "shell", "getprop", "ro.serialno").stdout.strip() == g.serial


def test_legacy_push_and_pm_install(android_sim: AndroidSimulator, demo_apk: Path) -> None:
    g = android_sim.plug("SM-A305J")
    assert _adb(android_sim, "-s", g.adb_serial, "push", str(demo_apk), "/data/local/tmp/agent.apk").returncode == 0
    r = _adb(android_sim, "-s", g.adb_serial, "shell", "pm", "install", "-r", "/data/local/tmp/agent.apk")
    assert r.stdout.strip() == "Success"
    assert "jp.kitstation.demoagent" in g.installed_packages


def test_adb_reboot_comes_back_in_the_same_slot(cli_sim: AndroidSimulator) -> None:
    g = cli_sim.plug("SM-A525F")
    assert _adb(cli_sim, "-s", g.adb_serial, "reboot").returncode == 0
    cli_sim.wait_ready(g)
    assert g.reboot_count == 1
    out = _adb(cli_sim, "-s", g.adb_serial, "shell", "echo a > /sdcard/x; echo b >> /sdcard/x; cat /sdcard/x")
    assert out.stdout == "a\nb\n"


def test_interactive_shell_reads_stdin(cli_sim: AndroidSimulator) -> None:
    g = cli_sim.plug("SM-A305J")
    env = dict(os.environ, **cli_sim.env)
    r = subprocess.run(
        [cli_sim.adb_path, "-s", g.adb_serial, "shell"],
        input="getprop ro.product.model\necho hi\nexit\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert r.returncode == 0 and "SM-A305J\n" in r.stdout and "hi\n" in r.stdout
