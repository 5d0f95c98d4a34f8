"""GUI test set-up: Qt runs offscreen (set before any Qt import), translations per test."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from collections.abc import Callable, Iterator  # noqa: E402

import pytest  # noqa: E402
from pytestqt.qtbot import QtBot  # noqa: E402

from kitstation.i18n import set_language  # noqa: E402

# pytest-qt waits 5 s by default; the GUI's work off the GUI thread (the log, a simulated device)
# may take longer on a loaded machine. Every wait that names no budget gets one that holds there:
# a wait ends as soon as its condition holds, so a long budget costs nothing when things are quick.
WAIT_BUDGET_MS = 120_000
_wait_until = QtBot.waitUntil
_wait_signal = QtBot.waitSignal


def _patient_wait_until(self: QtBot, callback: Callable[[], bool | None], *, timeout: int = WAIT_BUDGET_MS) -> None:
    _wait_until(self, callback, timeout=max(timeout, WAIT_BUDGET_MS))


def _patient_wait_signal(self: QtBot, signal: object, *, timeout: int = WAIT_BUDGET_MS, **kwargs: object) -> object:
    return _wait_signal(self, signal, timeout=max(timeout, WAIT_BUDGET_MS), **kwargs)  # type: ignore[arg-type]


QtBot.waitUntil = _patient_wait_until  # type: ignore[method-assign]
QtBot.waitSignal = _patient_wait_signal  # type: ignore[method-assign,assignment]


@pytest.fixture
def ui_language(qapp: object) -> Iterator[Callable[[str], str]]:
    """``ui_language("ja")`` installs the Japanese translators; removed again after the test."""
    from kitstation.ui.translations import Translations

    made: list[Translations] = []

    def switch(lang: str) -> str:
        t = Translations(qapp)  # type: ignore[arg-type]
        made.append(t)
        return t.switch(lang)

    yield switch
    for t in made:
        t.clear()
    set_language(None)


# The offscreen platform plugin warns whenever a top-level window is shown, and a popup menu is
# raised or grabs the keyboard; they say nothing about our code, so they are the only Qt warnings
# the GUI tests let through.
OFFSCREEN_NOISE = r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))
