"""Simulated iPhones sit on a fixed USB tree: 7-port hubs on the root ports, one place per phone."""

from __future__ import annotations

from pathlib import Path

import pytest

from kitstation.ios.connect import Connector, IOSTiming
from kitstation.simulator.android.adbd import USB_BUS as GALAXY_BUS
from kitstation.simulator.android.adbd import usb_path_for
from kitstation.simulator.ios import IOSSimulatorThread
from kitstation.simulator.ios.simulator import PORTS_PER_HUB, location_id_for
from kitstation.ui.places import display_name, hub_and_port, usb_path


def _slot(location: int) -> str:
    return f"0x{location:08x}"  # how the iOS adapter names a slot by its LocationID


def test_sixty_four_iphones_have_sixty_four_places_on_seven_port_hubs() -> None:
    slots = [_slot(location_id_for(i)) for i in range(64)]
    places = [display_name(s, s) for s in slots]
    assert len(set(slots)) == 64 and len(set(places)) == 64
    assert places[0] == "Hub 1-1 · Port 1" and places[6] == "Hub 1-1 · Port 7"
    # The 8th and the 16th phone: the next hub's port 1 and 2 (never "Hub 1 · Port 2", a root port).
    assert places[7] == "Hub 1-2 · Port 1" and places[15] == "Hub 1-3 · Port 2"
    for i, s in enumerate(slots):
        hub, port = hub_and_port(s) or ("", 0)
        bus, _, root = hub.partition("-")
        assert bus == "1" and 1 <= int(root) <= 15 and 1 <= port <= PORTS_PER_HUB, (i, s, hub, port)
        assert usb_path(s) == f"1-{i // PORTS_PER_HUB + 1}.{i % PORTS_PER_HUB + 1}"


def test_past_a_bus_the_next_controller_never_the_galaxy_bus() -> None:
    ios = {hub_and_port(_slot(location_id_for(i))) for i in range(512)}
    galaxy = {hub_and_port(usb_path_for(i)) for i in range(512)}
    assert len(ios) == 512 and not ios & galaxy
    assert usb_path(_slot(location_id_for(105))) == "2-1.1"
    assert all(usb_path(_slot(location_id_for(i))).split("-")[0] != str(GALAXY_BUS) for i in range(512))
    with pytest.raises(ValueError):
        location_id_for(-1)


async def test_usbmuxd_lists_each_iphone_at_its_own_place(ios_sim: IOSSimulatorThread, tmp_path: Path) -> None:
    devices = [ios_sim.plug() for _ in range(20)]
    # The station's own ListDevices read (pymobiledevice3's records drop LocationID).
    listed = await Connector(ios_sim.address, tmp_path / "pairing", IOSTiming()).raw_devices()
    places = {
        d["Properties"]["SerialNumber"]: display_name(_slot(d["Properties"]["LocationID"]),
                                                      _slot(d["Properties"]["LocationID"]))
        for d in listed
    }
    assert len(places) == 20 and len(set(places.values())) == 20
    for i, dev in enumerate(devices):
        assert places[dev.udid] == display_name(_slot(location_id_for(i)), "")
    assert places[devices[15].udid] == "Hub 1-3 · Port 2"
