"""The simulated usbmuxd as clients see it: listing, hot-plug events, pair records, Connect, TCP."""

from __future__ import annotations

import asyncio
import os
import plistlib
import shutil
import socket
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from pymobiledevice3 import usbmux
from pymobiledevice3.exceptions import BadDevError, ConnectionFailedError

from kitstation.simulator.ios import IOSSimulatorThread
from tests.sim_ios.conftest import connect, wait_until

PMD3 = str(Path(sys.executable).with_name("pymobiledevice3"))


async def test_list_devices_shows_plugged_devices(ios_sim: IOSSimulatorThread) -> None:
    a = ios_sim.plug("iPhone15,4")
    b = ios_sim.plug("iPad13,18")
    devices = await usbmux.list_devices()
    assert sorted(d.serial for d in devices) == sorted([a.udid, b.udid])
    assert all(d.is_usb for d in devices)
    # A modern UDID carries the ECID, and pymobiledevice3 reads it back.
    assert {d.ecid for d in devices} == {a.ecid, b.ecid}


async def test_listen_streams_attach_and_detach(ios_sim: IOSSimulatorThread) -> None:
    first = ios_sim.plug()
    mux = await usbmux.create_mux()
    try:
        await mux.listen()
        await mux.receive_device_state_update()  # the device already present
        assert [d.serial for d in mux.devices] == [first.udid]
        second = ios_sim.plug()
        await asyncio.wait_for(mux.receive_device_state_update(), 10)
        assert {d.serial for d in mux.devices} == {first.udid, second.udid}
        ios_sim.unplug(first.udid)
        await asyncio.wait_for(mux.receive_device_state_update(), 10)
        assert [d.serial for d in mux.devices] == [second.udid]
        location = first.location_id
        ios_sim.replug(first.udid)
        await asyncio.wait_for(mux.receive_device_state_update(), 10)
        assert {d.serial for d in mux.devices} == {first.udid, second.udid}
        assert first.location_id == location
    finally:
        await mux.close()


async def test_buid_and_pair_record_store(ios_sim: IOSSimulatorThread) -> None:
    dev = ios_sim.plug()
    mux = await usbmux.create_mux()
    assert isinstance(mux, usbmux.PlistMuxConnection)
    try:
        buid = await mux.get_buid()
        assert len(buid) == 36
        await mux.get_device_list()
        record = plistlib.dumps({"HostID": "H", "SystemBUID": buid})
        await mux.save_pair_record(dev.udid, mux.devices[0].devid, record)
        assert (await mux.get_pair_record(dev.udid))["HostID"] == "H"
        await mux._send_receive({"MessageType": "DeletePairRecord", "PairRecordID": dev.udid})
        from pymobiledevice3.exceptions import NotPairedError

        with pytest.raises(NotPairedError):
            await mux.get_pair_record(dev.udid)
    finally:
        await mux.close()


async def test_connect_refused_port_and_unknown_device(ios_sim: IOSSimulatorThread) -> None:
    ios_sim.plug()
    (device,) = await usbmux.list_devices()
    with pytest.raises(ConnectionFailedError):
        await device.connect(1234)
    ghost = usbmux.MuxDevice(9999, "00000000-0000000000000000", "USB")
    with pytest.raises(BadDevError):
        await ghost.connect(62078)


async def test_unplug_breaks_open_connections(ios_sim: IOSSimulatorThread) -> None:
    dev = ios_sim.plug()
    lockdown = await connect(dev.udid)
    try:
        ios_sim.unplug(dev.udid)
        assert await usbmux.list_devices() == []
        with pytest.raises(Exception):  # noqa: B017 - any transport error: the pipe is gone
            await lockdown.service.send_recv_plist({"Request": "QueryType"})
    finally:
        await lockdown.close()


def _frame(version: int, message: int, tag: int, payload: bytes) -> bytes:
    return struct.pack("<IIII", 16 + len(payload), version, message, tag) + payload


