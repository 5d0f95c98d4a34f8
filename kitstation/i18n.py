"""Bilingual (Japanese/English) texts for the Qt-free parts of the station.

The GUI translates its own widgets with Qt Linguist; messages that come out of the core, the
adapters or the CLI (step titles, error reasons, validation errors) are :class:`Text` values that
carry both languages, so a reason logged by the pipeline can be shown in either language later
and the log can keep both.
"""

from __future__ import annotations

import locale
import os
from dataclasses import dataclass
from typing import Any, Literal

Language = Literal["en", "ja"]
SUPPORTED: tuple[Language, ...] = ("en", "ja")

_override: Language | None = None


def system_language() -> Language:
    """The language the system locale asks for: Japanese for ``ja*``, English otherwise."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:  # pragma: no cover - exotic locale strings
        loc = ""
    return "ja" if loc.lower().startswith("ja") else "en"


def current_language() -> Language:
    """The language in force: set_language() wins, then ``KITSTATION_LANG``, then the system."""
    if _override is not None:
        return _override
    env = os.environ.get("KITSTATION_LANG", "").strip().lower()
    if env in SUPPORTED:
        return env
    return system_language()


def set_language(language: str | None) -> None:
    """Force a language ("en"/"ja"), or follow the system again with ``None``/"system"."""
    global _override
    if language in (None, "", "system"):
        _override = None
    elif language in SUPPORTED:
        _override = language
    else:
        raise ValueError(f"unsupported language: {language!r}")


@dataclass(frozen=True, slots=True)
class Text:
    """A message in English and Japanese; ``str()`` gives the current language."""

    en: str
    ja: str

    def get(self, language: Language | None = None) -> str:
        return self.ja if (language or current_language()) == "ja" else self.en

    def format(self, **kwargs: Any) -> Text:
        """Fill ``{placeholders}`` in both languages."""
        return Text(self.en.format(**kwargs), self.ja.format(**kwargs))

    def __add__(self, other: Text | str) -> Text:
        if isinstance(other, Text):
            return Text(self.en + other.en, self.ja + other.ja)
        return Text(self.en + other, self.ja + other)

    def __str__(self) -> str:
        return self.get()

    @staticmethod
    def plain(value: str) -> Text:
        """The same string in both languages (a device's own answer, a file name)."""
        return Text(value, value)

    @staticmethod
    def count(n: int, one: str, many: str, ja: str, **values: Any) -> Text:
        """A message about ``n`` things: English ``one`` for exactly 1, ``many`` otherwise ("0 packages",
        "1 package", "2 packages"); Japanese has one form (「1 個」「2 個」). ``{n}`` and ``values`` are filled."""
        return Text(one if n == 1 else many, ja).format(n=n, **values)
