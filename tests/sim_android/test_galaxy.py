"""A simulated Galaxy behaves like one: props, IMEI over service call, dpm, pm, settings, reboot."""

from __future__ import annotations

import re
from pathlib import Path

import adbutils
import pytest

from kitstation.simulator.android import AndroidSimulator, build_apk, luhn_valid

OWNER = "jp.kitstation.demoagent/.AdminReceiver"


def _dev(g) -> adbutils.AdbDevice:  # type: ignore[no-untyped-def]
    return adbutils.AdbClient().device(g.adb_serial)


@pytest.mark.parametrize(
    ("model", "release", "name", "imeis"),
    [("SM-A305J", "9", "Galaxy A30", 1), ("SM-A525F", "13", "Galaxy A52", 2), ("SM-S911B", "14", "Galaxy S23", 2), ("SC-51D", "14", "Galaxy S23", 1), ("SM-X700", "14", "Galaxy Tab S8", 0)],
)
def test_catalogue_props(android_sim: AndroidSimulator, model: str, release: str, name: str, imeis: int) -> None:
    g = android_sim.plug(model)
    assert (g.model, g.marketing_name, g.android_version, len(g.imeis)) == (model, name, release, imeis)
    assert all(luhn_valid(i) and len(i) == 15 for i in g.imeis)
    out = _dev(g).shell("getprop")
    props = dict(re.findall(r"^\[(.+?)\]: \[(.*)\]$", out, re.M))
    for key in ("ro.serialno", "ro.product.name", "ro.product.device", "ro.product.brand",
                "ro.build.version.sdk", "ro.build.version.security_patch", "ro.build.PDA", "net.knoxscep.version",
                "ro.config.knox", "ro.build.version.oneui"):
        assert props[key], key
    assert props["ro.product.model"] == model and props["ro.build.version.release"] == release
    assert props["ro.serialno"] == g.serialno
    # Identities as real units show them: the S23s have no ril.serialnumber, the tablet's adb
    # serial is a chip id, not the S/N on its box (which only ril.serialnumber carries).
    if model in ("SM-S911B", "SC-51D"):
        assert "ril.serialnumber" not in props and _dev(g).shell("getprop ril.serialnumber").strip() == ""
        assert props["ro.serialno"] == g.serial
    elif model == "SM-X700":
        assert props["ril.serialnumber"] == g.serial and props["ro.serialno"] != g.serial
        assert re.fullmatch(r"[0-9a-f]{16}", props["ro.serialno"])
    else:
        assert props["ril.serialnumber"] == props["ro.serialno"] == g.serial


def test_imei_parcel_on_android_9(android_sim: AndroidSimulator) -> None:
    g = android_sim.plug("SM-A305J")
    out = _dev(g).shell("service call iphonesubinfo 1")
    # The classic one-liner: cut -c 52-66 of each line, drop dots and spaces.
    digits = "".join(line[51:66] for line in out.splitlines()[1:]).replace(".", "").replace(" ", "").replace("'", "").replace(")", "")
    assert digits == g.imeis[0]
    # Android 5.1-10: getDeviceIdForPhone(slot) is transaction 3; 4 is getImeiForSubscriber, which
    # needs a SIM's subscription (none on the bench): null.
    by_slot = _dev(g).shell("service call iphonesubinfo 3 i32 0 s16 com.android.shell")
    assert g.imeis[0] in "".join(re.findall(r"'(.*?)'", by_slot)).replace(".", "")
    assert "ffffffff" in _dev(g).shell("service call iphonesubinfo 4 i32 0 s16 com.android.shell")
    # No "Device ID" dump since Android 5.
    assert _dev(g).shell("dumpsys iphonesubinfo").strip() == ""


def test_imei_denied_on_android_10_plus(android_sim: AndroidSimulator) -> None:
    g = android_sim.plug("SM-S911B")
    out = _dev(g).shell("service call iphonesubinfo 1 s16 com.android.shell")
    assert out.startswith("Result: Parcel(") and "ffffffff" in out
    text = "".join(re.findall(r"'(.*?)'", out)).replace(".", "")
    assert "does not meet the requirements" in text.replace(" ", " ")
    assert g.imeis[0] not in out


