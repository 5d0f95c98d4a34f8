"""Where the station keeps its files: the user's data directory (platformdirs), overridable."""

from __future__ import annotations

import os
import stat
from importlib.resources import files
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir, user_log_dir

from kitstation.files import write_atomic

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


def resource(*parts: str) -> Path:
    """A file or folder shipped in the package's ``kitstation/data`` (examples, translations, icons).

    Found with importlib.resources, so it is the same in a checkout, an installed wheel and a
    PyInstaller bundle; never written to at run time (an install directory may be read-only).
    """
    found = files("kitstation").joinpath("data", *parts)
    if not isinstance(found, Path):  # pragma: no cover - only a zipped install would do this
        raise RuntimeError(f"kitstation's package data must be installed as files, not in an archive: {found}")
    return found


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only (keys, identities), never world-readable; atomically."""
    write_atomic(path, data, mode=0o600)


def private_dir(path: Path) -> Path:
    """A folder only its owner may enter (0700), created on demand; credentials live in such folders."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path



def credentials_dir() -> Path:
    """Where per-customer API credentials are kept: an owner-only folder in the data dir, outside the log."""
    return private_dir(data_dir() / "credentials")


def repair_owner_only(root: Path | None = None) -> list[Path]:
    """Make every file under ``root`` (default: the data directory) 0600 and every folder 0700.

    The data directory holds pair records, supervision keys and credentials; a copy restored from a
    backup, an older version or a hand-made folder may have left them readable by others. Returns
    the paths whose mode was tightened (the caller warns about them); symlinks are not followed.
    """
    top = root if root is not None else data_dir()
    repaired: list[Path] = []
    if not top.is_dir():
        return repaired
    for folder, dirs, names in os.walk(top):
        for name, want in [(d, 0o700) for d in dirs] + [(n, 0o600) for n in names] + [("", 0o700)]:
            path = Path(folder) / name if name else Path(folder)
            try:
                st = path.lstat()
            except OSError:
                continue
            if path.is_symlink() or st.st_mode & 0o077 == 0:
                continue
            try:
                os.chmod(path, (stat.S_IMODE(st.st_mode) & 0o700) | want)
            except OSError:
                continue
            repaired.append(path)
    return sorted(set(repaired))
