"""The simulated adbd: one loopback TCP listener per Galaxy, speaking the adb transport protocol.

The real adb server reaches it with ``adb connect 127.0.0.1:PORT``. We implement the transport
(CNXN/AUTH, OPEN/OKAY/WRTE/CLSE with one outstanding WRTE per stream each way) and the services a
kitting station uses: ``shell:``/``shell,v2:``, ``exec:``, ``sync:`` (STAT/LIST/SEND/RECV/QUIT, v1
only), ``reboot:``. We advertise only the features we implement — ``shell_v2`` and ``cmd`` (so adb
streams installs through ``exec:cmd package install -S``) — so the server never tries
``stat_v2``/``ls_v2``/``sendrecv_v2``/``abb``/``delayed_ack``.

Everything here runs on the simulator's own event loop; the only calls from other threads are
``notify_authorized`` and ``schedule_reboot``, which hop onto the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shlex
import struct
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from kitstation.simulator.android.protocol import (
    A_AUTH,
    A_CLSE,
    A_CNXN,
    A_OKAY,
    A_OPEN,
    A_VERSION,
    A_WRTE,
    AUTH_RSAPUBLICKEY,
    AUTH_SIGNATURE,
    AUTH_TOKEN,
    HEADER,
    MAX_PAYLOAD,
    Message,
    ProtocolError,
    decode_header,
)
from kitstation.simulator.android.requests import LOSE_ANSWER_AT, UNPLUG_AT
from kitstation.simulator.android.sync import ExactReader, StreamClosed, serve_sync

if TYPE_CHECKING:
    from kitstation.simulator.android.device import SimulatedGalaxy

log = logging.getLogger(__name__)

FEATURES = "shell_v2,cmd"

# Where the simulated phones sit: bus 3 (apart from the simulated iPhones' bus 1), a 7-port hub on
# each root port (hub 3-1 on root port 1, 3-2 on port 2, …), phones on ports 1–7.
USB_BUS, PORTS_PER_HUB = 3, 7


def usb_path_for(index: int) -> str:
    """The USB device path (``bus-rootport.hubport``) of plug index ``index``, in adb's ``usb:`` form.

    Real adb lists a USB phone as ``usb:<bus>-<port>.<port>…`` (libusb port numbers from the root
    hub down, ``client/usb_libusb.cpp``); the same index gives the same path on every re-plug.
    """
    hub, port = divmod(index, PORTS_PER_HUB)
    return f"{USB_BUS}-{hub + 1}.{port + 1}"

# shell v2 packet ids (adb's shell_protocol.h)
_V2_STDIN, _V2_STDOUT, _V2_STDERR, _V2_EXIT, _V2_CLOSE_STDIN = 0, 1, 2, 3, 4


class _Stream:
    """One adb stream on a connection: our ``local_id``, the host's ``remote_id``."""

    def __init__(self, conn: _Connection, local_id: int, remote_id: int, number: int = 0) -> None:
        self.conn = conn
        self.local_id = local_id
        self.remote_id = remote_id
        self.closed = False
        self.number = number  # the device's request number (requests.py)
        self._okay = asyncio.Event()
        self._incoming: asyncio.Queue[bytes | None] = asyncio.Queue()

    # host → us
    def on_data(self, data: bytes) -> None:
        self._incoming.put_nowait(data)

    def on_okay(self) -> None:
        self._okay.set()

    def on_close(self) -> None:
        self.closed = True
        self._okay.set()
        self._incoming.put_nowait(None)

    async def read(self) -> bytes | None:
        """The next WRTE payload, acknowledged now that we consumed it; None once closed."""
        data = await self._incoming.get()
        if data is None:
            self._incoming.put_nowait(None)  # later readers see the close too
            return None
        if not self.closed:
            self.conn.send(Message(A_OKAY, self.local_id, self.remote_id))
        return data

    async def write(self, data: bytes) -> None:
        """Send ``data`` as WRTEs, waiting for the host's OKAY after each (no delayed_ack)."""
        size = self.conn.max_payload
        for off in range(0, len(data), size):
            if self.closed:
                raise StreamClosed
            self._okay.clear()
            self.conn.send(Message(A_WRTE, self.local_id, self.remote_id, data[off : off + size]))
            await self._okay.wait()
        if self.closed:
            raise StreamClosed

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.conn.send(Message(A_CLSE, self.local_id, self.remote_id))
        self.conn.streams.pop(self.local_id, None)


