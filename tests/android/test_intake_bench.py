"""Intake wired end to end: box labels scanned into the log, Galaxies identified by the bench.

The simulated phones keep real units' identity quirks (``kitstation/simulator/android/catalog.py``):
the Galaxy S23 has an empty ``ril.serialnumber`` and hides its IMEI from adb (Android 14), the
Galaxy Tab S8's ``ro.serialno`` is a chip id that is not the S/N on its box. The bench, through
the real adb server, joins each phone with its scanned box by IMEI or by any serial property, and
says on the slot (and the CLI's progress line) what to scan when no box matches.
"""

from __future__ import annotations

from kitstation.android import AndroidAdapter
from kitstation.blueprints.loader import loads_blueprint
from kitstation.cli.bench_view import progress_line, slot_row
from kitstation.core.bench import Bench, BenchConfig
from kitstation.core.intake import IntakeSession
from kitstation.domain.events import BoxUnmatched, Event
from kitstation.domain.model import Platform
from kitstation.log import KitLog
from kitstation.simulator.android import AndroidSimulator

KME_BP = loads_blueprint('name = "KME"\n[android]\nmethod = "kme"\n[android.kme]\nprofile_name = "KME"\n')


async def _bench_until_final(sim: AndroidSimulator, kitlog: KitLog, count: int) -> tuple[Bench, list[Event]]:
    """Run the bench until ``count`` slots reached a final state; the bench and every event."""
    adapter = AndroidAdapter(adb_port=sim.adb_port)
    bench = Bench(kitlog, [adapter], BenchConfig(blueprints={Platform.ANDROID: KME_BP}, identify_retry=0.2))
    events: list[Event] = []
    bench.subscribe(events.append)
    try:
        await bench.start()
        done = await bench.wait_until(
            lambda b: sum(1 for v in b.slots.values() if v.state.is_final) >= count, timeout=120
        )
        assert done, bench.slots
    finally:
        await bench.stop()
        await adapter.aclose()
    return bench, events


def _scan_box(kitlog: KitLog, *lines: str) -> int:
    session = IntakeSession(kitlog, box_mode=True)
    outcomes = [session.scan(line) for line in lines]
    assert all(o.accepted for o in outcomes), outcomes
    device_id = outcomes[-1].device_id
    assert device_id is not None
    return device_id


async def test_s23_with_empty_ril_serialnumber_joins_its_box(android_sim: AndroidSimulator, kitlog: KitLog) -> None:
    s23 = android_sim.plug("SM-S911B")
    box = _scan_box(kitlog, f"IMEI1 {s23.imeis[0]}", f"IMEI2 {s23.imeis[1]}", f"S/N {s23.serial}")
    _, events = await _bench_until_final(android_sim, kitlog, 1)
    assert not [e for e in events if isinstance(e, BoxUnmatched)]
    rows = kitlog.find_android_devices(serial=s23.serialno, imeis=s23.imeis)
    assert [r["id"] for r in rows] == [box]
    # adb gave no IMEI (Android 14): the log has the box's, on the row the run is filed under.
    assert (rows[0]["imei"], rows[0]["imei2"], rows[0]["model_id"]) == (s23.imeis[0], s23.imeis[1], "SM-S911B")
    assert kitlog.history(limit=1)[0]["device_key"] == s23.serialno


async def test_tablet_whose_serialno_differs_from_its_label_joins_its_box(
    android_sim: AndroidSimulator, kitlog: KitLog
) -> None:
    tab = android_sim.plug("SM-X700")
    assert tab.serialno != tab.serial
    other = _scan_box(kitlog, "S/N R52T0000001")
    box = _scan_box(kitlog, f"S/N {tab.serial}")
    _, events = await _bench_until_final(android_sim, kitlog, 1)
    assert not [e for e in events if isinstance(e, BoxUnmatched)]
    row = kitlog.device_row(box)
    assert (row["key"], row["serial"], row["model_id"]) == (tab.serialno, tab.serial, "SM-X700")
    assert kitlog.device_row(other)["model_id"] is None  # the other box still waits for its tablet


async def test_unmatched_phone_says_scan_its_imei(android_sim: AndroidSimulator, kitlog: KitLog) -> None:
    # Only the IMEI was scanned off this box; Android 14 gives adb no IMEI and no serial matches.
    s23 = android_sim.plug("SC-51D")
    box = _scan_box(kitlog, f"IMEI {s23.imeis[0]}")
    bench, events = await _bench_until_final(android_sim, kitlog, 1)
    unmatched = [e for e in events if isinstance(e, BoxUnmatched)]
    assert len(unmatched) == 1 and unmatched[0].code == "no_box"
    view = next(iter(bench.slots.values()))
    assert view.box_note is not None and "*#06#" in view.box_note.en and "*#06#" in view.box_note.ja
    assert "Android 10 and later do not give the IMEI to adb" in view.box_note.en
    line = progress_line(bench, unmatched[0], "en")
    assert line is not None and "Scan its IMEI from the box label, or dial *#06#" in line
    assert "*#06#" in (progress_line(bench, unmatched[0], "ja") or "")
    assert "*#06#" in slot_row(view, "en")[-1] and "*#06#" in slot_row(view, "ja")[-1]  # the live table
    # The box was not joined by a guess: it still waits, keyed by its IMEI.
    assert (kitlog.device_row(box)["key"], kitlog.device_row(box)["model_id"]) == (s23.imeis[0], None)


async def test_no_note_when_the_bench_is_used_without_intake(android_sim: AndroidSimulator, kitlog: KitLog) -> None:
    android_sim.plug("SM-S911B")
    bench, events = await _bench_until_final(android_sim, kitlog, 1)
    assert not [e for e in events if isinstance(e, BoxUnmatched)]
    assert next(iter(bench.slots.values())).box_note is None
