"""Fixtures of the report tests: a filled log (see data.py)."""

from __future__ import annotations

import pytest

from kitstation.log import KitLog
from tests.reports.data import Filled, fill


@pytest.fixture
def filled(kitlog: KitLog) -> Filled:
    return fill(kitlog)
