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


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only (keys, identities), never world-readable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    os.chmod(path, 0o600)


def private_dir(path: Path) -> Path:
    """A folder only its owner may enter (0700), created on demand; credentials live in such folders."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def write_private_atomic(path: Path, data: bytes) -> None:
    """Write an owner-only (0600) file atomically: temp file in the same folder, fsync, rename.

    A crash leaves either the old file or the new one, never half a key.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    try:  # the rename itself survives a power cut only once the folder is synced
        dfd = os.open(path.parent, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows cannot open folders
        return
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def credentials_dir() -> Path:
    """Where per-customer API credentials are kept: an owner-only folder in the data dir, outside the log."""
    return private_dir(data_dir() / "credentials")
