"""A small but varied kitting log for the report tests, filled through KitLog's own API."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from kitstation.blueprints import loads_blueprint
from kitstation.domain.model import Device, Outcome, Platform, RunStatus
from kitstation.i18n import Text
from kitstation.log import KitLog
from kitstation.log.tables import run_t

# A Wi-Fi password-like string planted where a report must never look (step detail/messages) and
# in a reason text (which reports show, scrubbed).
SECRET = "Hunter2-S3cret!"

IOS_BP = """
name = "iPhone 手動DEP"
[customer]
name = "株式会社サンプル商事"
[ios]
method = "manual_dep"
add_to_dep = true
[ios.mdm_server]
name = "CLOMO"
url = "https://mdm.example.jp/sample/"
[ios.organization]
name = "サンプル商事"
[ios.wifi]
ssid = "KITTING-5G"
password_secret = "kitting_wifi"
"""

ANDROID_BP = """
name = "Galaxy KME"
[android]
method = "kme"
[android.kme]
profile_name = "KDDI KME"
[android.kme_export]
identifier = "imei"
columns = ["identifier", "user_id", "password"]
header = false
"""

CUSTOMER = "株式会社サンプル商事"
ORDER = "PO-2026-0042"
BASE = datetime(2026, 11, 20, 0, 5, tzinfo=UTC)  # 09:05 JST


@dataclass
class Filled:
    session_id: int
    other_session_id: int
    ios_serials: list[str] = field(default_factory=list)
    android_imeis: list[str] = field(default_factory=list)
    android_serials: list[str] = field(default_factory=list)
    failed_serials: list[str] = field(default_factory=list)
    other_serials: list[str] = field(default_factory=list)
    run_ids: list[int] = field(default_factory=list)


def imei(i: int) -> str:
    """A 15-digit IMEI with a leading zero digit pattern kept as text (Luhn is not checked here)."""
    return f"0{35693803564000 + i:014d}"


def _set_times(log: KitLog, run_id: int, start: datetime, minutes: int = 6) -> None:
    with log.engine.begin() as conn:
        conn.execute(
            update(run_t).where(run_t.c.id == run_id).values(started_at=start, ended_at=start + timedelta(minutes=minutes))
        )


def fill(log: KitLog) -> Filled:
    station = log.station("bench-01")
    station2 = log.station("bench-02")
    yamada = log.technician("山田 太郎")
    suzuki = log.technician("Suzuki")
    ios_bp = log.blueprint(loads_blueprint(IOS_BP))
    and_bp = log.blueprint(loads_blueprint(ANDROID_BP))
    session = log.start_session(station, yamada, label="バッチA", customer=CUSTOMER, order_ref=ORDER)
    other = log.start_session(station2, suzuki, label="B", customer="Other Corp", order_ref="PO-OTHER-1")
    out = Filled(session, other)
    n = 0

    def run(dev: Device, bp: int, status: RunStatus, sess: int, st: int, tech: int, reason: Text | None = None,
            code: str | None = None, external: str = "") -> int:
        nonlocal n
        dev_id = log.upsert_device(dev)
        rid = log.start_run(dev_id, bp, st, dev.platform.value, session_id=sess, technician_id=tech, slot=f"hub1-{n % 7}")
        ev = log.step_started(rid, "wifi")
        # The step's detail and message hold the secret: reports must never read step events.
        log.step_ended(ev, Outcome.OK, reason=Text(f"joined with {SECRET}", f"{SECRET} で接続"),
                       detail={"ssid": "KITTING-5G", "wifi_password": SECRET})
        log.end_run(rid, status, code, reason)
        if external:
            log.set_external_state(dev_id, external)
        _set_times(log, rid, BASE + timedelta(minutes=17 * n))
        n += 1
        out.run_ids.append(rid)
        return rid

    for i in range(4):
        serial = f"F2LXK{i:03d}Q1GH"
        out.ios_serials.append(serial)
        run(Device(Platform.IOS, f"00008110-000A{i:04d}", udid=f"00008110-000A{i:04d}", serial=serial,
                   model_id="iPhone15,2", marketing_name="iPhone 14 Pro", os_version="17.1"),
            ios_bp, RunStatus.WAITING_EXTERNAL, session, station, yamada, external="awaiting_abm")
    for i in range(4):
        serial = f"R58M{i:07d}"
        out.android_serials.append(serial)
        out.android_imeis.append(imei(i))
        run(Device(Platform.ANDROID, serial, serial=serial, imeis=(imei(i), imei(100 + i)), model_id="SM-A546E",
                   marketing_name="Galaxy A54 5G", os_version="14"),
            and_bp, RunStatus.OK, session, station, yamada, external="kme_registered")
    # Two failures with Japanese reasons (one tries to smuggle the secret through a reason text).
    fserial = "F2LXKFAILQ1GH"
    out.failed_serials.append(fserial)
    out.ios_serials.append(fserial)
    run(Device(Platform.IOS, "00008110-000AFAIL", udid="00008110-000AFAIL", serial=fserial, model_id="iPhone14,5",
               marketing_name="iPhone 13"),
        ios_bp, RunStatus.FAILED, session, station, yamada,
        reason=Text(f"Wi-Fi profile rejected (password: {SECRET})", f"Wi-Fiプロファイルが拒否されました（password: {SECRET}）"),
        code="wifi_rejected", external="awaiting_abm")
    fserial2 = "R58MFAIL0001"
    out.failed_serials.append(fserial2)
    out.android_serials.append(fserial2)
    out.android_imeis.append(imei(99))
    run(Device(Platform.ANDROID, fserial2, serial=fserial2, imeis=(imei(99),), model_id="SM-A546E",
               marketing_name="Galaxy A54 5G"),
        and_bp, RunStatus.FAILED, session, station, yamada,
        reason=Text("Device Owner could not be set: accounts present", "Device Owner を設定できません: アカウントが残っています"),
        code="dpm_accounts")
    # Another customer's batch at another station (filters must leave it out).
    for i in range(2):
        serial = f"R58OTHER{i:03d}"
        out.other_serials.append(serial)
        run(Device(Platform.ANDROID, serial, serial=serial, imeis=(imei(500 + i),), model_id="SM-S911C",
                   marketing_name="Galaxy S23"),
            and_bp, RunStatus.OK, other, station2, suzuki)
    log.end_session(session)
    log.end_session(other)
    return out
