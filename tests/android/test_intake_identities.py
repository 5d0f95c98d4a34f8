"""Intake that survives real Galaxy identities: a scanned box matched to the phone adb shows.

Simulated phones keep the quirks of real units: the Galaxy S23 has an empty ``ril.serialnumber``,
the Galaxy Tab S8's ``ro.serialno`` is not the S/N on its box, the IMEI is readable over adb only
up to Android 9. The box labels are parsed from scanned lines as the scanner types them.
"""

from __future__ import annotations

from kitstation.android import AndroidAdapter
from kitstation.core.barcode import parse_scan
from kitstation.core.boxmatch import BoxLabel, PhoneIds, match_box
from kitstation.domain.model import Device
from kitstation.simulator.android import AndroidSimulator, SimulatedGalaxy


def _box(*lines: str) -> BoxLabel:
    return BoxLabel.from_scans([parse_scan(line) for line in lines])


async def _identify(sim: AndroidSimulator, galaxy: SimulatedGalaxy) -> Device:
    adapter = AndroidAdapter(adb_port=sim.adb_port)
    try:
        return await adapter.identify(galaxy.adb_serial)
    finally:
        await adapter.aclose()


async def test_phone_with_empty_ril_serialnumber_matches_by_ro_serialno(android_sim: AndroidSimulator) -> None:
    s23 = android_sim.plug("SM-S911B")  # Android 14: no IMEI over adb, no ril.serialnumber
    other = android_sim.plug("SM-A525F")
    boxes = [
        _box(f"IMEI1 {other.imeis[0]}", f"S/N {other.serial}"),
        _box(f"IMEI1 {s23.imeis[0]}", f"IMEI2 {s23.imeis[1]}", f"S/N {s23.serial}"),
    ]
    device = await _identify(android_sim, s23)
    assert device.imeis == () and "ril.serialnumber" not in device.facts["serials"]
    m = match_box(PhoneIds.of(device), boxes)
    assert (m.code, m.by, m.prop, m.box) == ("matched_serial", "serial", "ro.serialno", boxes[1])


async def test_tablet_whose_serialno_differs_from_its_label_matches_by_ril_serialnumber(
    android_sim: AndroidSimulator,
) -> None:
    tab = android_sim.plug("SM-X700")  # Wi-Fi tablet: no IMEI at all
    assert tab.serialno != tab.serial
    boxes = [_box(f"S/N {tab.serial}"), _box("S/N R52T0000001")]
    device = await _identify(android_sim, tab)
    assert device.key == tab.serialno and device.serial == tab.serial
    m = match_box(PhoneIds.of(device), boxes)
    assert (m.code, m.prop, m.box) == ("matched_serial", "ril.serialnumber", boxes[0])


async def test_android_9_matches_by_imei_even_without_a_scanned_serial(android_sim: AndroidSimulator) -> None:
    a30 = android_sim.plug("SM-A305J")
    boxes = [_box(f"IMEI {a30.imeis[0]}"), _box("S/N R58M62BJABX")]
    m = match_box(PhoneIds.of(await _identify(android_sim, a30)), boxes)
    assert (m.code, m.by, m.box) == ("matched_imei", "imei", boxes[0])


async def test_no_match_says_plainly_what_to_scan(android_sim: AndroidSimulator) -> None:
    s23 = android_sim.plug("SC-51D")
    # Only the IMEI was scanned from this box, and Android 14 does not give the IMEI to adb.
    boxes = [_box(f"IMEI {s23.imeis[0]}")]
    m = match_box(PhoneIds.of(await _identify(android_sim, s23)), boxes)
    assert m.code == "no_box" and m.box is None
    assert "Android 10 and later do not give the IMEI to adb" in m.reason.en
    assert "ril.serialnumber empty" in m.reason.en and f"ro.serialno {s23.serialno}" in m.reason.en
    assert "Scan its IMEI from the box label, or dial *#06#" in m.reason.en
    assert "*#06#" in m.reason.ja


def test_two_boxes_with_the_same_serial_are_ambiguous() -> None:
    phone = PhoneIds((), {"ro.serialno": "R58N12ABCDE"}, imei_hidden=True)
    m = match_box(phone, [BoxLabel("R58N12ABCDE", ("356830100708726",)), BoxLabel("R58N12ABCDE", ())])
    assert m.code == "ambiguous" and "R58N12ABCDE" in m.reason.en
