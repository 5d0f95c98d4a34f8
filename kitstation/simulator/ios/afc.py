"""The simulated ``com.apple.afc`` service: the device's media folder, enough to stage an ``.ipa``.

AFC (Apple File Connection) is a binary protocol, not property lists: every packet is a 40-byte
little-endian header (magic ``CFA6LPAA``, entire length, header+fixed-arguments length, packet
number, operation) and a payload; the device answers each packet with the same packet number and
a ``STATUS`` (a u64 AfcError), ``DATA`` or ``FILE_OPEN_RES`` (a u64 handle) packet. The jail is
``/var/mobile/Media``: ``/PublicStaging/x.ipa`` and ``PublicStaging/x.ipa`` name the same file.
pymobiledevice3 ``services/afc.py`` and libimobiledevice ``src/afc.c`` are the public clients.

Implemented: MakeDir (with parents), FileRefOpen / Write / Read / Close, GetFileInfo, ReadDir,
RemovePath (a non-empty folder is refused), GetDeviceInfo. Anything else answers
``OP_NOT_SUPPORTED``. The ``disk-full`` fault makes writes answer ``NO_SPACE_LEFT``; every write
is a step (``afc-write``) so ``unplug-at=afc-write`` pulls the cable mid-upload.
"""

from __future__ import annotations

import asyncio
import posixpath
import struct
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kitstation.simulator.ios.device import SimulatedIOSDevice

AFC_SERVICE = "com.apple.afc"
MAGIC = b"CFA6LPAA"
HEADER = struct.Struct("<8sQQQQ")

# Operations (pymobiledevice3 AfcOpcode, libimobiledevice afc.h).
OP_STATUS, OP_DATA, OP_READ_DIR = 0x01, 0x02, 0x03
OP_REMOVE_PATH, OP_MAKE_DIR, OP_GET_FILE_INFO, OP_GET_DEVINFO = 0x08, 0x09, 0x0A, 0x0B
OP_FILE_OPEN, OP_FILE_OPEN_RES, OP_READ, OP_WRITE, OP_FILE_CLOSE = 0x0D, 0x0E, 0x0F, 0x10, 0x14
# Status codes (AfcError).
SUCCESS, INVALID_ARG, OBJECT_NOT_FOUND, OBJECT_IS_DIR = 0, 7, 8, 9
OP_NOT_SUPPORTED, OBJECT_EXISTS, NO_SPACE_LEFT, DIR_NOT_EMPTY = 15, 16, 18, 33
# Open modes that write (w, w+, a, a+, r+); r (1) only reads.
_WRITE_MODES = {2, 3, 4, 5, 6}
_TRUNCATE_MODES = {3, 4}
MAX_PACKET = 256 * 1024 * 1024


@dataclass
class MediaFS:
    """The media partition as AFC sees it: folders and files by normalised absolute path."""

    dirs: set[str] = field(default_factory=lambda: {"/", "/DCIM", "/Downloads"})
    files: dict[str, bytearray] = field(default_factory=dict)
    mtimes: dict[str, int] = field(default_factory=dict)

    @staticmethod
    def norm(path: str) -> str:
        return posixpath.normpath("/" + path.strip("\x00")).replace("//", "/")

    def read(self, path: str) -> bytes | None:
        """A staged file's bytes (what installd reads), or None."""
        data = self.files.get(self.norm(path))
        return bytes(data) if data is not None else None


@dataclass
class _Handle:
    path: str
    writable: bool
    pos: int = 0


