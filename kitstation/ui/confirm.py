"""Asking before something that cannot be undone mid-batch (Stop, Quit, swapping the blueprint, discarding).

A question box opened with ``open()`` (never ``exec()``: no nested event loop under qasync), with
the safe answer as the default button, so Enter or Escape never stops sixty phones by accident.
"""

from __future__ import annotations

from collections.abc import Callable

from kitstation.ui.qt import QMessageBox, QPushButton, QWidget


class Confirmation(QMessageBox):
    """``yes`` runs ``on_yes``; ``no`` (the default, and Escape) does nothing."""

    def __init__(
        self, parent: QWidget, title: str, text: str, yes: str, no: str, on_yes: Callable[[], None]
    ) -> None:
        super().__init__(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
        self.yes_button: QPushButton = self.addButton(yes, QMessageBox.ButtonRole.DestructiveRole)
        self.no_button: QPushButton = self.addButton(no, QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.no_button)
        self.setEscapeButton(self.no_button)
        self.yes_button.clicked.connect(on_yes)
        self.finished.connect(lambda _r: self.deleteLater())


def ask(parent: QWidget, title: str, text: str, yes: str, no: str, on_yes: Callable[[], None]) -> Confirmation:
    box = Confirmation(parent, title, text, yes, no, on_yes)
    box.open()
    return box
