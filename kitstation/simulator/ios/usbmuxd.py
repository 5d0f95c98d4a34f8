"""The simulated usbmuxd: what any usbmuxd client (pymobiledevice3, libusbmuxd) talks to first.

Wire format: 16-byte little-endian header ``(length incl. header, version, message, tag)``.
Version 1 / message 8 carries an XML plist (``MessageType`` = ``ReadBUID``, ``ListDevices``,
``Listen``, ``ListListeners``, ``ReadPairRecord``, ``SavePairRecord``, ``DeletePairRecord``,
``Connect``); version 0 is the old binary protocol (``LISTEN`` 3, ``CONNECT`` 2, answered with
``RESULT`` 1, events ``ADD`` 4 / ``REMOVE`` 5), still spoken by some libusbmuxd builds. Replies
carry the request's version and tag; events carry tag 0. After ``Connect`` answers Result 0 the
socket is a raw pipe to the device port; ``PortNumber`` arrives in network byte order.
"""

from __future__ import annotations

import asyncio
import plistlib
import socket
import struct
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kitstation.simulator.ios.device import SimulatedIOSDevice
    from kitstation.simulator.ios.simulator import IOSSimulator

MSG_RESULT, MSG_CONNECT, MSG_LISTEN, MSG_ADD, MSG_REMOVE, MSG_PLIST = 1, 2, 3, 4, 5, 8
RESULT_OK, RESULT_BADCOMMAND, RESULT_BADDEV, RESULT_CONNREFUSED, RESULT_BADVERSION = 0, 1, 2, 3, 6
USB_SPEED = 480_000_000
# Apple's USB product IDs: 0x12a8 is the iPhone, 0x12ab the iPad (both in normal mode).
PRODUCT_IDS = {"iPhone": 0x12A8, "iPad": 0x12AB}


def frame(version: int, message: int, tag: int, payload: bytes) -> bytes:
    return struct.pack("<IIII", 16 + len(payload), version, message, tag) + payload


def plist_frame(tag: int, message: dict[str, Any]) -> bytes:
    return frame(1, MSG_PLIST, tag, plistlib.dumps(message, fmt=plistlib.FMT_XML))


def attached_message(dev: SimulatedIOSDevice) -> dict[str, Any]:
    return {
        "MessageType": "Attached",
        "DeviceID": dev.device_id,
        "Properties": {
            "ConnectionSpeed": USB_SPEED,
            "ConnectionType": "USB",
            "DeviceID": dev.device_id,
            "LocationID": dev.location_id,
            "ProductID": PRODUCT_IDS.get(dev.device_class, 0x12A8),
            "SerialNumber": dev.udid,
            "USBSerialNumber": dev.udid.replace("-", ""),
        },
    }


def binary_add(dev: SimulatedIOSDevice) -> bytes:
    serial = dev.udid.encode()[:255].ljust(256, b"\0")
    body = struct.pack("<IH", dev.device_id, PRODUCT_IDS.get(dev.device_class, 0x12A8)) + serial + b"\0\0"
    return frame(0, MSG_ADD, 0, body + struct.pack("<I", dev.location_id))


class _Listener:
    def __init__(self, writer: asyncio.StreamWriter, version: int) -> None:
        self.writer = writer
        self.version = version

    def send_attached(self, dev: SimulatedIOSDevice) -> None:
        if self.version == 1:
            self.writer.write(plist_frame(0, attached_message(dev)))
        else:
            self.writer.write(binary_add(dev))

    def send_detached(self, dev: SimulatedIOSDevice) -> None:
        if self.version == 1:
            self.writer.write(plist_frame(0, {"MessageType": "Detached", "DeviceID": dev.device_id}))
        else:
            self.writer.write(frame(0, MSG_REMOVE, 0, struct.pack("<I", dev.device_id)))


