"""usbmuxd's Listen stream tells the connector each device's DeviceID; a re-plug gets a new one.

The station connects to a device with the DeviceID the Listen stream gave it (no ListDevices per
connection, kitstation/ios/lockdown.py), so it depends on what usbmuxd does: a new DeviceID at every
attach, and a Connect to a DeviceID that is gone refused (FIDELITY.md I-14).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

import pytest
from pymobiledevice3 import usbmux
from pymobiledevice3.exceptions import MuxException

from kitstation.domain.events import Attached, Detached
from kitstation.ios import IOSAdapter
from kitstation.simulator.ios import IOSSimulatorThread

BUDGET = 120  # seconds: a loaded machine is slow, a wait ends as soon as the event comes


async def test_listen_gives_the_connector_device_ids_and_a_replug_a_new_one(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter
) -> None:
    dev = ios_sim.plug("iPhone15,4")
    stream = adapter.discover()
    try:
        ev = await asyncio.wait_for(anext(stream), BUDGET)
        assert isinstance(ev, Attached) and ev.connection_id == dev.udid
        first_id = adapter.connector._devices[dev.udid].devid
        assert first_id == dev.device_id
        assert await adapter.connector.attached(dev.udid)
        assert (await adapter.identify(dev.udid)).udid == dev.udid

        ios_sim.unplug(dev.udid)
        assert await asyncio.wait_for(anext(stream), BUDGET) == Detached(ev.platform, dev.udid)
        assert not await adapter.connector.attached(dev.udid)  # from Listen, no ListDevices

        ios_sim.replug(dev.udid)
        again = await asyncio.wait_for(anext(stream), BUDGET)
        assert isinstance(again, Attached) and again.connection_id == dev.udid
        second_id = adapter.connector._devices[dev.udid].devid
        assert second_id != first_id  # usbmuxd numbers every attach anew
        assert (await adapter.identify(dev.udid)).udid == dev.udid

        # A Connect to the DeviceID of the earlier attach is refused, as usbmuxd refuses it.
        with pytest.raises(MuxException):
            sock = await usbmux.MuxDevice(first_id, dev.udid, "USB").connect(62078, usbmux_address=ios_sim.address)
            sock.close()
    finally:
        await adapter.aclose()
        if isinstance(stream, AsyncGenerator):
            await stream.aclose()
