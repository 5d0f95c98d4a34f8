"""Packaging tests: Qt offscreen (set before any Qt import) for the ones that paint."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
