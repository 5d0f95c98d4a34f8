"""The simulated adbd's ``sync:`` service (STAT, LIST, SEND, RECV, QUIT; v1 only) and its exact-size stream reader.

Requests are an 8-byte header (4-byte id, little-endian length) and a path; SEND streams DATA
chunks then DONE with the mtime; RECV answers DATA chunks of at most 64 KiB then DONE; errors are
FAIL with a message, as adbd words them.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kitstation.simulator.android.device import SimulatedGalaxy

SYNC_DATA_MAX = 64 * 1024


class StreamClosed(Exception):
    """The host closed the stream (or the whole connection went away)."""


class _Readable(Protocol):
    async def read(self) -> bytes | None: ...


class ExactReader:
    """Byte-stream view of a stream's incoming WRTEs (sync and exec install read exact sizes)."""

    def __init__(self, stream: _Readable) -> None:
        self.stream = stream
        self.buf = bytearray()

    async def exactly(self, n: int) -> bytes:
        while len(self.buf) < n:
            chunk = await self.stream.read()
            if chunk is None:
                raise StreamClosed
            self.buf.extend(chunk)
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out


class ByteReader(Protocol):
    """Reads exactly ``n`` bytes of a stream's incoming data."""

    async def exactly(self, n: int) -> bytes: ...


class ByteWriter(Protocol):
    """Writes bytes to the host side of a stream."""

    async def write(self, data: bytes) -> None: ...


async def serve_sync(dev: SimulatedGalaxy, reader: ByteReader, stream: ByteWriter) -> None:
    """Serve one ``sync:`` stream until QUIT (or a request it cannot serve)."""
    while True:
        head = await reader.exactly(8)
        ident, length = head[:4], struct.unpack("<I", head[4:])[0]
        if ident == b"QUIT":
            return
        arg = (await reader.exactly(length)).decode(errors="replace") if length else ""
        if ident == b"STAT":
            st = dev.stat(arg) or (0, 0, 0)
            await stream.write(b"STAT" + struct.pack("<III", st[0], st[1] & 0xFFFFFFFF, st[2]))
        elif ident == b"LIST":
            out = bytearray()
            for name, mode, size, mtime in dev.listdir(arg) or []:
                raw = name.encode()
                out += b"DENT" + struct.pack("<IIII", mode, size & 0xFFFFFFFF, mtime, len(raw)) + raw
            out += b"DONE" + bytes(16)
            await stream.write(bytes(out))
        elif ident == b"SEND":
            path, _, mode_text = arg.rpartition(",")
            if not path:
                path, mode_text = arg, "33188"
            data = bytearray()
            mtime = 0
            while True:
                h = await reader.exactly(8)
                kind, n = h[:4], struct.unpack("<I", h[4:])[0]
                if kind == b"DATA":
                    data += await reader.exactly(n)
                elif kind == b"DONE":
                    mtime = n
                    break
                else:
                    await _sync_fail(stream, "invalid data message")
                    return
            mode = int(mode_text) if mode_text.isdigit() else 0o644
            error = dev.write_file(path, bytes(data), mode, mtime or None)
            if error:
                await _sync_fail(stream, error)
            else:
                await stream.write(b"OKAY" + bytes(4))
        elif ident == b"RECV":
            content = dev.read_file(arg)
            if content is None:
                await _sync_fail(
                    stream, "No such file or directory" if dev.stat(arg) is None else "Is a directory"
                )
                continue
            out = bytearray()
            for off in range(0, len(content), SYNC_DATA_MAX):
                piece = content[off : off + SYNC_DATA_MAX]
                out += b"DATA" + struct.pack("<I", len(piece)) + piece
            out += b"DONE" + bytes(4)
            await stream.write(bytes(out))
        else:
            await _sync_fail(stream, f"unknown sync request {ident!r}")
            return

async def _sync_fail(stream: ByteWriter, message: str) -> None:
    raw = message.encode()
    await stream.write(b"FAIL" + struct.pack("<I", len(raw)) + raw)
