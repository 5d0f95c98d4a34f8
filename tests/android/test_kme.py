"""KME: the device recorded for the KME upload (waiting on the console), enrolled once its agent is owner;
an intake scan and adb identity ending up as one device; the QR method's hand-over step."""

from __future__ import annotations

from pathlib import Path

from kitstation.android import AndroidAdapter
from kitstation.blueprints.loader import loads_blueprint
from kitstation.core.boxmatch import join_scanned_box
from kitstation.core.intake import IntakeSession
from kitstation.core.pipeline import Pipeline, RunRequest
from kitstation.domain.model import RunStatus
from kitstation.log import AsyncKitLog, KitLog
from kitstation.simulator.android import AndroidSimulator

KME = loads_blueprint(
    """
name = "KME"
[android]
method = "kme"
[android.kme]
profile_name = "SMSM Agent"
agent_apk_url = "https://smsm-get.com/SmsmAgent_STORE.apk"
admin_component = "jp.kitstation.demoagent/.AdminReceiver"
company_name = "KDDI"
"""
)


async def _run(adapter: AndroidAdapter, kitlog: KitLog, serial: str, bp: object) -> tuple[RunStatus, int]:
    device = await adapter.identify(serial)
    alog = AsyncKitLog(kitlog)
    try:
        await join_scanned_box(alog, device)  # what the bench does after identifying an Android device
        station = await alog.station("t")
        status = await Pipeline(alog).run(RunRequest(device, bp, adapter.plan(bp, device), station))  # type: ignore[arg-type]
        return status, await alog.upsert_device(device)
    finally:
        alog.close()


async def test_kme_records_and_waits_on_the_console(android_sim: AndroidSimulator, kitlog: KitLog) -> None:
    galaxy = android_sim.plug("SM-A305J")  # Android 9: adb gives the IMEI
    adapter = AndroidAdapter(adb_port=android_sim.adb_port)
    try:
        status, device_id = await _run(adapter, kitlog, galaxy.adb_serial, KME)
    finally:
        await adapter.aclose()
    assert status == RunStatus.WAITING_EXTERNAL
    row = kitlog.device_row(device_id)
    assert row["external_state"] == "kme_registered" and row["imei"] == galaxy.imeis[0]
    run = kitlog.history(limit=1)[0]
    step = kitlog.steps(run["run_id"])[-1]
    assert step["step_id"] == "android.kme.record" and step["outcome"] == "waiting_external"
    assert "KME console" in step["message_en"] and "SMSM Agent" in step["message_en"] and step["message_ja"]
    assert galaxy.imeis[0] in step["message_en"]


async def test_kme_enrolled_when_agent_is_owner(android_sim: AndroidSimulator, kitlog: KitLog, demo_apk: Path) -> None:
    galaxy = android_sim.plug("SM-A525F")
    dev = android_sim.client().device(galaxy.adb_serial)
    dev.install(str(demo_apk), nolaunch=True, silent=True)
    dev.shell(["dpm", "set-device-owner", "jp.kitstation.demoagent/.AdminReceiver"])
    adapter = AndroidAdapter(adb_port=android_sim.adb_port)
    try:
        status, device_id = await _run(adapter, kitlog, galaxy.adb_serial, KME)
    finally:
        await adapter.aclose()
    assert status == RunStatus.OK
    assert kitlog.device_row(device_id)["external_state"] == "enrolled"


async def test_intake_scan_and_adb_identity_are_one_device(android_sim: AndroidSimulator, kitlog: KitLog) -> None:
    galaxy = android_sim.plug("SM-A305J")
    # The box was scanned first (IMEI only): the log files it under the IMEI.
    scanned = IntakeSession(kitlog).scan(f"IMEI {galaxy.imeis[0]}")
    assert scanned.accepted and scanned.device_key == galaxy.imeis[0]
    adapter = AndroidAdapter(adb_port=android_sim.adb_port)
    try:
        status, device_id = await _run(adapter, kitlog, galaxy.adb_serial, KME)
    finally:
        await adapter.aclose()
    assert status == RunStatus.WAITING_EXTERNAL
    assert device_id == scanned.device_id
    row = kitlog.device_row(device_id)
    assert row["key"] == galaxy.serial and row["imei"] == galaxy.imeis[0]


async def test_android10_device_gets_imei_from_intake(android_sim: AndroidSimulator, kitlog: KitLog) -> None:
    galaxy = android_sim.plug("SM-S911B")  # Android 14: no IMEI over adb
    scanned = IntakeSession(kitlog).scan(f"IMEI1 {galaxy.imeis[0]} S/N {galaxy.serial}")
    adapter = AndroidAdapter(adb_port=android_sim.adb_port)
    try:
        device = await adapter.identify(galaxy.adb_serial)
    finally:
        await adapter.aclose()
    assert not device.imeis  # Android 10+: adb does not give it
    assert kitlog.reconcile_device(device) == scanned.device_id
    assert device.imeis == (galaxy.imeis[0],)
    assert kitlog.upsert_device(device) == scanned.device_id


async def test_qr_method_hands_over(android_sim: AndroidSimulator, kitlog: KitLog) -> None:
    bp = loads_blueprint(
        """
name = "QR"
[android]
method = "qr"
[android.agent]
url = "https://mdm.example.jp/agent.apk"
package = "jp.kitstation.demoagent"
admin_receiver = "jp.kitstation.demoagent/.AdminReceiver"
[android.qr]
signature_checksum = "4zuXrYR7EWxF1Sj0be5vh-sFjlcl2GRdzj4feBVZc00"
"""
    )
    galaxy = android_sim.plug("SM-A525F")
    adapter = AndroidAdapter(adb_port=android_sim.adb_port)
    try:
        status, _ = await _run(adapter, kitlog, galaxy.adb_serial, bp)
    finally:
        await adapter.aclose()
    assert status == RunStatus.WAITING_EXTERNAL
    step = kitlog.steps(kitlog.history(limit=1)[0]["run_id"])[-1]
    assert step["step_id"] == "android.qr" and step["error_code"] == "qr_provisioning"
