"""Where the station keeps its files: the user's data directory (platformdirs), overridable."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir, user_log_dir

APP = "KitStation"


def data_dir() -> Path:
    """The station's data directory (log database, identities, APK cache); created on demand."""
    override = os.environ.get("KITSTATION_DATA_DIR")
    path = Path(override) if override else Path(user_data_dir(APP, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    override = os.environ.get("KITSTATION_CONFIG_DIR")
    path = Path(override) if override else Path(user_config_dir(APP, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    """Where diagnostic logs (tracebacks the GUI never shows) are written."""
    override = os.environ.get("KITSTATION_LOG_DIR")
    path = Path(override) if override else Path(user_log_dir(APP, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Replace ``path`` with ``data`` all at once: a crash leaves the old file or the new, never half.

    The bytes go to a temporary file in the same folder (created with ``mode``, so a key is never
    readable by others even for a moment), are flushed to disk, and the file is renamed over
    ``path``; the folder is flushed too so the rename survives a power cut.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    os.close(fd)
    os.chmod(tmp, mode)  # the umask may have narrowed it; never widen beyond ``mode``
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder: the rename is what it offers
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only (keys, identities), atomically."""
    write_atomic(path, data, 0o600)