class _Connection:
    """One TCP connection from the adb server: auth, then streams."""

    def __init__(self, server: DeviceServer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.server = server
        self.device = server.device
        self.reader = reader
        self.writer = writer
        self.streams: dict[int, _Stream] = {}
        self.next_id = 1
        self.max_payload = 4096
        self.online = False
        self.awaiting_user = False  # the host sent its public key; the dialog is on screen
        self.tasks: set[asyncio.Task[None]] = set()

    def send(self, msg: Message) -> None:
        if not self.writer.is_closing():
            self.writer.write(msg.encode())

    def close(self) -> None:
        for s in list(self.streams.values()):
            s.on_close()
        self.streams.clear()
        for t in list(self.tasks):
            t.cancel()
        with contextlib.suppress(Exception):
            self.writer.close()

    def go_online(self) -> None:
        if self.online or self.writer.is_closing():
            return
        self.online = True
        self.awaiting_user = False
        self.send(Message(A_CNXN, A_VERSION, MAX_PAYLOAD, self.device.banner(FEATURES)))

    def _send_token(self) -> None:
        self.send(Message(A_AUTH, AUTH_TOKEN, 0, os.urandom(20)))

    async def run(self) -> None:
        try:
            while True:
                raw = await self.reader.readexactly(HEADER.size)
                command, arg0, arg1, length = decode_header(raw)
                data = await self.reader.readexactly(length) if length else b""
                self._dispatch(command, arg0, arg1, data)
                await self.writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ProtocolError, OSError):
            pass
        finally:
            self.close()
            self.server.connections.discard(self)

    def _dispatch(self, command: int, arg0: int, arg1: int, data: bytes) -> None:
        if command == A_CNXN:
            # The host (re)starts the session: streams from an earlier session are gone.
            for s in list(self.streams.values()):
                s.on_close()
            self.streams.clear()
            self.online = False
            self.max_payload = max(4096, min(arg1, MAX_PAYLOAD))
            # ro.adb.secure=1: always challenge; whether we answer with CNXN is the device's call.
            self._send_token()
        elif command == A_AUTH:
            if self.online:
                return
            if arg0 == AUTH_SIGNATURE:
                # We do not verify the signature: "authorized" stands for "this host's key is in
                # adb_keys". Unauthorized devices ask for the next key until the host sends its
                # public key, which leaves the "Allow USB debugging?" dialog waiting.
                if self.device.authorized:
                    self.go_online()
                else:
                    self._send_token()
            elif arg0 == AUTH_RSAPUBLICKEY:
                if self.device.authorized:
                    self.go_online()
                else:
                    self.awaiting_user = True
        elif not self.online:
            return  # streams before CNXN are not allowed; adbd ignores them
        elif command == A_OPEN:
            self._open(arg0, data.rstrip(b"\0").decode(errors="replace"))
        elif command == A_WRTE:
            target = self.streams.get(arg1)
            if target is not None:
                target.on_data(data)
        elif command == A_OKAY:
            target = self.streams.get(arg1)
            if target is not None:
                target.on_okay()
        elif command == A_CLSE:
            target = self.streams.pop(arg1, None)
            if target is not None:
                target.on_close()

    def _open(self, remote_id: int, service: str) -> None:
        handler = self.server.handler_for(service)
        if handler is None:
            self.send(Message(A_CLSE, 0, remote_id))
            return
        number = self.device.requests.opened(service)
        if self.device.requests.take(UNPLUG_AT, number):
            self.server.spawn(self.server.pull_cable())  # never answered: the host sees the link go
            return
        local_id = self.next_id
        self.next_id += 1
        stream = _Stream(self, local_id, remote_id, number)
        self.streams[local_id] = stream
        self.send(Message(A_OKAY, local_id, remote_id))

        async def serve() -> None:
            try:
                await handler(stream)
            except (StreamClosed, ConnectionError):
                pass
            finally:
                stream.close()

        task = asyncio.get_running_loop().create_task(serve())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)


