"""The tests' adb-server start: waits for a real adb answer, retries, and fails clearly at its budget."""

from __future__ import annotations

import socket

import pytest

from kitstation.simulator.android import default_adb_path
from kitstation.simulator.android.simulator import SimulatorError
from tests.fixtures.android_sim import _adb_answers, start_adb_server


def test_a_port_held_by_something_else_is_not_taken_for_adb() -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen(8)
        port = other.getsockname()[1]
        assert not _adb_answers(port)  # listening, but not an adb server
        with pytest.raises(SimulatorError, match="could not start adb server"):
            start_adb_server(default_adb_path(), port=port, budget=0.5)


def test_start_waits_for_the_server_to_answer() -> None:
    server = start_adb_server(default_adb_path())
    try:
        assert _adb_answers(server.port) and server.answers()
    finally:
        server.stop()
    assert not _adb_answers(server.port)
