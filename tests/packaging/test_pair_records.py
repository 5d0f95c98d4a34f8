"""pymobiledevice3's pair-record save goes through the station's atomic, private write."""

from __future__ import annotations

import asyncio
import inspect
import os
import plistlib
import stat
from pathlib import Path
from typing import Any

import pytest
from pymobiledevice3 import lockdown
from pymobiledevice3.lockdown import LockdownClient, UsbmuxLockdownClient

import kitstation.ios.connect  # noqa: F401  (what the iOS adapter imports)
from kitstation.ios.pair_records import save_pair_record_atomically


def _client(folder: Path, record: dict[str, Any]) -> Any:
    # The client the iOS adapter uses, without a device: only what save_pair_record reads.
    client: Any = object.__new__(UsbmuxLockdownClient)
    client.pairing_records_cache_folder = folder
    client.identifier = "00008140-00B543E27B3FF5AB"
    client.pair_record = record
    return client


def test_the_station_replaces_pymobiledevice3s_save() -> None:
    assert LockdownClient.save_pair_record is save_pair_record_atomically
    # Clients that override it (to hand the record to usbmuxd too) save through the base first.
    for cls in vars(lockdown).values():
        if isinstance(cls, type) and issubclass(cls, LockdownClient) and cls.save_pair_record is not save_pair_record_atomically:
            assert "super().save_pair_record()" in inspect.getsource(cls.save_pair_record), cls


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
