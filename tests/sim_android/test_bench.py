"""The bench: many devices, unplug/replug keeping the slot, seeds, faults, CLI helpers."""

from __future__ import annotations

import argparse
import socket
from collections.abc import Callable
from pathlib import Path

import adbutils
import pytest

from kitstation.simulator.android import AndroidSimulator, SimulatorError
from kitstation.simulator.android.cli import add_android_arguments, describe


def test_sixteen_devices_at_once(android_sim: AndroidSimulator) -> None:
    devices = [android_sim.plug() for _ in range(16)]
    client = adbutils.AdbClient()
    states = {i.serial: i.state for i in client.list()}
    assert all(states[g.adb_serial] == "device" for g in devices)
    assert len({g.serial for g in devices}) == 16 and len({g.adb_serial for g in devices}) == 16
    for g in devices:
        assert client.device(g.adb_serial).prop.get("ro.serialno", cache=False) == g.serialno


def test_unplug_replug_keeps_the_slot(android_sim: AndroidSimulator) -> None:
    g = android_sim.plug("SM-A525F", serial="R58T0000001")
    slot = g.adb_serial
    android_sim.unplug("R58T0000001")
    assert not g.plugged
    assert slot not in [i.serial for i in adbutils.AdbClient().list()]
    android_sim.replug(g)
    assert g.adb_serial == slot
    assert adbutils.AdbClient().device(slot).shell("getprop ro.serialno").strip() == "R58T0000001"


def test_seed_makes_the_same_bench(android_sim_factory: Callable[..., AndroidSimulator]) -> None:
    a = android_sim_factory(seed=7)
    first = [(g.serial, g.imeis) for g in (a.plug(), a.plug())]
    a.stop()
    b = android_sim_factory(seed=7)
    assert [(g.serial, g.imeis) for g in (b.plug(), b.plug())] == first
    c = android_sim_factory(seed=8)
    assert c.plug().serial != first[0][0]


def test_plug_overrides(android_sim: AndroidSimulator) -> None:
    g = android_sim.plug("SM-A305J", imeis=("490154203237518",), props={"ro.build.PDA": "X"}, accounts=["com.google"], users=2, provisioned=True)
    d = adbutils.AdbClient().device(g.adb_serial)
    assert d.shell("getprop ro.build.PDA").strip() == "X"
    assert g.imeis == ("490154203237518",) and len(g.accounts) == 1 and len(g.users) == 2 and g.provisioned
    with pytest.raises(TypeError):
        android_sim.plug(colour="blue")
    with pytest.raises(KeyError):
        android_sim.plug("SM-G999")


def test_own_server_is_started_and_killed(tmp_path: Path) -> None:
    sim = AndroidSimulator(speed=100)
    with sim:
        port = sim.adb_port
        g = sim.plug()
        assert sim.client().device(g.adb_serial).shell("echo hi").strip() == "hi"
        assert sim.env == {"ANDROID_ADB_SERVER_PORT": str(port), "ADBUTILS_ADB_PATH": sim.adb_path}
    # Probe with a plain socket: adbutils' own client would start a server on 5037 when none answers.
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    with pytest.raises(adbutils.AdbError):
        sim.client().server_version()


def test_cli_helpers(android_sim: AndroidSimulator) -> None:
    parser = argparse.ArgumentParser()
    add_android_arguments(parser)
    args = parser.parse_args(["--android", "3", "--adb-port", "5999"])
    assert (args.android, args.adb_port) == (3, 5999)
    g = android_sim.plug("SM-A305J")
    u = android_sim.plug("SM-S911B", authorized=False)
    lines = describe(android_sim)
    assert any(g.serial in ln and g.adb_serial in ln and "SM-A305J" in ln and g.imeis[0] in ln for ln in lines)
    assert any(u.serial in ln and "unauthorized" in ln for ln in lines)
    assert f"ANDROID_ADB_SERVER_PORT={android_sim.adb_port}" in lines


# ------------------------------------------------------------------------------------- faults


def test_fault_unauthorized(android_sim_factory: Callable[..., AndroidSimulator]) -> None:
    sim = android_sim_factory(faults=["1:unauthorized"])
    ok, locked = sim.plug(), sim.plug()
    states = {i.serial: i.state for i in sim.client().list()}
    assert states[ok.adb_serial] == "device" and states[locked.adb_serial] == "unauthorized"
    locked.accept_usb_debugging()
    sim.wait_for(locked, "device")


@pytest.mark.parametrize("code", ["INSTALL_FAILED_INSUFFICIENT_STORAGE", "INSTALL_PARSE_FAILED_NO_CERTIFICATES"])
def test_fault_install_fail_once(android_sim_factory: Callable[..., AndroidSimulator], demo_apk: Path, code: str) -> None:
    sim = android_sim_factory(faults=[f"*:install-fail={code}"])
    g = sim.plug()
    d = sim.client().device(g.adb_serial)
    with pytest.raises(adbutils.AdbInstallError, match=code):
        d.install(str(demo_apk), nolaunch=True, silent=True)
    assert "jp.kitstation.demoagent" not in g.installed_packages
    d.install(str(demo_apk), nolaunch=True, silent=True)  # one-shot: the retry works
    assert "jp.kitstation.demoagent" in g.installed_packages