def test_dpm_set_device_owner_success(android_sim: AndroidSimulator, demo_apk: Path) -> None:
    g = android_sim.plug("SM-A525F")
    d = _dev(g)
    assert "no owners" in d.shell("dpm list-owners")
    r = d.shell2(["dpm", "set-device-owner", "--user", "current", OWNER], v2=True)
    assert r.returncode != 0 and "Unknown admin" in r.stderr  # not installed yet
    d.install(str(demo_apk), nolaunch=True, silent=True)
    r = d.shell2(["dpm", "set-device-owner", OWNER], v2=True)
    assert r.returncode == 0, r
    # Android 13 (cmd device_policy): the short component form.
    assert "Success: Device owner set to package jp.kitstation.demoagent/.AdminReceiver" in r.stdout
    assert g.device_owner == OWNER
    assert f"admin={OWNER},DeviceOwner" in d.shell("dpm list-owners")
    assert "package=jp.kitstation.demoagent" in d.shell("dumpsys device_policy")
    again = d.shell2(["dpm", "set-device-owner", OWNER], v2=True)
    assert again.returncode == 255 and "device owner" in again.stderr.lower() and "is already set" in again.stderr
    assert "DELETE_FAILED_DEVICE_POLICY_MANAGER" in d.shell("pm uninstall jp.kitstation.demoagent")


def test_dpm_needs_a_declared_receiver(android_sim: AndroidSimulator, tmp_path: Path) -> None:
    g = android_sim.plug("SM-S911B")
    apk = tmp_path / "noadmin.apk"
    apk.write_bytes(build_apk("com.example.noadmin", None))
    d = _dev(g)
    d.install(str(apk), nolaunch=True, silent=True)
    r = d.shell2("dpm set-device-owner com.example.noadmin/.AdminReceiver", v2=True)
    assert r.returncode != 0 and "Unknown admin: ComponentInfo{com.example.noadmin/com.example.noadmin.AdminReceiver}" in r.stderr
    assert g.device_owner is None


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda g: g.add_account("com.google"), "already some accounts on the device."),
        (lambda g: g.add_account("com.osp.app.signin"), "already some accounts on the device."),
        (lambda g: g.add_user(), "already several users on the device."),
    ],
    ids=["google", "samsung", "users"],
)
def test_dpm_refusals(android_sim: AndroidSimulator, demo_apk: Path, setup, message: str) -> None:  # type: ignore[no-untyped-def]
    g = android_sim.plug("SM-A525F")
    d = _dev(g)
    d.install(str(demo_apk), nolaunch=True, silent=True)
    setup(g)
    r = d.shell2(["dpm", "set-device-owner", OWNER], v2=True)
    assert r.returncode == 255 and "Exception occurred while executing 'set-device-owner':" in r.stderr
    assert "java.lang.IllegalStateException: Not allowed to set the device owner because" in r.stderr
    assert message in r.stderr
    assert g.device_owner is None and "no owners" in d.shell("dpm list-owners")


def test_finished_setup_without_accounts_takes_a_device_owner(android_sim: AndroidSimulator, demo_apk: Path) -> None:
    # AOSP's adb branch: setup finished, no account, one user -> allowed (no reset needed).
    g = android_sim.plug("SM-S911B")
    assert g.provisioned and g.settings["global"]["adb_enabled"] == "1"
    d = _dev(g)
    d.install(str(demo_apk), nolaunch=True, silent=True)
    r = d.shell2(["dpm", "set-device-owner", OWNER], v2=True)
    assert r.returncode == 0
    assert r.output == (
        "Success: Device owner set to package jp.kitstation.demoagent/.AdminReceiver\n"
        "Active admin set to component jp.kitstation.demoagent/.AdminReceiver\n"
    )
    # A second owner is refused, owner first (before accounts are even looked at).
    g.add_account()
    again = d.shell2(["dpm", "set-device-owner", OWNER], v2=True)
    assert "Trying to set the device owner, but device owner is already set." in again.stderr


