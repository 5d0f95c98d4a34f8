"""The log's selects: history rows for a filter, a selection's runs, the KME/ABM device lists, intake-only devices."""


from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, literal, null, or_, select

from kitstation.domain.handoff import HandoffState
from kitstation.domain.model import Platform
from kitstation.log.filters import DeviceList, RunFilter, Selection
from kitstation.log.handoff_reads import assignment_detail
from kitstation.log.tables import (
    aware,
    bp_t,
    device_t,
    run_t,
    scan_t,
    session_t,
    station_t,
    tech_t,
)

Row = dict[str, Any]




def _history_columns() -> list[Any]:
    return [
        run_t.c.id.label("run_id"),
        run_t.c.started_at,
        run_t.c.ended_at,
        run_t.c.status,
        run_t.c.current_step,
        run_t.c.error_code,
        run_t.c.reason_en,
        run_t.c.reason_ja,
        run_t.c.slot,
        run_t.c.platform,
        device_t.c.key.label("device_key"),
        device_t.c.serial,
        device_t.c.imei,
        device_t.c.imei2,
        device_t.c.udid,
        device_t.c.model_id,
        device_t.c.marketing_name,
        device_t.c.os_version,
        device_t.c.external_state,
        bp_t.c.name.label("blueprint_name"),
        bp_t.c.content_hash.label("blueprint_hash"),
        tech_t.c.name.label("technician"),
        station_t.c.name.label("station"),
        run_t.c.session_id,
        session_t.c.order_ref,
        session_t.c.customer,
        assignment_detail().label("assignment_detail"),
        run_t.c.device_name,
        run_t.c.battery_percent,
    ]


def _text_condition(text: str) -> ColumnElement[bool]:
    like = f"%{text}%"
    return or_(
        device_t.c.serial.like(like),
        device_t.c.imei.like(like),
        device_t.c.imei2.like(like),
        device_t.c.key.like(like),
        device_t.c.model_id.like(like),
        device_t.c.marketing_name.like(like),
    )


def filter_conditions(flt: RunFilter) -> list[ColumnElement[bool]]:
    """The WHERE terms of a filter over the history join (``latest_only`` included)."""
    conds: list[ColumnElement[bool]] = []
    if flt.since is not None:
        conds.append(run_t.c.started_at >= aware(flt.since))
    if flt.until is not None:
        conds.append(run_t.c.started_at < aware(flt.until))
    if flt.text:
        conds.append(_text_condition(flt.text))
    if flt.platform:
        conds.append(run_t.c.platform == flt.platform)
    if flt.status:
        conds.append(run_t.c.status.in_(list(flt.status)))
    if flt.blueprint:
        conds.append(or_(bp_t.c.name == flt.blueprint, bp_t.c.content_hash.like(f"{flt.blueprint}%")))
    if flt.model:
        conds.append(or_(device_t.c.model_id == flt.model, device_t.c.marketing_name == flt.model))
    if flt.technician:
        conds.append(tech_t.c.name == flt.technician)
    if flt.station:
        conds.append(station_t.c.name == flt.station)
    if flt.session_id is not None:
        conds.append(run_t.c.session_id == flt.session_id)
    if flt.order_ref:
        conds.append(session_t.c.order_ref == flt.order_ref)
    if flt.customer:
        conds.append(session_t.c.customer == flt.customer)
    if flt.latest_only:
        latest = select(func.max(run_t.c.id)).group_by(run_t.c.device_id).scalar_subquery()
        conds.append(run_t.c.id.in_(latest))
    return conds


def history_select(flt: RunFilter) -> Select[Any]:
    """A Core ``select`` of history rows (columns :data:`HISTORY_COLUMNS`) for a filter."""
    stmt = select(*_history_columns()).select_from(
        run_t.join(device_t, device_t.c.id == run_t.c.device_id)
        .join(bp_t, bp_t.c.id == run_t.c.blueprint_id)
        .join(station_t, station_t.c.id == run_t.c.station_id)
        .outerjoin(tech_t, tech_t.c.id == run_t.c.technician_id)
        .outerjoin(session_t, session_t.c.id == run_t.c.session_id)
    )
    conds = filter_conditions(flt)
    if conds:
        stmt = stmt.where(and_(*conds))
    return stmt


def list_condition(kind: DeviceList | None) -> ColumnElement[bool] | None:
    """The extra WHERE term of a device list over the history join."""
    if kind is None:
        return None
    if kind is DeviceList.ABM:
        return and_(run_t.c.platform == Platform.IOS.value, device_t.c.external_state == HandoffState.AWAITING_ABM.value)
    cond: ColumnElement[bool] = run_t.c.platform == Platform.ANDROID.value
    if kind is DeviceList.KME:
        cond = and_(cond, device_t.c.external_state == HandoffState.KME_REGISTERED.value)
    return cond


