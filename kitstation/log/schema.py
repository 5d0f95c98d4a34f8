"""The log's tables (sqlmodel). Alembic migrations in ``migrations/`` create and evolve them.

Nothing secret is ever stored here: blueprints are kept as redacted snapshots, step details
hold the device's answers, never passwords, passphrases or keys.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Station(SQLModel, table=True):
    __tablename__ = "station"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    hostname: str = Field(default="", max_length=255)
    created_at: datetime


class Technician(SQLModel, table=True):
    __tablename__ = "technician"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    created_at: datetime


class BlueprintRecord(SQLModel, table=True):
    __tablename__ = "blueprint"
    id: int | None = Field(default=None, primary_key=True)
    content_hash: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200, index=True)
    platforms: str = Field(default="", max_length=50)
    snapshot: str = Field(sa_column=Column(Text, nullable=False))  # JSON, redacted
    created_at: datetime


class DeviceRecord(SQLModel, table=True):
    __tablename__ = "device"
    __table_args__ = (UniqueConstraint("platform", "key", name="uq_device_platform_key"),)
    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    key: str = Field(max_length=128)
    udid: str | None = Field(default=None, max_length=64)
    serial: str | None = Field(default=None, max_length=64, index=True)
    imei: str | None = Field(default=None, max_length=20, index=True)
    imei2: str | None = Field(default=None, max_length=20)
    ecid: str | None = Field(default=None, max_length=32)
    model_id: str | None = Field(default=None, max_length=64, index=True)
    marketing_name: str | None = Field(default=None, max_length=128, index=True)
    os_version: str | None = Field(default=None, max_length=32)
    # Hand-off state outside the station: awaiting_abm, abm_assigned, kme_registered, enrolled.
    external_state: str = Field(default="", max_length=32)
    first_seen: datetime
    last_seen: datetime


class BenchSession(SQLModel, table=True):
    """One batch at one station: the devices kitted together, for one customer order."""

    __tablename__ = "bench_session"
    id: int | None = Field(default=None, primary_key=True)
    station_id: int = Field(foreign_key="station.id", index=True)
    technician_id: int | None = Field(default=None, foreign_key="technician.id")
    label: str = Field(default="", max_length=200)
    customer: str = Field(default="", max_length=200)
    order_ref: str = Field(default="", max_length=200, index=True)
    started_at: datetime = Field(index=True)
    ended_at: datetime | None = None


# The run's copies of its device's values, and the run columns the History filters on.
_COPIES = ("device_serial", "device_imei", "device_model_id", "device_marketing_name")
_FILTERED = ("status", "started_at", "blueprint_id", "technician_id")


def _others(copy: str) -> tuple[str, ...]:
    return tuple(c for c in _COPIES if c != copy)


class RunRecord(SQLModel, table=True):
    __tablename__ = "run"
    # Each filter of the History with the run id: a filtered page in id order is an index range,
    # and a keyset page continues it (see kitstation/log/history.py; migration 0002).
    __table_args__ = (
        Index("ix_run_device_blueprint", "device_id", "blueprint_id"),
        Index("ix_run_status_started", "status", "started_at"),
        Index("ix_run_device_seq", "device_id", "id"),
        Index("ix_run_blueprint_seq", "blueprint_id", "id"),
        Index("ix_run_session_seq", "session_id", "id"),
        Index("ix_run_station_seq", "station_id", "id"),
        Index("ix_run_technician_seq", "technician_id", "id"),
        # (platform, id), and the columns the History's filters read (migration 0004).
        Index("ix_run_platform_seq", "platform", "id", *_COPIES, *_FILTERED),
        Index("ix_run_status_seq", "status", "id"),
        Index("ix_run_started_seq", "started_at", "id"),
        # Device sorts and short-text / model filters on the run's copy of its device (migration
        # 0004): a page is a range of one of these (with an outcome, of the status ones); each
        # carries what the filters read, so a walk checks them without reading the run row.
        # PostgreSQL's have their sort column NULLS FIRST, and the serial and IMEI copies an
        # index of their own each (migration 0006, PostgreSQL only: not in these models).
        Index("ix_run_serial_seq", "device_serial", "device_id", "id", *_others("device_serial"), *_FILTERED),
        Index("ix_run_imei_seq", "device_imei", "device_id", "id", *_others("device_imei"), *_FILTERED),
        Index("ix_run_model_seq", "device_model_id", "device_id", "id", *_others("device_model_id"), *_FILTERED),
        Index("ix_run_marketing_name_seq", "device_marketing_name", "id", "device_serial", "device_imei",
              "device_model_id"),
        Index("ix_run_status_serial", "status", "device_serial", "device_id", "id"),
        Index("ix_run_status_imei", "status", "device_imei", "device_id", "id"),
        Index("ix_run_status_model", "status", "device_model_id", "device_id", "id"),
        # A model filter sorted by serial: one range per (model id, marketing name) pair, in serial
        # order (migration 0007; PostgreSQL's has the serial NULLS FIRST).
        Index("ix_run_pair_serial", "device_model_id", "device_marketing_name", "device_serial", "device_id", "id",
              "device_imei", *_FILTERED),
    )
    id: int | None = Field(default=None, primary_key=True)
    device_id: int = Field(foreign_key="device.id")
    blueprint_id: int = Field(foreign_key="blueprint.id")
    session_id: int | None = Field(default=None, foreign_key="bench_session.id")
    station_id: int = Field(foreign_key="station.id")
    technician_id: int | None = Field(default=None, foreign_key="technician.id")
    platform: str = Field(max_length=16)
    slot: str = Field(default="", max_length=128)
    status: str = Field(max_length=32)
    current_step: str = Field(default="", max_length=64)
    error_code: str | None = Field(default=None, max_length=64)
    reason_en: str | None = Field(default=None, sa_column=Column(Text))
    reason_ja: str | None = Field(default=None, sa_column=Column(Text))
    started_at: datetime
    ended_at: datetime | None = None
    # What the run left on the device, from its steps' details (migration 0003): the name its
    # rename step read back, and the battery level its battery gate read last (at hand-over).
    device_name: str | None = Field(default=None, max_length=200)
    battery_percent: int | None = None
    # A copy of the device's values, kept by triggers (migration 0004) for the History's sorts and
    # filters: never written by the station's code, always equal to the device row's.
    device_serial: str | None = Field(default=None, max_length=64)
    device_imei: str | None = Field(default=None, max_length=20)
    device_model_id: str | None = Field(default=None, max_length=64)
    device_marketing_name: str | None = Field(default=None, max_length=128)


class RunModelCount(SQLModel, table=True):
    """How many runs carry each (model id, marketing name) copy, kept by triggers (migration 0005).

    A text or model filter matching a model is counted as a sum over these few rows instead of
    over its runs. NULL is stored as '' (no text or model filter matches it).
    """

    __tablename__ = "run_model_count"
    __table_args__ = (UniqueConstraint("model_id", "marketing_name", name="uq_run_model_count_pair"),)
    id: int | None = Field(default=None, primary_key=True)
    model_id: str = Field(max_length=64)
    marketing_name: str = Field(max_length=128)
    runs: int


class StepEvent(SQLModel, table=True):
    """One attempt of one step: a row at its start, completed at its end (both committed at once)."""

    __tablename__ = "step_event"
    __table_args__ = (Index("ix_step_run_seq", "run_id", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id")
    step_id: str = Field(max_length=64)
    attempt: int = 1
    started_at: datetime
    ended_at: datetime | None = None
    outcome: str = Field(default="running", max_length=32)  # running until it ends
    error_code: str | None = Field(default=None, max_length=64)
    message_en: str | None = Field(default=None, sa_column=Column(Text))
    message_ja: str | None = Field(default=None, sa_column=Column(Text))
    detail: str | None = Field(default=None, sa_column=Column(Text))  # JSON: the device's answer


class IntakeScan(SQLModel, table=True):
    """A box label scanned at intake (IMEI/serial of a device that may have no USB debugging)."""

    __tablename__ = "intake_scan"
    id: int | None = Field(default=None, primary_key=True)
    session_id: int | None = Field(default=None, foreign_key="bench_session.id", index=True)
    device_id: int | None = Field(default=None, foreign_key="device.id", index=True)
    platform: str = Field(default="android", max_length=16)
    kind: str = Field(max_length=16)  # imei, serial, ean
    value: str = Field(max_length=64, index=True)
    raw: str = Field(default="", max_length=512)
    scanned_at: datetime


class SlotName(SQLModel, table=True):
    """A technician's name for a physical USB location (the label on the hub)."""

    __tablename__ = "slot_name"
    __table_args__ = (UniqueConstraint("station_id", "location", name="uq_slot_station_location"),)
    id: int | None = Field(default=None, primary_key=True)
    station_id: int = Field(foreign_key="station.id")
    location: str = Field(max_length=128)
    label: str = Field(max_length=64)


