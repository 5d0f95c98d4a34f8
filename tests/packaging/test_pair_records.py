"""The station's lockdown client saves pair records through the station's atomic, private write."""

from __future__ import annotations

import asyncio
import inspect
import os
import plistlib
import stat
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from kitstation.ios.connect import Connector
from kitstation.ios.lockdown import StationLockdownClient


def _client(folder: Path, record: dict[str, Any]) -> Any:
    # The client the iOS adapter uses, without a device: only what save_pair_record reads.
    client: Any = object.__new__(StationLockdownClient)
    client.service = SimpleNamespace(mux_device=None)  # no usbmuxd to hand the record to
    client.pairing_records_cache_folder = folder
    client.identifier = "00008140-00B543E27B3FF5AB"
    client.pair_record = record
    return client


def test_every_station_connection_uses_the_station_client() -> None:
    # The connector builds StationLockdownClient itself (kitstation/ios/connect.py, _connect).
    assert "StationLockdownClient(" in inspect.getsource(Connector._connect)
    assert StationLockdownClient.save_pair_record is not StationLockdownClient.__mro__[1].save_pair_record  # type: ignore[attr-defined]


def test_pair_record_is_complete_and_private(tmp_path: Path) -> None:
    record = {"HostID": "A", "HostPrivateKey": b"secret", "SystemBUID": "B"}
    asyncio.run(_client(tmp_path, record).save_pair_record())
    path = tmp_path / "00008140-00B543E27B3FF5AB.plist"
    assert plistlib.loads(path.read_bytes()) == record
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_a_crash_while_saving_keeps_the_previous_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = {"HostID": "old"}
    asyncio.run(_client(tmp_path, old).save_pair_record())

    def power_cut(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", power_cut)
    with pytest.raises(OSError):
        asyncio.run(_client(tmp_path, {"HostID": "new"}).save_pair_record())
    monkeypatch.undo()
    path = tmp_path / "00008140-00B543E27B3FF5AB.plist"
    assert plistlib.loads(path.read_bytes()) == old  # never a 0-byte record
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