class Usbmuxd:
    """Serves usbmuxd clients for one simulator (unix socket and/or TCP)."""

    def __init__(self, sim: IOSSimulator) -> None:
        self.sim = sim
        self.listeners: list[_Listener] = []
        self.pair_records: dict[str, bytes] = {}
        self._clients: set[asyncio.StreamWriter] = set()

    # events from the simulator ------------------------------------------------------------------

    def device_attached(self, dev: SimulatedIOSDevice) -> None:
        for listener in list(self.listeners):
            self._safe(listener, listener.send_attached, dev)

    def device_detached(self, dev: SimulatedIOSDevice) -> None:
        for listener in list(self.listeners):
            self._safe(listener, listener.send_detached, dev)

    def _safe(self, listener: _Listener, fn: Any, dev: SimulatedIOSDevice) -> None:
        if listener.writer.is_closing():
            self.listeners.remove(listener)
            return
        try:
            fn(dev)
        except (ConnectionError, RuntimeError):
            self.listeners.remove(listener)

    def close_clients(self) -> None:
        for w in list(self._clients):
            transport = w.transport
            if transport is not None:
                transport.abort()
        self._clients.clear()
        self.listeners.clear()

    # connections ------------------------------------------------------------------------------

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._clients.add(writer)
        # Tracked so that stopping the simulator can cancel and await every connection's task
        # (the server does not), and no task is left pending when the loop closes.
        task = asyncio.current_task()
        if task is not None:
            self.sim._tasks.add(task)
        piped = False
        try:
            while True:
                try:
                    header = await reader.readexactly(16)
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                length, version, message, tag = struct.unpack("<IIII", header)
                if length < 16 or length > 16 + 1024 * 1024:
                    return
                payload = await reader.readexactly(length - 16)
                if version == 1 and message == MSG_PLIST:
                    try:
                        request = plistlib.loads(payload)
                    except Exception:
                        writer.write(self._result(1, tag, RESULT_BADCOMMAND))
                        continue
                    piped = await self._plist_request(request if isinstance(request, dict) else {}, tag, reader, writer)
                elif version == 0:
                    piped = await self._binary_request(message, tag, payload, reader, writer)
                else:
                    writer.write(self._result(version, tag, RESULT_BADVERSION))
                if piped:
                    return
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        except asyncio.CancelledError:
            # stop() cancels this task. asyncio's done-callback for a start_server handler then
            # calls task.exception(), which raises for a cancelled task: "Exception in callback"
            # logged at every stop (CPython 3.11/3.12 asyncio/streams.py,
            # StreamReaderProtocol.connection_made; 3.13 checks task.cancelled() first). Ending
            # normally avoids it; the connection is closed below either way.
            return
        finally:
            if task is not None:
                self.sim._tasks.discard(task)
            self._clients.discard(writer)
            self.listeners = [li for li in self.listeners if li.writer is not writer]
            if not piped and not writer.is_closing():
                writer.close()

    def _result(self, version: int, tag: int, number: int) -> bytes:
        if version == 1:
            return plist_frame(tag, {"MessageType": "Result", "Number": number})
        return frame(0, MSG_RESULT, tag, struct.pack("<I", number))

    async def _plist_request(
        self, req: dict[str, Any], tag: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        kind = req.get("MessageType")
        if kind == "ReadBUID":
            writer.write(plist_frame(tag, {"BUID": self.sim.buid}))
        elif kind == "ListDevices":
            devices = [attached_message(d) for d in self.sim.attached_devices()]
            writer.write(plist_frame(tag, {"DeviceList": devices}))
        elif kind == "ListListeners":
            writer.write(plist_frame(tag, {"ListenerList": []}))
        elif kind == "Listen":
            writer.write(self._result(1, tag, RESULT_OK))
            listener = _Listener(writer, 1)
            self.listeners.append(listener)
            for d in self.sim.attached_devices():
                listener.send_attached(d)
        elif kind == "ReadPairRecord":
            record = self.pair_records.get(str(req.get("PairRecordID", "")))
            if record is None:
                writer.write(self._result(1, tag, RESULT_BADDEV))
            else:
                writer.write(plist_frame(tag, {"PairRecordData": record}))
        elif kind == "SavePairRecord":
            data = req.get("PairRecordData")
            if not isinstance(data, bytes) or not req.get("PairRecordID"):
                writer.write(self._result(1, tag, RESULT_BADCOMMAND))
            else:
                self.pair_records[str(req["PairRecordID"])] = data
                writer.write(self._result(1, tag, RESULT_OK))
        elif kind == "DeletePairRecord":
            found = self.pair_records.pop(str(req.get("PairRecordID", "")), None) is not None
            writer.write(self._result(1, tag, RESULT_OK if found else RESULT_BADDEV))
        elif kind == "Connect":
            port = socket.ntohs(int(req.get("PortNumber", 0)) & 0xFFFF)
            return await self._connect(1, tag, int(req.get("DeviceID", -1)), port, reader, writer)
        else:
            writer.write(self._result(1, tag, RESULT_BADCOMMAND))
        return False

    async def _binary_request(
        self, message: int, tag: int, payload: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        if message == MSG_LISTEN:
            writer.write(self._result(0, tag, RESULT_OK))
            listener = _Listener(writer, 0)
            self.listeners.append(listener)
            for d in self.sim.attached_devices():
                listener.send_attached(d)
            return False
        if message == MSG_CONNECT and len(payload) >= 6:
            device_id, port_be = struct.unpack("<IH", payload[:6])
            return await self._connect(0, tag, device_id, socket.ntohs(port_be), reader, writer)
        writer.write(self._result(0, tag, RESULT_BADCOMMAND))
        return False

    async def _connect(
        self,
        version: int,
        tag: int,
        device_id: int,
        port: int,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> bool:
        dev = self.sim.device_by_id(device_id)
        if dev is None:
            writer.write(self._result(version, tag, RESULT_BADDEV))
            return False
        handler = dev.accept(port)
        if handler is None:
            writer.write(self._result(version, tag, RESULT_CONNREFUSED))
            return False
        writer.write(self._result(version, tag, RESULT_OK))
        self._clients.discard(writer)  # the device owns the pipe now and closes it
        await handler(reader, writer)
        return True
