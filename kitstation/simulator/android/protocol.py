"""The adb transport wire format between the adb server and adbd (what one USB/TCP link carries).

A message is a 24-byte header of six little-endian uint32 — ``command, arg0, arg1, data_length,
data_check, magic`` (``magic = command ^ 0xFFFFFFFF``) — followed by ``data_length`` bytes.
``data_check`` is the byte sum of the payload; from protocol version 0x01000001 the receiver may skip
it, but we still fill it so an old server checking it is happy.

Streams: ``OPEN(local, 0, "service\\0")`` → ``OKAY(remote, local)``; each ``WRTE`` is answered by
``OKAY`` before the sender sends the next one (we do not advertise ``delayed_ack``); ``CLSE`` ends it.
Auth: device sends ``AUTH(TOKEN, 0, 20 random bytes)``; the host answers ``AUTH(SIGNATURE)`` per key,
then ``AUTH(RSAPUBLICKEY)`` once it has none left; the device sends ``CNXN`` when it trusts the key.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

A_SYNC = 0x434E5953
A_CNXN = 0x4E584E43
A_AUTH = 0x48545541
A_OPEN = 0x4E45504F
A_OKAY = 0x59414B4F
A_CLSE = 0x45534C43
A_WRTE = 0x45545257
A_STLS = 0x534C5453

AUTH_TOKEN = 1
AUTH_SIGNATURE = 2
AUTH_RSAPUBLICKEY = 3

A_VERSION = 0x01000001  # skips checksums; the server speaks it since 2017
MAX_PAYLOAD = 256 * 1024

HEADER = struct.Struct("<6I")

NAMES = {
    A_SYNC: "SYNC",
    A_CNXN: "CNXN",
    A_AUTH: "AUTH",
    A_OPEN: "OPEN",
    A_OKAY: "OKAY",
    A_CLSE: "CLSE",
    A_WRTE: "WRTE",
    A_STLS: "STLS",
}


@dataclass(frozen=True)
class Message:
    """One transport message."""

    command: int
    arg0: int
    arg1: int
    data: bytes = b""

    def encode(self) -> bytes:
        header = HEADER.pack(
            self.command,
            self.arg0,
            self.arg1,
            len(self.data),
            sum(self.data) & 0xFFFFFFFF,
            self.command ^ 0xFFFFFFFF,
        )
        return header + self.data

    def __repr__(self) -> str:
        name = NAMES.get(self.command, hex(self.command))
        return f"Message({name}, {self.arg0}, {self.arg1}, {self.data[:40]!r}{'...' if len(self.data) > 40 else ''})"


class ProtocolError(Exception):
    """The peer sent something that is not an adb transport message."""


def decode_header(raw: bytes) -> tuple[int, int, int, int]:
    """Return ``(command, arg0, arg1, data_length)``; raise on a bad magic."""
    command, arg0, arg1, length, _check, magic = HEADER.unpack(raw)
    if magic != command ^ 0xFFFFFFFF:
        raise ProtocolError(f"bad magic for command {command:#x}")
    if length > 16 * 1024 * 1024:
        raise ProtocolError(f"payload too large: {length}")
    return command, arg0, arg1, length
