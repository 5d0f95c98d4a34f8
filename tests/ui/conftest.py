"""GUI test set-up: Qt runs offscreen (set before any Qt import), translations per test."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from collections.abc import Callable, Iterator  # noqa: E402

import pytest  # noqa: E402

from kitstation.i18n import set_language  # noqa: E402


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
