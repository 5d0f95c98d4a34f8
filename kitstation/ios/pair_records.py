"""Pair records are written atomically (temp file, fsync, rename) and readable by the station only.

pymobiledevice3 saves a pair record itself, at the end of pairing, in
``LockdownClient.save_pair_record`` (``UsbmuxLockdownClient`` calls it and then hands the record to
usbmuxd) with a plain ``Path.write_bytes``: a crash or power cut in between leaves a truncated
or 0-byte ``<UDID>.plist``, which pymobiledevice3 then fails to parse on every later connection to
that device (the slot failed on every run until the file was deleted by hand). The record holds
the host's private key, yet ``write_bytes`` leaves it world-readable under the usual umask.

Importing this module (``kitstation.ios.connect`` does) replaces that one method with the same
steps written through :func:`kitstation.files.write_atomic` (mode 0600), keeping its hand-back of
the file to the invoking user under sudo. Everything else about pairing stays pymobiledevice3's.
"""

from __future__ import annotations

import plistlib
from typing import Any

from pymobiledevice3 import lockdown as _lockdown
from pymobiledevice3.safe_paths import device_file_path

from kitstation.files import write_atomic

PAIR_RECORD_MODE = 0o600


async def save_pair_record_atomically(self: Any) -> None:
    """``LockdownClient.save_pair_record``, but atomic and private."""
    if self.pairing_records_cache_folder is None or self.pair_record is None:
        raise ValueError("Cannot save a pairing record without a folder and a record")
    if self.identifier is None:
        raise ValueError("Cannot save a pairing record without a device identifier")
    path = device_file_path(self.pairing_records_cache_folder, self.identifier, ".plist")
    write_atomic(path, plistlib.dumps(self.pair_record), mode=PAIR_RECORD_MODE)
    _lockdown.OSUTIL.chown_to_non_sudo_if_needed(path)


def install() -> None:
    """Make pymobiledevice3 save pair records through :func:`save_pair_record_atomically` (idempotent)."""
    _lockdown.LockdownClient.save_pair_record = save_pair_record_atomically  # type: ignore[method-assign]


install()

__all__ = ["PAIR_RECORD_MODE", "install", "save_pair_record_atomically"]
