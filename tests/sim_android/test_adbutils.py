"""Simulated Galaxy phones through adbutils and the real adb server, as the Android adapter uses them."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import adbutils
import pytest

from kitstation.simulator.android import AndroidSimulator


def test_list_extended_shows_models(android_sim: AndroidSimulator) -> None:
    a30 = android_sim.plug("SM-A305J")
    s23 = android_sim.plug("SM-S911B")
    client = adbutils.AdbClient()  # from ANDROID_ADB_SERVER_PORT, set by the fixture
    infos = {i.serial: i for i in client.list(extended=True)}
    assert infos[a30.adb_serial].state == "device"
    assert infos[a30.adb_serial].tags["model"] == "SM_A305J"
    assert infos[s23.adb_serial].tags["device"] == "dm1q"
    assert client.device(a30.adb_serial).get_serialno() == a30.adb_serial
    assert set(client.device(s23.adb_serial).get_features().split(",")) == {"shell_v2", "cmd"}


def test_track_devices_sees_plug_and_unplug(android_sim: AndroidSimulator) -> None:
    client = adbutils.AdbClient(socket_timeout=30)
    events = client.track_devices()
    box: list = []
    t = threading.Thread(target=lambda: box.append(android_sim.plug("SM-A525F")))
    t.start()
    try:
        seen = []
        while not any(e.present and e.status == "device" for e in seen):
            seen.append(next(events))
        t.join()
        g = box[0]
        assert all(e.serial == g.adb_serial for e in seen)
        t = threading.Thread(target=android_sim.unplug, args=(g.serial,))
        t.start()
        while not (e := next(events)).serial == g.adb_serial or e.present:
            pass
        assert e.status == "absent"
    finally:
        t.join()
        events.close()


def test_props_and_shell2_exit_codes(android_sim: AndroidSimulator) -> None:
    g = android_sim.plug("SM-A525F")
    d = adbutils.AdbClient().device(g.adb_serial)
    assert d.prop.get("ro.serialno") == g.serial
    assert d.prop.get("ril.serialnumber") == g.serial
    assert d.prop.model == "SM-A525F"
    assert d.prop.get("ro.build.version.release") == "13" == g.android_version
    assert d.prop.get("ro.product.manufacturer") == "samsung"
    r = d.shell2("echo out; echo err >&2; exit 7", v2=True)
    assert (r.returncode, r.stdout, r.stderr) == (7, "out\n", "err\n")
    assert d.shell2("echo hidden 2>/dev/null >/dev/null; echo seen", v2=True).output == "seen\n"
    for v2 in (False, True):
        assert d.shell2("false", v2=v2).returncode == 1
        assert d.shell2("true && echo yes || echo no", v2=v2).output == "yes\n"
        missing = d.shell2("no-such-tool", v2=v2)
        assert missing.returncode == 127 and "not found" in missing.output
    r = d.shell2("cat /nonexistent", v2=True)
    assert r.returncode == 1 and "No such file" in r.stderr and r.stdout == ""


def test_push_pull_byte_identical(android_sim: AndroidSimulator, tmp_path: Path) -> None:
    g = android_sim.plug()
    d = adbutils.AdbClient().device(g.adb_serial)
    payload = os.urandom(700_000)  # several WRTEs and several sync DATA chunks
    src = tmp_path / "in.bin"
    src.write_bytes(payload)
    d.sync.push(str(src), "/sdcard/Download/in.bin", mode=0o600)
    st = d.sync.stat("/sdcard/Download/in.bin")
    assert st.size == len(payload) and st.mode & 0o777 == 0o600
    assert d.sync.read_bytes("/sdcard/Download/in.bin") == payload
    dst = tmp_path / "out.bin"
    d.sync.pull("/storage/emulated/0/Download/in.bin", str(dst))
    assert dst.read_bytes() == payload
    assert "in.bin" in [e.path for e in d.sync.list("/sdcard/Download")]
    assert d.sync.stat("/sdcard/nothing").size == 0
    with pytest.raises(adbutils.AdbError):
        d.sync.push(str(src), "/system/evil.bin")


def test_install_demo_agent_through_adbutils(android_sim: AndroidSimulator, demo_apk: Path) -> None:
    g = android_sim.plug("SM-S911B")
    d = adbutils.AdbClient().device(g.adb_serial)
    d.install(str(demo_apk), nolaunch=True, silent=True)
    assert "jp.kitstation.demoagent" in d.list_packages()
    pkg = g.installed_packages["jp.kitstation.demoagent"]
    assert pkg.admin_receivers == ("jp.kitstation.demoagent.AdminReceiver",) and not pkg.system
    assert d.shell("pm path jp.kitstation.demoagent").startswith("package:/data/app/")
    assert "=jp.kitstation.demoagent" in d.shell("pm list packages -f demoagent")
    # adbutils cleans up the pushed copy after a successful pm install
    assert d.sync.stat("/data/local/tmp/jp.kitstation.demoagent.apk").size == 0


def test_app_info_from_dumpsys_package(android_sim: AndroidSimulator, demo_apk: Path) -> None:
    g = android_sim.plug("SM-A525F")
    d = adbutils.AdbClient().device(g.adb_serial)
    assert d.app_info("jp.kitstation.demoagent") is None
    d.install(str(demo_apk), nolaunch=True, silent=True)
    info = d.app_info("jp.kitstation.demoagent")
    assert info is not None and (info.version_name, info.version_code) == ("1.0", 1)
    assert info.path == g.installed_packages["jp.kitstation.demoagent"].path
    assert info.first_install_time is not None
