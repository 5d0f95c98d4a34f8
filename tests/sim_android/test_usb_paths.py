"""A Galaxy's slot is its USB device path (adb's ``usb:`` in ``devices -l``), also on the simulated bench.

Real adb lists a USB-attached phone as ``SERIAL device usb:1-1.4 product:… model:… device:…
transport_id:N`` and a network transport without ``usb:`` (docs/FIDELITY.md A50). The simulated
phones reach the real adb server over TCP, so the simulator says which USB path each stands in
for, and the adapter asks it only when adb's line has no ``usb:``.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import AsyncIterator

from kitstation.android import AndroidAdapter
from kitstation.domain.events import Attached, DiscoveryEvent
from kitstation.simulator.android import AndroidSimulator
from kitstation.simulator.android.adbd import usb_path_for


def _devices_l(sim: AndroidSimulator) -> str:
    env = dict(os.environ, **sim.env)
    r = subprocess.run([sim.adb_path, "devices", "-l"], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert r.returncode == 0, r
    return r.stdout


def test_usb_paths_are_per_port_and_split_into_hubs() -> None:
    paths = [usb_path_for(i) for i in range(64)]
    assert len(set(paths)) == 64
    assert paths[:2] == ["3-1.1", "3-1.2"] and paths[7] == "3-2.1"
    # adb's form: bus, dash, then port numbers from the root hub down (a root port, a hub's port 1–7).
    for p in paths:
        bus, _, ports = p.partition("-")
        root, hub_port = (int(n) for n in ports.split("."))
        assert bus == "3" and root >= 1 and 1 <= hub_port <= 7


def test_adb_lists_the_tcp_transport_without_usb_and_the_simulator_knows_the_port(
    android_sim: AndroidSimulator,
) -> None:
    a, b = android_sim.plug("SM-A525F"), android_sim.plug("SM-S911B")
    listing = _devices_l(android_sim)
    for g in (a, b):
        line = next(ln for ln in listing.splitlines() if ln.startswith(g.adb_serial))
        fields = line.split()
        # The real server's long listing of a network transport: state, product/model/device, id.
        assert fields[1] == "device" and fields[-1].startswith("transport_id:")
        assert f"model:{g.model.replace('-', '_')}" in fields
        assert not any(f.startswith("usb:") for f in fields)
    # adbutils parses the same line into tags (what the adapter reads): no "usb" tag here either.
    infos = {i.serial: i for i in android_sim.client().list(extended=True)}
    assert "usb" not in infos[a.adb_serial].tags and infos[a.adb_serial].tags["model"] == "SM_A525F"
    assert android_sim.usb_path(a.adb_serial) != android_sim.usb_path(b.adb_serial)
    assert android_sim.usb_path("127.0.0.1:1") is None


async def _attached(stream: AsyncIterator[DiscoveryEvent], serial: str) -> Attached:
    async def find() -> Attached:
        async for ev in stream:
            if isinstance(ev, Attached) and ev.connection_id == serial:
                return ev
        raise AssertionError("stream ended")

    return await asyncio.wait_for(find(), 60)


async def test_the_adapter_files_a_simulated_galaxy_under_its_usb_path(android_sim: AndroidSimulator) -> None:
    adapter = AndroidAdapter(adb_port=android_sim.adb_port, usb_paths=android_sim.usb_path)
    plain = AndroidAdapter(adb_port=android_sim.adb_port)
    stream, plain_stream = adapter.discover(), plain.discover()
    try:
        g = android_sim.plug("SM-A525F")
        expected = android_sim.usb_path(g.adb_serial)
        assert expected is not None and expected.startswith("3-")
        assert (await _attached(stream, g.adb_serial)).usb_location == expected
        assert (await adapter.identify(g.adb_serial)).usb_location == expected
        # Without the simulator's answer a network transport's slot is its adb serial, as before.
        assert (await _attached(plain_stream, g.adb_serial)).usb_location == g.adb_serial
        # Re-plugged: the same port, so the same slot.
        android_sim.unplug(g)
        android_sim.replug(g)
        assert android_sim.usb_path(g.adb_serial) == expected
    finally:
        await stream.aclose()  # type: ignore[attr-defined]  # an async generator
        await plain_stream.aclose()  # type: ignore[attr-defined]
        await adapter.aclose()
        await plain.aclose()
