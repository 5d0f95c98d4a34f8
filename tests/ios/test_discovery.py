"""Hot-plug through usbmuxd Listen, and the identity read from each device."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

from kitstation.domain.events import Attached, Detached
from kitstation.domain.model import Platform
from kitstation.ios import IOSAdapter
from kitstation.simulator.ios import IOSSimulatorThread


async def test_discover_reports_present_then_hot_plug(ios_sim: IOSSimulatorThread, adapter: IOSAdapter) -> None:
    first = ios_sim.plug("iPhone15,4")
    stream = adapter.discover()
    try:
        ev = await asyncio.wait_for(anext(stream), 10)
        assert isinstance(ev, Attached) and ev.connection_id == first.udid and ev.platform == Platform.IOS
        assert ev.usb_location and ev.usb_location.startswith("0x")
        second = ios_sim.plug("iPad16,1")
        ev = await asyncio.wait_for(anext(stream), 10)
        assert isinstance(ev, Attached) and ev.connection_id == second.udid
        assert ev.usb_location != (await adapter.identify(first.udid)).usb_location
        ios_sim.unplug(first.udid)
        ev = await asyncio.wait_for(anext(stream), 10)
        assert ev == Detached(Platform.IOS, first.udid)
        ios_sim.replug(first.udid)
        ev = await asyncio.wait_for(anext(stream), 10)
        assert isinstance(ev, Attached) and ev.connection_id == first.udid
    finally:
        await adapter.aclose()
        if isinstance(stream, AsyncGenerator):  # discover() is an async generator
            await stream.aclose()


async def test_identify_reads_the_device(ios_sim: IOSSimulatorThread, adapter: IOSAdapter) -> None:
    sim_dev = ios_sim.plug("iPhone16,1", product_version="17.2")
    device = await adapter.identify(sim_dev.udid)
    assert device.key == device.udid == sim_dev.udid
    assert device.serial == sim_dev.serial and device.imei == sim_dev.imei
    assert device.ecid is not None and device.model_id == "iPhone16,1"
    assert device.marketing_name == "iPhone 15 Pro" and device.os_version == "17.2"
    assert device.usb_location is not None
    assert device.facts["activation_state"] == "Unactivated"
    assert device.facts["setup_assistant"] is True and device.facts["supervised"] is False
