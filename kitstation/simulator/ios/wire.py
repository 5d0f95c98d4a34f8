"""Framing shared by lockdownd and its services: a 4-byte big-endian length, then a plist.

Clients send XML (pymobiledevice3) or binary plists (some libimobiledevice builds); the device
answers in XML as a real lockdownd does.
"""

from __future__ import annotations

import asyncio
import plistlib
import ssl
import struct
from typing import Any

# A lockdown or MCInstall message is at most a few megabytes (a profile with certificates);
# anything larger means the peer is not speaking this protocol.
MAX_MESSAGE = 64 * 1024 * 1024


async def read_plist(reader: asyncio.StreamReader) -> dict[str, Any] | None:
    """The next message, or None when the peer closed the connection."""
    try:
        header = await reader.readexactly(4)
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    (length,) = struct.unpack(">I", header)
    if length > MAX_MESSAGE:
        raise ValueError(f"message of {length} bytes")
    try:
        body = await reader.readexactly(length)
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    value = plistlib.loads(body)
    if not isinstance(value, dict):
        raise ValueError("message is not a dictionary")
    return value


def encode_plist(message: dict[str, Any]) -> bytes:
    """``message`` framed for the wire."""
    body = plistlib.dumps(message, fmt=plistlib.FMT_XML, sort_keys=False)
    return struct.pack(">I", len(body)) + body


async def write_plist(writer: asyncio.StreamWriter, message: dict[str, Any]) -> None:
    """Send ``message`` and wait until the transport has taken it."""
    writer.write(encode_plist(message))
    await writer.drain()


async def start_tls_server(writer: asyncio.StreamWriter, context: ssl.SSLContext) -> bool:
    """Wrap the device's side of a connection in TLS; False when the host went away in the handshake.

    CPython 3.11+: a host that aborts during the handshake (an unplug) leaves ``StreamWriter.start_tls``
    storing a None transport, and the writer's ``__del__`` then raises ("NoneType has no
    is_closing") whenever the GC finds it, in some later test. The dead plain transport is put back
    so the writer closes quietly.
    """
    plain = writer.transport
    try:
        await writer.start_tls(context)
    finally:
        if getattr(writer, "_transport", plain) is None:
            writer._transport = plain  # type: ignore[attr-defined]
            plain.abort()
            return False  # noqa: B012 - the handshake's own error is the lost host: nothing to report
    return True
