"""Sounds and desktop notifications when a device is done, fails, or waits for the technician.

With 60 devices on a bench the technician is not looking at the screen; a beep (and, where the
desktop has a notification area, a message) says when to. Both are switchable in Settings. Each
tile transition counts once: the model reports (old view, new view) pairs, and only an entry
into done / failed / your turn makes a sound.
"""

from __future__ import annotations

import enum

from kitstation.core.bench import SlotState, SlotView
from kitstation.ui.places import display_name
from kitstation.ui.qt import QApplication, QCoreApplication, QObject, QSystemTrayIcon, QTimer, Signal
from kitstation.ui.settings import Settings


class Kind(enum.StrEnum):
    DONE = "done"
    FAILED = "failed"
    YOUR_TURN = "your_turn"


KINDS: dict[SlotState, Kind] = {
    SlotState.DONE: Kind.DONE,
    SlotState.WAITING_EXTERNAL: Kind.DONE,
    SlotState.FAILED: Kind.FAILED,
    SlotState.WAITING_USER: Kind.YOUR_TURN,
}


def kind_of(old: SlotView, new: SlotView) -> Kind | None:
    """What a transition calls for, if anything (an entry into one of :data:`KINDS`)."""
    kind = KINDS.get(new.state)
    if kind is None or (KINDS.get(old.state) == kind and old.run_id == new.run_id):
        return None
    return kind


class Notifier(QObject):
    """Turns tile transitions into at most one sound per 300 ms and (optionally) a notification."""

    notified = Signal(str, str)  # the Kind, the slot label (also when muted: tests and the status bar)

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.sounds_made = 0
        self.messages_shown = 0
        self.tray: QSystemTrayIcon | None = None
        # Many tiles finish in the same repaint: one beep for them, not twenty.
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.setInterval(300)

    def on_view_changed(self, old: object, new: object) -> None:
        if not isinstance(old, SlotView) or not isinstance(new, SlotView):
            return
        kind = kind_of(old, new)
        if kind is None:
            return
        self.notified.emit(kind.value, new.label)
        if self.settings.sounds and not self._quiet.isActive():
            QApplication.beep()
            self.sounds_made += 1
            self._quiet.start()
        if self.settings.notifications and QSystemTrayIcon.isSystemTrayAvailable():
            if self.tray is None:
                self.tray = QSystemTrayIcon(QApplication.windowIcon(), self)
                self.tray.show()
            self.tray.showMessage("KitStation", self._text(kind, display_name(new.slot, new.label)))
            self.messages_shown += 1

    def _text(self, kind: Kind, label: str) -> str:
        text = {
            Kind.DONE: QCoreApplication.translate("Notifier", "%1: done"),
            Kind.FAILED: QCoreApplication.translate("Notifier", "%1: failed — see the tile"),
            Kind.YOUR_TURN: QCoreApplication.translate("Notifier", "%1: your turn"),
        }[kind]
        return text.replace("%1", label)