def selection_select(sel: Selection, kind: DeviceList | None = None) -> Select[Any]:
    """The pinned runs of a selection (optionally one device list's)."""
    stmt = history_select(replace(sel.flt, latest_only=False)).where(run_t.c.id <= sel.max_run_id)
    if sel.latest_only:
        # The latest run per device among the pinned runs (a later run must not change the set):
        # no later pinned run of the same device exists. NOT EXISTS probes the device_id index per
        # row, where "id IN (SELECT max(id) ... GROUP BY device_id)" would scan every run per page.
        later = run_t.alias("later")
        stmt = stmt.where(
            ~exists().where(
                and_(
                    later.c.device_id == run_t.c.device_id,
                    later.c.id > run_t.c.id,
                    later.c.id <= sel.max_run_id,
                )
            )
        )
    extra = list_condition(kind)
    if extra is not None:
        stmt = stmt.where(extra)
    return stmt


def intake_only_select(sel: Selection, kind: DeviceList) -> Select[Any] | None:
    """Android devices known only from intake scans (no pinned run), as history-shaped rows.

    A KME batch's phones may never see adb: their box scans are all the log has, and they still
    belong on the KME upload list. A filter on what only a run has (status, blueprint) leaves
    them out. Ordered by their latest matching scan.
    """
    flt = sel.flt
    if kind is DeviceList.ABM or sel.max_scan_id <= 0 or flt.status or flt.blueprint:
        return None
    if flt.platform and flt.platform != Platform.ANDROID.value:
        return None
    scan_conds: list[ColumnElement[bool]] = [scan_t.c.device_id == device_t.c.id, scan_t.c.id <= sel.max_scan_id]
    if flt.since is not None:
        scan_conds.append(scan_t.c.scanned_at >= aware(flt.since))
    if flt.until is not None:
        scan_conds.append(scan_t.c.scanned_at < aware(flt.until))
    if flt.session_id is not None:
        scan_conds.append(scan_t.c.session_id == flt.session_id)
    if flt.order_ref:
        scan_conds.append(session_t.c.order_ref == flt.order_ref)
    if flt.customer:
        scan_conds.append(session_t.c.customer == flt.customer)
    if flt.station:
        scan_conds.append(station_t.c.name == flt.station)
    if flt.technician:
        scan_conds.append(tech_t.c.name == flt.technician)
    scans = (
        scan_t.outerjoin(session_t, session_t.c.id == scan_t.c.session_id)
        .outerjoin(station_t, station_t.c.id == session_t.c.station_id)
        .outerjoin(tech_t, tech_t.c.id == session_t.c.technician_id)
    )
    latest_scan = select(func.max(scan_t.c.id)).select_from(scans).where(and_(*scan_conds)).scalar_subquery()
    has_run = exists().where(and_(run_t.c.device_id == device_t.c.id, run_t.c.id <= sel.max_run_id))
    dev_conds: list[ColumnElement[bool]] = [device_t.c.platform == Platform.ANDROID.value, ~has_run]
    if kind is DeviceList.KME:
        dev_conds.append(device_t.c.external_state == HandoffState.KME_REGISTERED.value)
    if flt.text:
        dev_conds.append(_text_condition(flt.text))
    if flt.model:
        dev_conds.append(or_(device_t.c.model_id == flt.model, device_t.c.marketing_name == flt.model))
    inner = (
        select(device_t.c.id.label("device_id"), latest_scan.label("scan_id"))
        .where(and_(*dev_conds))
        .subquery("intake_only")
    )
    return (
        select(
            null().label("run_id"),
            scan_t.c.scanned_at.label("started_at"),
            null().label("ended_at"),
            literal("").label("status"),
            literal("").label("current_step"),
            null().label("error_code"),
            null().label("reason_en"),
            null().label("reason_ja"),
            literal("").label("slot"),
            device_t.c.platform,
            device_t.c.key.label("device_key"),
            device_t.c.serial,
            device_t.c.imei,
            device_t.c.imei2,
            device_t.c.udid,
            device_t.c.model_id,
            device_t.c.marketing_name,
            device_t.c.os_version,
            device_t.c.external_state,
            null().label("blueprint_name"),
            null().label("blueprint_hash"),
            tech_t.c.name.label("technician"),
            station_t.c.name.label("station"),
            scan_t.c.session_id,
            session_t.c.order_ref,
            session_t.c.customer,
            inner.c.scan_id,
            null().label("device_name"),
            null().label("battery_percent"),
        )
        .select_from(
            inner.join(device_t, device_t.c.id == inner.c.device_id)
            .join(scan_t, scan_t.c.id == inner.c.scan_id)
            .outerjoin(session_t, session_t.c.id == scan_t.c.session_id)
            .outerjoin(station_t, station_t.c.id == session_t.c.station_id)
            .outerjoin(tech_t, tech_t.c.id == session_t.c.technician_id)
        )
        .where(inner.c.scan_id.is_not(None))
    )
