"""pyusb listing over a simulated USB tree (through pyusb's backend interface, no patching)."""

from __future__ import annotations

from kitstation.usb import UsbKind, bench_notices, list_usb_devices
from kitstation.usb.simulated import SimulatedUsbBackend, galaxy, galaxy_download_mode, hub, iphone


def _bench() -> SimulatedUsbBackend:
    return SimulatedUsbBackend(
        [
            hub(1, (1,)),
            galaxy(1, (1, 3), "R58M62BJABX", adb=False),
            galaxy(1, (1, 4), "R58M57CCZ7H", adb=True),
            iphone(1, (2,), "00008110-000A1C2E3C80401E", mode="recovery"),
            iphone(2, (1, 7), "00008030-001E2D1A0C40802E"),
            galaxy_download_mode(2, (3,)),
        ]
    )


def test_lists_phones_by_location_with_serial_and_adb_interface() -> None:
    devices = list_usb_devices(_bench())
    by_loc = {d.location: d for d in devices}
    assert list(by_loc) == ["1-1.3", "1-1.4", "1-2", "2-1.7", "2-3"]  # the hub (other vendor) is left out
    assert by_loc["1-1.3"].kind == UsbKind.GALAXY and by_loc["1-1.3"].serial == "R58M62BJABX"
    assert not by_loc["1-1.3"].adb_interface and by_loc["1-1.4"].adb_interface
    assert by_loc["1-2"].kind == UsbKind.IPHONE_RECOVERY and by_loc["1-2"].vid_pid == "05ac:1281"
    assert by_loc["2-1.7"].kind == UsbKind.IPHONE and by_loc["2-1.7"].product == "iPhone"
    assert by_loc["2-3"].kind == UsbKind.GALAXY_DOWNLOAD and by_loc["2-3"].serial is None


def test_notices_for_what_adb_and_usbmuxd_do_not_see() -> None:
    devices = list_usb_devices(_bench())
    notices = bench_notices(devices, adb_serials=["R58M57CCZ7H"], ios_udids=["00008030-001E2D1A0C40802E"])
    codes = {(n.location, n.code) for n in notices}
    assert codes == {("1-1.3", "adb_off"), ("1-2", "recovery_mode"), ("2-3", "download_mode")}
    adb_off = next(n for n in notices if n.code == "adb_off")
    assert "slot 1-1.3" in adb_off.message.en and "scan its box" in adb_off.message.en
    assert "1-1.3" in adb_off.message.ja and adb_off.serial == "R58M62BJABX"


def test_unplug_and_adb_location_match() -> None:
    backend = _bench()
    backend.unplug("1-2")
    devices = list_usb_devices(backend, read_strings=False)
    assert "1-2" not in {d.location for d in devices}
    assert all(d.serial is None for d in devices)
    # adb's `devices -l` usb: field names the same location: a listed Galaxy gives no notice.
    notices = bench_notices(devices, adb_locations=["1-1.3", "1-1.4"])
    assert [n.code for n in notices] == ["download_mode"]


def test_demo_tree_lays_phones_out_on_hubs() -> None:
    from kitstation.usb.simulated import demo_tree

    galaxies = [(f"R58M0000{i:03d}", i % 2 == 0) for i in range(8)]
    backend = demo_tree(galaxies, [("00008110-000A1C2E3C80401E", "dfu")])
    devices = list_usb_devices(backend)
    assert [d.location for d in devices][:2] == ["1-1.1", "1-1.2"]
    assert devices[7].location == "1-2.1" and devices[8].kind == UsbKind.IPHONE_DFU
    assert sum(1 for n in bench_notices(devices) if n.code == "adb_off") == 4