def test_android_9_dpm_is_the_old_app_process_tool(android_sim: AndroidSimulator, demo_apk: Path) -> None:
    g = android_sim.plug("SM-A305J")
    d = _dev(g)
    d.install(str(demo_apk), nolaunch=True, silent=True)
    # No list-owners before Android 12: usage and "unknown command" on stderr, exit code 0.
    lo = d.shell2(["dpm", "list-owners"], v2=True)
    assert lo.returncode == 0 and lo.stdout == "" and "Error: unknown command 'list-owners'" in lo.stderr
    g.add_account()
    r = d.shell2(["dpm", "set-device-owner", OWNER], v2=True)
    assert r.returncode == 1
    assert r.stderr.startswith(
        "java.lang.IllegalStateException: Not allowed to set the device owner because there are already some"
        " accounts on the device\n"
    )
    assert "Accounts: 1" in d.shell("dumpsys account")
    g.accounts.clear()
    ok = d.shell2(["dpm", "set-device-owner", OWNER], v2=True)
    assert ok.returncode == 0 and ok.stdout == (
        "Success: Device owner set to package ComponentInfo{jp.kitstation.demoagent/jp.kitstation.demoagent.AdminReceiver}\n"
        "Active admin set to component {jp.kitstation.demoagent/jp.kitstation.demoagent.AdminReceiver}\n"
    )
    assert "admin=ComponentInfo{jp.kitstation.demoagent/jp.kitstation.demoagent.AdminReceiver}" in d.shell(
        "dumpsys device_policy"
    )


def test_pm_settings_am_wm(android_sim: AndroidSimulator, demo_apk: Path) -> None:
    g = android_sim.plug("SM-S911B")
    d = _dev(g)
    assert "package:com.sec.enterprise.knox.cloudmdm.smdms" in d.shell("pm list packages knox")
    assert d.shell("pm list packages -3") == ""
    d.install(str(demo_apk), nolaunch=True, silent=True)
    assert d.shell("pm list packages -3").strip() == "package:jp.kitstation.demoagent"
    assert "new state: disabled-user" in d.shell("pm disable-user --user 0 com.google.android.youtube")
    assert not g.installed_packages["com.google.android.youtube"].enabled
    assert "package:com.google.android.youtube" in d.shell("pm list packages -d")
    assert d.shell("pm uninstall jp.kitstation.demoagent").strip() == "Success"
    assert "jp.kitstation.demoagent" not in g.installed_packages
    assert d.shell("settings get global device_provisioned").strip() == "1"
    d.shell("settings put system screen_off_timeout 600000")
    assert g.settings["system"]["screen_off_timeout"] == "600000"
    assert d.shell("settings get secure nothing_here").strip() == "null"
    assert d.shell("wm size").strip() == "Physical size: 1080x2340"
    assert d.shell("wm density").strip() == "Physical density: 420"
    assert "Starting: Intent { act=android.settings.SETTINGS }" in d.shell("am start -a android.settings.SETTINGS")
    assert "Broadcast completed: result=0" in d.shell("am broadcast -a com.example.PING")
    assert d.shell2("am force-stop com.android.chrome", v2=True).returncode == 0
    assert d.shell("cmd package list packages chrome").strip() == "package:com.android.chrome"


def test_streamed_install_failures(android_sim: AndroidSimulator, tmp_path: Path) -> None:
    g = android_sim.plug("SM-S911B")
    d = _dev(g)
    unsigned = tmp_path / "unsigned.apk"
    unsigned.write_bytes(build_apk("com.example.unsigned", ".R", unsigned=True))
    with pytest.raises(adbutils.AdbInstallError, match="INSTALL_PARSE_FAILED_NO_CERTIFICATES"):
        d.install(str(unsigned), nolaunch=True, silent=True)
    v2 = tmp_path / "v2.apk"
    v2.write_bytes(build_apk("com.example.app", ".R", version_code=2))
    v1 = tmp_path / "v1.apk"
    v1.write_bytes(build_apk("com.example.app", ".R", version_code=1))
    d.install(str(v2), nolaunch=True, silent=True)
    out = d.shell(["pm", "install", "-r", "/data/local/tmp/none.apk"])
    assert "Failure [INSTALL_FAILED_INVALID_URI" in out
    d.sync.push(str(v1), "/data/local/tmp/v1.apk")
    assert "INSTALL_FAILED_VERSION_DOWNGRADE" in d.shell("pm install -r /data/local/tmp/v1.apk")
    assert d.shell("pm install -r -d /data/local/tmp/v1.apk").strip() == "Success"
    assert g.installed_packages["com.example.app"].version_code == 1


