"""The station's GUI settings: a small JSON file in the config dir (never a secret).

JSON rather than QSettings so the CLI, support staff and tests can read it without Qt, and so the
file is the same on Windows, macOS and Linux (QSettings would use the registry on Windows).

A database URL typed with its password (``postgresql://kit:pw@host/log``) is saved without it
(``postgresql://kit@host/log``). The password is kept, when the ``keyring`` package and an OS
keyring are present, in that keyring; otherwise it comes, at load, from ``KITSTATION_DB_PASSWORD``
or -- as for every libpq client -- from ``PGPASSWORD`` / ``~/.pgpass``, which the driver reads
itself. The file is written owner-only (0600) all the same.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from kitstation import paths
from kitstation.files import write_atomic

log = logging.getLogger(__name__)

FILE_NAME = "gui-settings.json"
PASSWORD_ENV = "KITSTATION_DB_PASSWORD"
KEYRING_SERVICE = "KitStation database"


def split_password(url: str) -> tuple[str, str | None]:
    """``(url without its password, the password or None)``; a plain file path is returned as is."""
    if "://" not in url:
        return url, None
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return url, None
    if parsed.password is None:
        return url, None
    # URL.set(password=None) leaves the password as it was (None means "unchanged" there).
    bare = parsed._replace(password=None)
    return bare.render_as_string(hide_password=False), str(parsed.password)


def with_password(url: str, password: str) -> str:
    """``url`` with ``password`` put in (the in-memory form the log connects with)."""
    try:
        return make_url(url).set(password=password).render_as_string(hide_password=False)
    except (ArgumentError, ValueError):
        return url


def _keyring() -> Any:
    """The ``keyring`` module when installed (an optional extra), else None."""
    try:
        import keyring
    except ImportError:
        return None
    return keyring


def _keyring_get(url: str) -> str | None:
    kr = _keyring()
    if kr is None:
        return None
    try:
        value = kr.get_password(KEYRING_SERVICE, url)
    except Exception:  # no usable OS keyring backend: the environment or ~/.pgpass then
        return None
    return str(value) if value else None


def _keyring_set(url: str, password: str) -> bool:
    kr = _keyring()
    if kr is None:
        return False
    try:
        kr.set_password(KEYRING_SERVICE, url, password)
    except Exception:  # no usable OS keyring backend
        return False
    return True


@dataclass
class Settings:
    language: str = "system"  # "ja", "en" or "system"
    database: str = ""  # empty: the default SQLite file in the data dir
    technician: str = ""
    limits: dict[str, int] = field(default_factory=lambda: {"erase": 8, "apk_download": 4, "install": 8})
    max_ios: int = 28
    max_android: int = 32
    auto_apply: bool = True
    blueprint_ios: str = ""  # path of the chosen iOS blueprint
    blueprint_android: str = ""
    recent_blueprints: list[str] = field(default_factory=list)
    sounds: bool = True  # a beep when a device is done, fails or needs the technician
    notifications: bool = False  # a desktop notification for the same (off: the bench is on screen)

    @staticmethod
    def path() -> Path:
        return paths.config_dir() / FILE_NAME

    @classmethod
    def load(cls) -> Settings:
        p = cls.path()
        try:
            data: Any = json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            # A damaged settings file must not stop the station: start from defaults, say why in the log.
            log.warning("ignoring unreadable settings %s: %s", p, exc)
            return cls()
        if not isinstance(data, dict):
            return cls()
        known = {f.name for f in fields(cls)}
        settings = cls(**{k: v for k, v in data.items() if k in known})
        if isinstance(settings.database, str) and settings.database:
            stored, password = split_password(settings.database)
            if password is not None:
                # An older version saved it in clear: take it out of the file now.
                log.warning("the settings file held the database password; it is removed from the file")
                settings.database = with_password(stored, password)
                settings.save()
            else:
                found = _keyring_get(stored) or os.environ.get(PASSWORD_ENV)
                if found:
                    settings.database = with_password(stored, found)
        return settings

    def save(self) -> Path:
        p = self.path()
        data = asdict(self)
        # Never a password in the file: the URL is saved without it (the keyring keeps it if it can).
        stored, password = split_password(self.database)
        if password is not None:
            _keyring_set(stored, password)
        data["database"] = stored
        # Atomic (temp file, fsync, rename): a crash mid-save never leaves half a settings file.
        write_atomic(p, json.dumps(data, ensure_ascii=False, indent=2), mode=0o600)
        return p

    def remember(self, blueprint: Path) -> None:
        s = str(blueprint)
        self.recent_blueprints = [s] + [r for r in self.recent_blueprints if r != s][:19]
