"""A station whose start fails half-way undoes what it started: simulators, the log, variables."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from kitstation.station import SimulationPlan, Station


def _answers_unix(path: str) -> bool:
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(1.0)
        return s.connect_ex(path) == 0


async def test_a_failed_start_stops_the_simulators_and_restores_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = os.environ.get("USBMUXD_SOCKET_ADDRESS")
    station = Station(db=str(tmp_path / "l.sqlite3"), simulate=SimulationPlan(ios=1, android=0, speed=100))
    started: dict[str, object] = {}

    def broken_adapters() -> list[object]:
        # The simulators are up by now: remember where, then fail as a missing library would.
        started["usbmux"] = station.ios_sim.address
        raise RuntimeError("adapter library missing")

    monkeypatch.setattr(station, "_make_adapters", broken_adapters)
    with pytest.raises(RuntimeError, match="adapter library missing"):
        await station.start()
    assert started, "the failure came after the simulators started"
    assert station.ios_sim is None and station.android_sim is None and station.kitlog is None
    assert os.environ.get("USBMUXD_SOCKET_ADDRESS") == before
    assert not _answers_unix(str(started["usbmux"]))
