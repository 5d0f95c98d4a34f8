"""Devices recorded only by barcode intake (a KME batch whose phones never see adb) reach the KME list."""

from __future__ import annotations

from pathlib import Path

from kitstation.core.intake import IntakeSession
from kitstation.domain.handoff import HandoffState
from kitstation.log import DeviceList, KitLog, RunFilter
from kitstation.reports import ReportOptions, export_report, verify_report
from tests.reports.data import ORDER, Filled

IMEI_A = "356830100708726"
IMEI_B = "356830100551993"


def test_intake_only_devices_are_on_the_kme_list(kitlog: KitLog, filled: Filled, tmp_path: Path) -> None:
    intake = IntakeSession(kitlog, filled.session_id, mark_state=HandoffState.KME_REGISTERED)
    assert intake.scan(IMEI_A).accepted and intake.scan(f"IMEI {IMEI_B} S/N R58MBOX0001").accepted
    # A scan of another batch, not listed for KME: never on this batch's list.
    IntakeSession(kitlog, filled.other_session_id).scan("353918057640324")
    out = tmp_path / "kme.csv"
    res = export_report(kitlog, "kme-csv", out, RunFilter(order_ref=ORDER))
    lines = out.read_text(encoding="utf-8").splitlines()
    # The kitted devices first (run order), then the box-only ones (scan order).
    assert lines == [f"{imei},," for imei in filled.android_imeis[:4]] + [f"{IMEI_A},,", f"{IMEI_B},,"]
    assert res.rows == 6
    assert verify_report(out, kitlog).ok

    # By serial: the box-only device without a scanned serial cannot be uploaded that way.
    export_report(kitlog, "kme-csv", out, RunFilter(order_ref=ORDER), ReportOptions(kme_identifier="serial"))
    assert out.read_text(encoding="utf-8").split()[-1] == "R58MBOX0001,,"

    # A filter only a run can satisfy (its status) leaves the box-only devices out.
    res = export_report(kitlog, "kme-csv", out, RunFilter(order_ref=ORDER, status=["ok"]))
    assert res.rows == 4


def test_a_device_kitted_after_intake_is_listed_once(kitlog: KitLog, filled: Filled, tmp_path: Path) -> None:
    intake = IntakeSession(kitlog, filled.session_id, mark_state=HandoffState.KME_REGISTERED)
    # The box of an already kitted phone scanned again: it has a run, so it is listed once.
    assert intake.scan(f"S/N {filled.android_serials[0]}").device_id is not None
    out = tmp_path / "kme.csv"
    export_report(kitlog, "kme-csv", out, RunFilter(order_ref=ORDER))
    assert out.read_text(encoding="utf-8").splitlines() == [f"{imei},," for imei in filled.android_imeis[:4]]


def test_the_kme_list_is_pinned_to_the_scans_at_export(kitlog: KitLog, filled: Filled, tmp_path: Path) -> None:
    intake = IntakeSession(kitlog, filled.session_id, mark_state=HandoffState.KME_REGISTERED)
    intake.scan(IMEI_A)
    sel = kitlog.pin(RunFilter(order_ref=ORDER), latest_only=True, kind=None)
    assert sel.max_scan_id == 0  # only the KME list pins scans
    sel = kitlog.pin(RunFilter(order_ref=ORDER), latest_only=True, kind=DeviceList.KME)
    intake.scan(IMEI_B)  # scanned after the export: not in the pinned selection
    keys = [r["imei"] for r in kitlog.iter_selection(sel, DeviceList.KME)]
    assert keys == [*filled.android_imeis[:4], IMEI_A]
    assert kitlog.count_selection(sel, DeviceList.KME) == 5
