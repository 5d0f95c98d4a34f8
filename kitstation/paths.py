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