def test_fault_install_fail_streamed(android_sim_factory: Callable[..., AndroidSimulator], demo_apk: Path) -> None:
    import os
    import subprocess

    sim = android_sim_factory(faults=["0:install-fail=INSTALL_FAILED_INSUFFICIENT_STORAGE"])
    g = sim.plug()
    r = subprocess.run([sim.adb_path, "-s", g.adb_serial, "install", str(demo_apk)], env=dict(os.environ, **sim.env), capture_output=True, text=True, timeout=60, check=False)
    assert r.returncode != 0 and "INSTALL_FAILED_INSUFFICIENT_STORAGE" in r.stdout + r.stderr


@pytest.mark.parametrize("path", ["pm", "streamed"])
def test_fault_offline_mid_install(android_sim_factory: Callable[..., AndroidSimulator], demo_apk: Path, path: str) -> None:
    import os
    import subprocess

    sim = android_sim_factory(faults=["0:offline-mid-install"])
    g = sim.plug()
    d = sim.client().device(g.adb_serial)
    if path == "pm":
        with pytest.raises((adbutils.AdbError, adbutils.AdbInstallError, ConnectionError)):
            d.install(str(demo_apk), nolaunch=True, silent=True)
    else:
        r = subprocess.run([sim.adb_path, "-s", g.adb_serial, "install", str(demo_apk)], env=dict(os.environ, **sim.env), capture_output=True, text=True, timeout=60, check=False)
        assert "Success" not in r.stdout
    assert "jp.kitstation.demoagent" not in g.installed_packages
    sim.wait_ready(g)  # the cable is re-seated; the device is back
    d.install(str(demo_apk), nolaunch=True, silent=True)
    assert "jp.kitstation.demoagent" in g.installed_packages


def test_fault_slow_shell(android_sim_factory: Callable[..., AndroidSimulator]) -> None:
    sim = android_sim_factory(faults=["0:slow-shell=3000"])
    slow, fast = sim.plug(), sim.plug()
    assert sim.client().device(fast.adb_serial).shell("echo fast").strip() == "fast"
    # 3000 s / speed 100 = 30 s per command: far beyond this short client timeout.
    with pytest.raises(adbutils.AdbTimeout):
        sim.client().device(slow.adb_serial).shell("echo slow", timeout=0.5)


@pytest.mark.parametrize(
    ("spec", "message"),
    [("0:account", "accounts"), ("0:users=2", "several users")],
)
def test_dpm_faults(android_sim_factory: Callable[..., AndroidSimulator], demo_apk: Path, spec: str, message: str) -> None:
    sim = android_sim_factory(faults=[spec])
    g = sim.plug("SM-A525F")
    d = sim.client().device(g.adb_serial)
    d.install(str(demo_apk), nolaunch=True, silent=True)
    r = d.shell2("dpm set-device-owner jp.kitstation.demoagent/.AdminReceiver", v2=True)
    assert r.returncode != 0 and message in r.stderr


def test_setup_wizard_fault_lets_adb_ignore_accounts(
    android_sim_factory: Callable[..., AndroidSimulator], demo_apk: Path
) -> None:
    # AOSP's adb branch checks users and accounts only once the setup wizard is finished.
    sim = android_sim_factory(faults=["0:setup-wizard", "0:account"])
    g = sim.plug("SM-A525F")
    assert not g.provisioned and g.accounts
    d = sim.client().device(g.adb_serial)
    d.install(str(demo_apk), nolaunch=True, silent=True)
    r = d.shell2("dpm set-device-owner jp.kitstation.demoagent/.AdminReceiver", v2=True)
    assert r.returncode == 0 and "Success" in r.output


def test_bad_fault_is_rejected() -> None:
    with pytest.raises(ValueError):
        AndroidSimulator(faults=["0:install-fail"])
    with pytest.raises(SimulatorError):
        AndroidSimulator().plug()


def test_scheduled_unplug_and_replug(android_sim: AndroidSimulator) -> None:
    g = android_sim.plug()
    android_sim.schedule(5, "unplug", g)  # 5 simulated seconds
    android_sim.wait_for(g, None)
    assert not g.plugged
    android_sim.schedule(5, "replug", g)
    android_sim.wait_for(g, "device")
    with pytest.raises(ValueError):
        android_sim.schedule(1, "explode", g)


def test_fault_unplug_after_with_replug(android_sim_factory: Callable[..., AndroidSimulator]) -> None:
    sim = android_sim_factory(faults=["0:unplug-after=10", "0:replug-after=10"])
    g = sim.plug()
    slot = g.adb_serial
    sim.wait_for(g, None)
    sim.wait_for(g, "device")
    assert g.adb_serial == slot and g.plugged


def test_concurrent_plugs_get_distinct_devices(android_sim: AndroidSimulator) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        devices = list(pool.map(lambda _: android_sim.plug(), range(8)))
    assert len({g.serial for g in devices}) == 8
    states = {i.serial: i.state for i in android_sim.client().list()}
    assert all(states[g.adb_serial] == "device" for g in devices)