def test_install_refusals_by_sdk_and_signer(android_sim: AndroidSimulator, tmp_path: Path) -> None:
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    g = android_sim.plug("SM-A305J")  # Android 9, API 28
    d = _dev(g)
    newer = tmp_path / "newer.apk"
    newer.write_bytes(build_apk("com.example.new", ".R", min_sdk=30))
    d.sync.push(str(newer), "/data/local/tmp/newer.apk")
    out = d.shell("pm install /data/local/tmp/newer.apk")
    assert "Failure [INSTALL_FAILED_OLDER_SDK:" in out and "Requires newer sdk version #30 (current version is #28)" in out
    # The same package signed by another key: an update Android refuses.
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Other vendor")])
    now = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(7).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    first = tmp_path / "first.apk"
    first.write_bytes(build_apk("com.example.app", ".R", version_code=1))
    other = tmp_path / "other.apk"
    other.write_bytes(build_apk("com.example.app", ".R", version_code=2, signing=(key, cert)))
    d.install(str(first), nolaunch=True, silent=True)
    d.sync.push(str(other), "/data/local/tmp/other.apk")
    assert "Failure [INSTALL_FAILED_UPDATE_INCOMPATIBLE:" in d.shell("pm install -r /data/local/tmp/other.apk")


def test_reboot_drops_and_comes_back(android_sim: AndroidSimulator) -> None:
    g = android_sim.plug("SM-A525F")
    d = _dev(g)
    d.shell("settings put system font_scale 1.3")
    d.shell("reboot")
    android_sim.wait_ready(g)
    assert g.reboot_count == 1
    assert _dev(g).shell("getprop sys.boot_completed").strip() == "1"
    assert g.settings["system"]["font_scale"] == "1.3"  # a reboot keeps data
    _dev(g).reboot()  # the reboot: service
    android_sim.wait_ready(g)
    assert g.reboot_count == 2


def test_factory_reset_broadcast_from_the_shell_does_nothing(android_sim: AndroidSimulator, demo_apk: Path) -> None:
    g = android_sim.plug("SM-A525F")
    d = _dev(g)
    d.install(str(demo_apk), nolaunch=True, silent=True)
    assert d.shell2(["dpm", "set-device-owner", OWNER], v2=True).returncode == 0
    for action in ("android.intent.action.FACTORY_RESET", "android.intent.action.MASTER_CLEAR"):
        out = d.shell(f"am broadcast -a {action} -p android")
        # MasterClearReceiver needs android.permission.MASTER_CLEAR, which the shell lacks:
        # the broadcast "completes" with no receiver run.
        assert "Broadcast completed: result=0" in out
    assert g.reboot_count == 0 and g.device_owner is not None
    assert "jp.kitstation.demoagent" in g.installed_packages


def test_factory_reset_leaves_the_phone_off_adb_until_usb_debugging_is_on_again(
    android_sim: AndroidSimulator, demo_apk: Path
) -> None:
    g = android_sim.plug("SM-A525F")
    d = _dev(g)
    d.install(str(demo_apk), nolaunch=True, silent=True)
    g.add_account()
    g.factory_reset()  # the technician's reset from Settings or recovery
    android_sim.wait_for(g, None)  # off adb: USB debugging is off on the welcome screen
    assert not g.provisioned and not g.adb_enabled and not g.accounts and g.device_owner is None
    assert "jp.kitstation.demoagent" not in g.installed_packages
    g.enable_usb_debugging()  # setup finished, USB debugging on: the RSA dialog shows again
    android_sim.wait_for(g, "unauthorized")
    g.accept_usb_debugging()
    android_sim.wait_ready(g)
    assert g.reboot_count == 1 and g.provisioned


def test_unauthorized_until_accepted(android_sim: AndroidSimulator) -> None:
    g = android_sim.plug("SM-S911B", authorized=False)
    # The simulator's client: adbutils' own leaves the refused connection open (android/adbconn.py).
    client = android_sim.client()
    assert {i.serial: i.state for i in client.list()}[g.adb_serial] == "unauthorized"
    with pytest.raises(adbutils.AdbError, match="unauthorized"):
        client.device(g.adb_serial).shell("getprop ro.product.model")
    g.accept_usb_debugging()
    android_sim.wait_for(g, "device")
    assert client.device(g.adb_serial).shell("getprop ro.product.model").strip() == "SM-S911B"
    # once accepted the key stays trusted: a reboot comes back authorized
    g.reboot()
    android_sim.wait_ready(g)
    assert {i.serial: i.state for i in client.list()}[g.adb_serial] == "device"