class DeviceServer:
    """The listening side of one simulated device; keeps its port across unplug/replug/reboot."""

    def __init__(self, device: SimulatedGalaxy, loop: asyncio.AbstractEventLoop) -> None:
        self.device = device
        self.loop = loop
        self.port = 0
        # The phone's USB device path: the simulated bench reaches the adb server over TCP
        # (``adb connect``), for which adb lists no ``usb:``, so the simulator says where the
        # phone's cable is (docs/FIDELITY.md A50).
        self.usb_path = usb_path_for(device.index)
        self.connections: set[_Connection] = set()
        self._server: asyncio.Server | None = None
        self._background: set[asyncio.Task[None]] = set()
        # Called (in an executor thread) to detach/attach the device at the adb server.
        self.detach: Callable[[], None] = lambda: None
        self.attach: Callable[[], None] = lambda: None
        device.server = self

    @property
    def listening(self) -> bool:
        return self._server is not None

    async def listen(self, port: int = 0) -> int:
        if self._server is None:
            self._server = await asyncio.start_server(self._accept, "127.0.0.1", port or self.port or 0)
            self.port = int(self._server.sockets[0].getsockname()[1])
        return self.port

    async def close_listener(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    async def drop_connections(self) -> None:
        for c in list(self.connections):
            c.close()
        self.connections.clear()

    async def shutdown(self) -> None:
        for t in list(self._background):
            t.cancel()
        await self.close_listener()
        await self.drop_connections()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = _Connection(self, reader, writer)
        self.connections.add(conn)
        await conn.run()

    # ---------------------------------------------------------------- thread-safe controls

    def notify_authorized(self) -> None:
        def release() -> None:
            for c in list(self.connections):
                if c.awaiting_user or not c.online:
                    c.go_online()

        self.loop.call_soon_threadsafe(release)

    def schedule_reboot(self) -> None:
        self.loop.call_soon_threadsafe(self.spawn, self.power_cycle(self._boot_seconds(), count=True))

    def spawn(self, coro: Awaitable[None]) -> None:
        async def wrap() -> None:
            await coro

        task = self.loop.create_task(wrap())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _boot_seconds(self) -> float:
        from kitstation.simulator.android.device import BOOT_SECONDS

        return BOOT_SECONDS / self.device.speed

    async def power_cycle(self, down_seconds: float, *, count: bool) -> None:
        """The device leaves the bus (reboot, re-seated cable) and comes back ``down_seconds`` later."""
        loop = asyncio.get_running_loop()
        if count:
            with self.device._lock:
                self.device.reboot_count += 1
        # Detach first so the server does not sit in its reconnect loop showing "offline".
        await loop.run_in_executor(None, self.detach)
        await self.close_listener()
        await self.drop_connections()
        await asyncio.sleep(down_seconds)
        try:
            if not self.device.plugged or not self.device.adb_enabled or self.listening:
                return  # unplugged meanwhile, or USB debugging is off (after a wipe): not on adb
            await self.listen(self.port)
            await loop.run_in_executor(None, self.attach)
        finally:
            self.device.booting = False

    async def pull_cable(self) -> None:
        """The cable comes out (a fault at a request): ``AndroidSimulator.unplug`` from this loop."""
        self.device.cable_settled.clear()  # replug() waits: a cable cannot go back while coming out
        try:
            self.device.plugged = False
            await asyncio.get_running_loop().run_in_executor(None, self.detach)
            await self.close_listener()
            await self.drop_connections()
        finally:
            self.device.cable_settled.set()

    def schedule_attach(self) -> None:
        """USB debugging turned on while plugged: the adb server sees the device again."""

        async def come_back() -> None:
            # While it is still booting, power_cycle brings it back itself (it sees adb enabled).
            if self.device.plugged and not self.device.booting and not self.listening:
                await self.listen(self.port)
                await asyncio.get_running_loop().run_in_executor(None, self.attach)

        self.loop.call_soon_threadsafe(self.spawn, come_back())

    # ---------------------------------------------------------------- services

    def handler_for(self, service: str) -> Callable[[_Stream], Awaitable[None]] | None:
        name, _, rest = service.partition(":")
        base, *opts = name.split(",")
        if base == "shell":
            v2 = "v2" in opts
            return lambda s: self._shell(s, rest, v2)
        if base == "exec":
            return lambda s: self._exec(s, rest)
        if service == "sync:":
            return self._sync
        if base == "reboot":
            return self._reboot
        if base in ("root", "unroot", "remount"):
            return lambda s: s.write(b"adbd cannot run as root in production builds\n")
        return None

    async def _run(
        self, stream: _Stream, command: str, stdin: bytes = b"", *, merged: bool = False
    ) -> tuple[bytes, bytes, int, str | None] | None:
        """Run a command line; on a simulated cable drop, re-seat the device and return None."""
        from kitstation.simulator.android.device import RESEAT_SECONDS, ConnectionDrop

        try:
            r = await self.device.run_shell(command, stdin)
        except ConnectionDrop:
            self.device.booting = True
            self.spawn(self.power_cycle(RESEAT_SECONDS / self.device.speed, count=False))
            raise StreamClosed from None
        if self.device.requests.take(LOSE_ANSWER_AT, stream.number):
            await self.pull_cable()  # carried out; the cable is out before the answer leaves
            raise StreamClosed
        if r.action:
            # Flag it before the answer leaves, so a caller that waits for the device to come
            # back never sees the old, still-attached connection as "ready".
            self.device.booting = True
        if merged:
            return r.output, b"", r.code, r.action
        return r.stdout, r.stderr, r.code, r.action

    def _after(self, action: str | None) -> None:
        if action == "reboot":
            self.device.reboot()
        elif action == "factory-reset":
            self.device.factory_reset()

    async def _shell(self, stream: _Stream, command: str, v2: bool) -> None:
        if not command.strip():
            await self._interactive(stream, v2)
            return
        drain = None
        if v2:
            # The host may send stdin / close-stdin packets; consume (and so acknowledge) them.
            async def drain_stdin() -> None:
                while await stream.read() is not None:
                    pass

            drain = asyncio.get_running_loop().create_task(drain_stdin())
        try:
            result = await self._run(stream, command, merged=not v2)
            if result is None:
                return
            out, err, code, action = result
            if v2:
                payload = b""
                if out:
                    payload += struct.pack("<BI", _V2_STDOUT, len(out)) + out
                if err:
                    payload += struct.pack("<BI", _V2_STDERR, len(err)) + err
                payload += struct.pack("<BIB", _V2_EXIT, 1, code)
                await stream.write(payload)
            else:
                await stream.write(out + err)
            stream.close()
            self._after(action)
        finally:
            if drain is not None:
                drain.cancel()

    async def _interactive(self, stream: _Stream, v2: bool) -> None:
        """A minimal line-by-line interactive shell (``adb shell`` with no command)."""
        prompt = f"{self.device.catalog.device}:/ $ ".encode()
        await (stream.write(struct.pack("<BI", _V2_STDOUT, len(prompt)) + prompt) if v2 else stream.write(prompt))
        buf = bytearray()
        reader = ExactReader(stream)
        while True:
            if v2:
                head = await reader.exactly(5)
                kind, n = head[0], struct.unpack("<I", head[1:])[0]
                data = await reader.exactly(n) if n else b""
                if kind == _V2_CLOSE_STDIN:
                    break
                if kind != _V2_STDIN:
                    continue
            else:
                chunk = await stream.read()
                if chunk is None:
                    return
                data = chunk
            buf.extend(data)
            while b"\n" in buf:
                line, _, rest = bytes(buf).partition(b"\n")
                buf = bytearray(rest)
                text = line.decode(errors="replace").strip()
                if text == "exit":
                    if v2:
                        await stream.write(struct.pack("<BIB", _V2_EXIT, 1, 0))
                    return
                result = await self._run(stream, text, merged=True) if text else (b"", b"", 0, None)
                if result is None:
                    return
                out, err, _code, action = result
                body = out + err + prompt
                await (stream.write(struct.pack("<BI", _V2_STDOUT, len(body)) + body) if v2 else stream.write(body))
                self._after(action)
        if v2:
            await stream.write(struct.pack("<BIB", _V2_EXIT, 1, 0))

    async def _exec(self, stream: _Stream, command: str) -> None:
        stdin = b""
        try:
            argv = shlex.split(command)
        except ValueError:
            argv = []
        streamed_write = "install-write" in argv and argv[-1:] == ["-"]
        if ("install" in argv or streamed_write) and "-S" in argv:
            # Streamed install (``install -S`` or a session's ``install-write -S SIZE N NAME -``):
            # adb sends exactly SIZE bytes of APK after our OKAY.
            i = argv.index("-S")
            size = int(argv[i + 1]) if i + 1 < len(argv) and argv[i + 1].isdigit() else 0
            reader = ExactReader(stream)
            half = size // 2
            first = await reader.exactly(half)
            if self.device._take_fault("offline-mid-install") is not None:
                self.device.booting = True
                from kitstation.simulator.android.device import RESEAT_SECONDS

                self.spawn(self.power_cycle(RESEAT_SECONDS / self.device.speed, count=False))
                return
            stdin = first + await reader.exactly(size - half)
        result = await self._run(stream, command, stdin)
        if result is None:
            return
        out, _err, _code, action = result
        # exec: has no stderr channel and no exit status; stdout only, as adbd's raw exec does.
        await stream.write(out)
        stream.close()
        self._after(action)

    async def _reboot(self, stream: _Stream) -> None:
        self.device.booting = True  # before the answer, as in _run
        stream.close()
        self.device.reboot()

    async def _sync(self, stream: _Stream) -> None:
        await serve_sync(self.device, ExactReader(stream), stream)