async def serve_afc(dev: SimulatedIOSDevice, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    handles: dict[int, _Handle] = {}
    next_handle = 1
    while True:
        try:
            head = await reader.readexactly(HEADER.size)
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        magic, entire, _this, packet_num, op = HEADER.unpack(head)
        if magic != MAGIC or entire < HEADER.size or entire > MAX_PACKET:
            return  # not AFC: a real device closes the connection
        try:
            payload = await reader.readexactly(entire - HEADER.size)
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        fs = dev.app_state.media
        reply_op, body = OP_STATUS, struct.pack("<Q", SUCCESS)
        if op == OP_MAKE_DIR:
            await dev.step("afc")
            path = fs.norm(_cstring(payload))
            if path in fs.files:
                body = struct.pack("<Q", OBJECT_EXISTS)
            else:
                while path not in fs.dirs:
                    fs.dirs.add(path)
                    path = posixpath.dirname(path)
        elif op == OP_FILE_OPEN:
            await dev.step("afc")
            (mode,) = struct.unpack_from("<Q", payload)
            path = fs.norm(_cstring(payload[8:]))
            status = _open(fs, path, mode)
            if status != SUCCESS:
                body = struct.pack("<Q", status)
            else:
                handles[next_handle] = _Handle(path, mode in _WRITE_MODES)
                reply_op, body = OP_FILE_OPEN_RES, struct.pack("<Q", next_handle)
                next_handle += 1
        elif op == OP_WRITE:
            await dev.step("afc-write")
            (num,) = struct.unpack_from("<Q", payload)
            h = handles.get(num)
            if h is None or not h.writable:
                body = struct.pack("<Q", INVALID_ARG)
            elif dev.has_fault("disk-full"):
                body = struct.pack("<Q", NO_SPACE_LEFT)
            else:
                data = payload[8:]
                buf = fs.files[h.path]
                buf[h.pos : h.pos + len(data)] = data
                h.pos += len(data)
                fs.mtimes[h.path] = time.time_ns()
        elif op == OP_READ:
            num, size = struct.unpack_from("<QQ", payload)
            h = handles.get(num)
            if h is None:
                body = struct.pack("<Q", INVALID_ARG)
            else:
                chunk = bytes(fs.files.get(h.path, b"")[h.pos : h.pos + size])
                h.pos += len(chunk)
                reply_op, body = OP_DATA, chunk
        elif op == OP_FILE_CLOSE:
            (num,) = struct.unpack_from("<Q", payload)
            if handles.pop(num, None) is None:
                body = struct.pack("<Q", INVALID_ARG)
        elif op == OP_GET_FILE_INFO:
            reply_op, body = _info(fs, fs.norm(_cstring(payload)))
        elif op == OP_READ_DIR:
            path = fs.norm(_cstring(payload))
            if path not in fs.dirs:
                body = struct.pack("<Q", OBJECT_NOT_FOUND if path not in fs.files else INVALID_ARG)
            else:
                names = [".", ".."] + sorted(
                    posixpath.basename(p) for p in (*fs.dirs, *fs.files) if p != path and posixpath.dirname(p) == path
                )
                reply_op, body = OP_DATA, b"".join(n.encode() + b"\x00" for n in names)
        elif op == OP_REMOVE_PATH:
            await dev.step("afc")
            body = struct.pack("<Q", _remove(fs, fs.norm(_cstring(payload))))
        elif op == OP_GET_DEVINFO:
            used = sum(len(b) for b in fs.files.values())
            info = {"Model": dev.product_type, "FSTotalBytes": "128000000000", "FSBlockSize": "4096"}
            info["FSFreeBytes"] = "0" if dev.has_fault("disk-full") else str(110_000_000_000 - used)
            reply_op, body = OP_DATA, b"".join(k.encode() + b"\x00" + v.encode() + b"\x00" for k, v in info.items())
        else:
            body = struct.pack("<Q", OP_NOT_SUPPORTED)
        size = HEADER.size + len(body)
        writer.write(HEADER.pack(MAGIC, size, size, packet_num, reply_op) + body)
        await writer.drain()


def _cstring(data: bytes) -> str:
    return data.split(b"\x00", 1)[0].decode("utf-8", "replace")


def _open(fs: MediaFS, path: str, mode: int) -> int:
    if path in fs.dirs:
        return OBJECT_IS_DIR
    if path not in fs.files:
        if mode not in _WRITE_MODES:
            return OBJECT_NOT_FOUND
        if posixpath.dirname(path) not in fs.dirs:
            return OBJECT_NOT_FOUND  # no parent folder: fopen does not create folders
        fs.files[path] = bytearray()
        fs.mtimes[path] = time.time_ns()
    elif mode in _TRUNCATE_MODES:
        fs.files[path] = bytearray()
    return SUCCESS


def _info(fs: MediaFS, path: str) -> tuple[int, bytes]:
    if path in fs.dirs:
        kind, size = "S_IFDIR", 0
    elif path in fs.files:
        kind, size = "S_IFREG", len(fs.files[path])
    else:
        return OP_STATUS, struct.pack("<Q", OBJECT_NOT_FOUND)
    stamp = str(fs.mtimes.get(path, 0))
    fields = {
        "st_size": str(size),
        "st_blocks": str((size + 511) // 512),
        "st_nlink": "1",
        "st_ifmt": kind,
        "st_mtime": stamp,
        "st_birthtime": stamp,
    }
    return OP_DATA, b"".join(k.encode() + b"\x00" + v.encode() + b"\x00" for k, v in fields.items())


def _remove(fs: MediaFS, path: str) -> int:
    if path in fs.files:
        del fs.files[path]
        fs.mtimes.pop(path, None)
        return SUCCESS
    if path in fs.dirs and path != "/":
        if any(posixpath.dirname(p) == path for p in (*fs.dirs, *fs.files) if p != path):
            return DIR_NOT_EMPTY
        fs.dirs.discard(path)
        return SUCCESS
    return OBJECT_NOT_FOUND
