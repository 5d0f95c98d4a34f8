"""Writing the station's own files atomically: a crash or power cut never leaves a half-written file.

Every file the station writes (pair records, identities, settings, reports) goes through
:func:`write_atomic`: the bytes go to a temporary file in the same folder, are flushed to disk
(fsync), then renamed over the target, and the folder is fsynced so the rename itself survives.
Readers see the old file or the new one, never a truncated or 0-byte one (a 0-byte pair record
once failed a bench slot on every later run).

This module is at the bottom of the package: it knows nothing of devices, blueprints or Qt.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no directory handles to fsync)."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows stations only
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path | str, data: bytes | str, *, mode: int = 0o644, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``data`` all at once (temp file in the same folder, fsync, rename).

    ``mode`` is set on the temporary file before any byte is written, so a private file (0o600:
    keys, identities, pair records) is never readable by others, not even for a moment.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode(encoding) if isinstance(data, str) else data
    # mkstemp creates the file 0o600 and O_EXCL: no other process can have it open.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            if sys.platform != "win32":
                os.fchmod(fh.fileno(), mode)
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if sys.platform == "win32":  # pragma: no cover - mkstemp's 0o600 is all Windows honours
        os.chmod(target, mode)
    _fsync_dir(target.parent)


def write_text_atomic(path: Path | str, text: str, *, mode: int = 0o644) -> None:
    """:func:`write_atomic` for text (UTF-8), e.g. settings and blueprints."""
    write_atomic(path, text, mode=mode)


__all__ = ["write_atomic", "write_text_atomic"]