class DeviceNumber(SQLModel, table=True):
    """A device's running number ``{n}`` in its batch and the name made with it, assigned once.

    ``batch`` is the session's order reference (or label, or id): a re-run, a replug or a restart
    of the station for the same order finds the same number; two devices never share one.
    """

    __tablename__ = "device_number"
    __table_args__ = (
        UniqueConstraint("batch", "device_id", name="uq_device_number_device"),
        UniqueConstraint("batch", "number", name="uq_device_number_number"),
    )
    id: int | None = Field(default=None, primary_key=True)
    batch: str = Field(max_length=240)
    device_id: int = Field(foreign_key="device.id", index=True)
    number: int | None = None
    name: str = Field(default="", max_length=200)
    session_id: int | None = Field(default=None, foreign_key="bench_session.id")
    assigned_at: datetime


metadata = SQLModel.metadata

# Objects the migrations create outside the models: the SQLite trigram indexes of device text and
# of the model pairs (FTS5 tables and their shadow tables) and the PostgreSQL pg_trgm index.
# Alembic's comparison of models and database leaves them out.
UNMODELLED_PREFIXES = ("device_fts", "run_model_fts", "ix_device_text_trgm")


def in_models(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic ``include_name`` hook: False for the objects above."""
    return not (name or "").startswith(UNMODELLED_PREFIXES)