def _recv_frame(sock: socket.socket) -> tuple[int, int, int, bytes]:
    def exactly(n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            assert chunk, "usbmuxd closed the connection"
            data += chunk
        return data

    length, version, message, tag = struct.unpack("<IIII", exactly(16))
    return version, message, tag, exactly(length - 16)


def test_libimobiledevice_style_plist_client_over_tcp(ios_sim_factory) -> None:  # type: ignore[no-untyped-def]
    """A plist client as libusbmuxd writes it (its own keys, tags), on the Windows-style TCP address."""
    sim = ios_sim_factory(tcp_port=0)
    assert sim.address.startswith("127.0.0.1:")
    dev = sim.plug()
    host, port = sim.address.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        request = {
            "MessageType": "ListDevices",
            "ClientVersionString": "libusbmuxd 2.1.0",
            "ProgName": "idevice_id",
            "kLibUSBMuxVersion": 3,
        }
        s.sendall(_frame(1, 8, 7, plistlib.dumps(request)))
        version, message, tag, body = _recv_frame(s)
        assert (version, message, tag) == (1, 8, 7)
        (entry,) = plistlib.loads(body)["DeviceList"]
        assert entry["Properties"]["SerialNumber"] == dev.udid
        assert entry["Properties"]["USBSerialNumber"] == dev.udid.replace("-", "")
        # Connect with the port in network byte order, then speak lockdown on the raw pipe.
        connect_req = {"MessageType": "Connect", "DeviceID": entry["DeviceID"], "PortNumber": socket.htons(62078)}
        s.sendall(_frame(1, 8, 8, plistlib.dumps(connect_req)))
        _, _, tag, body = _recv_frame(s)
        assert tag == 8 and plistlib.loads(body) == {"MessageType": "Result", "Number": 0}
        query = plistlib.dumps({"Request": "QueryType", "Label": "idevice_id"})
        s.sendall(struct.pack(">I", len(query)) + query)
        (n,) = struct.unpack(">I", s.recv(4, socket.MSG_WAITALL))
        reply = plistlib.loads(s.recv(n, socket.MSG_WAITALL))
        assert reply == {"Request": "QueryType", "Type": "com.apple.mobile.lockdown"}


def test_binary_protocol_listen(ios_sim: IOSSimulatorThread) -> None:
    """Old libusbmuxd speaks the binary (version 0) protocol: LISTEN, then ADD/REMOVE records."""
    dev = ios_sim.plug()
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(10)
        s.connect(ios_sim.address)
        s.sendall(_frame(0, 3, 1, b""))
        assert _recv_frame(s) == (0, 1, 1, struct.pack("<I", 0))
        version, message, _, body = _recv_frame(s)
        assert (version, message) == (0, 4)
        device_id, _product = struct.unpack("<IH", body[:6])
        assert body[6 : 6 + len(dev.udid)].decode() == dev.udid
        ios_sim.unplug(dev.udid)
        assert _recv_frame(s) == (0, 5, 0, struct.pack("<I", device_id))


async def test_tcp_address_with_pymobiledevice3(ios_sim_factory) -> None:  # type: ignore[no-untyped-def]
    sim = ios_sim_factory(tcp_port=0)
    dev = sim.plug()
    lockdown = await connect(dev.udid, usbmux_address=sim.address)
    try:
        assert lockdown.paired
        assert await lockdown.get_value(key="SerialNumber") == dev.serial
    finally:
        await lockdown.close()


def test_pymobiledevice3_cli_usbmux_list_and_lockdown_info(ios_sim: IOSSimulatorThread) -> None:
    devs = [ios_sim.plug() for _ in range(3)]
    env = dict(os.environ, **ios_sim.env)
    out = subprocess.run([PMD3, "usbmux", "list"], env=env, capture_output=True, text=True, timeout=120, check=True)
    import json

    listed = json.loads(out.stdout)
    assert sorted(d["UniqueDeviceID"] for d in listed) == sorted(d.udid for d in devs)
    info = subprocess.run(
        [PMD3, "lockdown", "info", "--udid", devs[1].udid],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    values = json.loads(info.stdout)
    assert values["SerialNumber"] == devs[1].serial
    assert values["UniqueChipID"] == devs[1].ecid
    assert values["ProductType"] == devs[1].product_type


async def test_stop_removes_socket(ios_sim_factory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "own.sock"
    sim = ios_sim_factory(socket_path=str(path))
    assert path.exists()
    sim.stop()
    await wait_until(lambda: not path.exists(), "socket removal")


@pytest.mark.skipif(shutil.which("idevicepair") is None, reason="libimobiledevice-utils is not installed")
def test_libimobiledevice_tools(ios_sim: IOSSimulatorThread) -> None:
    """libimobiledevice (GnuTLS/OpenSSL, its own plist and pairing code) works as well."""
    dev = ios_sim.plug("iPhone14,7")
    env = dict(os.environ, USBMUXD_SOCKET_ADDRESS=f"UNIX:{ios_sim.address}")

    def run(*cmd: str) -> str:
        return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60, check=True).stdout

    assert run("idevice_id", "-l").split() == [dev.udid]
    assert "SUCCESS" in run("idevicepair", "-u", dev.udid, "pair")
    assert run("ideviceinfo", "-u", dev.udid, "-k", "InternationalMobileEquipmentIdentity").strip() == dev.imei


async def test_replug_of_an_attached_device_changes_nothing(ios_sim: IOSSimulatorThread) -> None:
    dev = ios_sim.plug()
    device_id = dev.device_id
    ios_sim.replug(dev.udid)
    assert dev.device_id == device_id and len(await usbmux.list_devices()) == 1
    ios_sim.unplug(dev.udid)
    ios_sim.replug(dev.udid)
    assert dev.device_id != device_id  # usbmuxd numbers every attach anew; hosts key on the UDID


def test_refuses_a_socket_somebody_listens_on(ios_sim: IOSSimulatorThread, tmp_path: Path) -> None:
    with pytest.raises(FileExistsError):
        IOSSimulatorThread(socket_path=ios_sim.address).start()
    plain = tmp_path / "plain-file"
    plain.write_text("x")
    with pytest.raises(FileExistsError):
        IOSSimulatorThread(socket_path=str(plain)).start()
    stale = tmp_path / "stale.sock"
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(stale))
    s.close()  # bound, never listening: what a killed run leaves behind
    sim = IOSSimulatorThread(socket_path=str(stale)).start()
    try:
        assert sim.address == str(stale)
    finally:
        sim.stop()
