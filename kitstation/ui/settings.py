"""The station's GUI settings: a small JSON file in the config dir (never a secret).

JSON rather than QSettings so the CLI, support staff and tests can read it without Qt, and so the
file is the same on Windows, macOS and Linux (QSettings would use the registry on Windows).
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from kitstation import paths
from kitstation.files import write_atomic

log = logging.getLogger(__name__)

FILE_NAME = "gui-settings.json"


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
        return cls(**{k: v for k, v in data.items() if k in known})

    def save(self) -> Path:
        p = self.path()
        # Atomic (temp file, fsync, rename): a crash mid-save never leaves half a settings file.
        write_atomic(p, json.dumps(asdict(self), ensure_ascii=False, indent=2))
        return p

    def remember(self, blueprint: Path) -> None:
        s = str(blueprint)
        self.recent_blueprints = [s] + [r for r in self.recent_blueprints if r != s][:19]
