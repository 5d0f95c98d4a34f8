"""Discovery and identity over a real adb server, against simulated Galaxy phones."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator

import adbutils
import pytest

from kitstation.android import AndroidAdapter
from kitstation.core.barcode import is_valid_imei
from kitstation.domain.events import Attached, Changed, Detached, DiscoveryEvent
from kitstation.domain.model import UserAction, UserActionRequired
from kitstation.simulator.android import AndroidSimulator


async def _next(stream: AsyncIterator[DiscoveryEvent], kind: type, connection_id: str) -> DiscoveryEvent:
    async def find() -> DiscoveryEvent:
        async for ev in stream:
            if isinstance(ev, kind) and ev.connection_id == connection_id:
                return ev
        raise AssertionError("stream ended")

    return await asyncio.wait_for(find(), 30)


@pytest.mark.parametrize(
    ("model", "name", "android", "one_ui", "imei_count"),
    [
        ("SM-A305J", "Galaxy A30", "9", "1.1", 1),  # Android 9: IMEI readable over adb
        ("SM-A525F", "Galaxy A52", "13", "5.1", 0),  # Android 10+: no IMEI, not an error
        ("SC-51D", "Galaxy S23", "14", "6.1", 0),
        ("SM-X700", "Galaxy Tab S8", "14", "6.1", 0),
    ],
)
async def test_identity_of_models(
    android_sim: AndroidSimulator, model: str, name: str, android: str, one_ui: str, imei_count: int
) -> None:
    galaxy = android_sim.plug(model)
    adapter = AndroidAdapter(adb_port=android_sim.adb_port)
    try:
        device = await adapter.identify(galaxy.adb_serial)
    finally:
        await adapter.aclose()
    assert device.key == galaxy.serial and device.connection_id == galaxy.adb_serial
    assert device.model_id == model and device.marketing_name == name
    assert device.os_version == android and device.facts["one_ui"] == one_ui
    assert device.facts["knox"]
    assert len(device.imeis) == imei_count
    if imei_count:
        assert device.imeis[0] == galaxy.imeis[0] and is_valid_imei(device.imei or "")
    else:
        assert device.facts["imei_source"] in ("hidden", "none")
    # A TCP-attached device has no USB path: its slot is the adb serial.
    assert device.usb_location == galaxy.adb_serial or device.usb_location is None


async def test_unauthorized_then_accepted(android_sim: AndroidSimulator) -> None:
    adapter = AndroidAdapter(adb_port=android_sim.adb_port)
    stream = adapter.discover()
    try:
        galaxy = android_sim.plug("SM-A525F", authorized=False)
        attached = await _next(stream, Attached, galaxy.adb_serial)
        assert isinstance(attached, Attached)
        with pytest.raises(UserActionRequired) as info:
            await adapter.identify(galaxy.adb_serial)
        assert info.value.action == UserAction.ACCEPT_USB_DEBUGGING
        galaxy.accept_usb_debugging()
        changed = await _next(stream, Changed, galaxy.adb_serial)
        assert isinstance(changed, Changed) and changed.state == "device"
        device = await adapter.identify(galaxy.adb_serial)
        assert device.key == galaxy.serial
        android_sim.unplug(galaxy)
        assert isinstance(await _next(stream, Detached, galaxy.adb_serial), Detached)
    finally:
        await stream.aclose()  # type: ignore[attr-defined]  # an async generator
        await adapter.aclose()


async def test_adapter_honours_the_env_port(android_sim: AndroidSimulator) -> None:
    # The fixture exported ANDROID_ADB_SERVER_PORT: no port given, the same server is used.
    galaxy = android_sim.plug("SM-S911B")
    adapter = AndroidAdapter()
    try:
        assert adapter.adb_port == android_sim.adb_port
        device = await adapter.identify(galaxy.adb_serial)
        assert device.marketing_name == "Galaxy S23"
    finally:
        await adapter.aclose()


async def test_adapter_starts_its_server_on_its_own_port(monkeypatch: pytest.MonkeyPatch) -> None:
    # No server on the port: the adapter starts one there (adbutils alone would use 5037).
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    monkeypatch.delenv("ANDROID_ADB_SERVER_PORT", raising=False)
    # A real adb for this one (the test environment's default is /bin/false, so nothing else can).
    from kitstation.simulator.android import default_adb_path

    monkeypatch.setenv("ADBUTILS_ADB_PATH", default_adb_path())
    adapter = AndroidAdapter(adb_port=port)
    try:
        client = await asyncio.get_running_loop().run_in_executor(None, adapter.client)
        assert client.port == port
        assert await asyncio.get_running_loop().run_in_executor(None, client.list) == []
    finally:
        await adapter.aclose()
        with contextlib.suppress(Exception):
            adbutils.AdbClient(port=port).server_kill()
