"""What a technician can do to one tile or to the selected tiles: the context menu and its shortcuts.

Which action applies depends only on the slot's state (:func:`applies`), so the menu, the
keyboard shortcuts and the bulk actions agree: an action on a selection acts on the tiles it
applies to and leaves the others alone (Retry over five tiles, two of them done, retries three).
The actions themselves are requests (``triggered(action, slots)``); the window hands them to the
bench (``Bench.apply(slot, force)``, ``Bench.cancel(group=…)``).
"""

from __future__ import annotations

import enum

from kitstation.core.bench import SlotState, SlotView
from kitstation.ui.qt import QAction, QApplication, QCoreApplication, QKeySequence, QMenu, QObject, Qt, QWidget, Signal


class TileAction(enum.StrEnum):
    APPLY = "apply"
    RETRY = "retry"
    RERUN = "rerun"
    CANCEL = "cancel"
    TIMELINE = "timeline"
    COPY = "copy"


# A run can be started again only from a state where none is in progress.
_RETRYABLE = (SlotState.FAILED, SlotState.INTERRUPTED, SlotState.CANCELLED)
_FINISHED = (SlotState.DONE, SlotState.WAITING_EXTERNAL, *_RETRYABLE)
_IN_PROGRESS = (SlotState.QUEUED, SlotState.WORKING, SlotState.WAITING_USER)


def applies(action: TileAction, view: SlotView) -> bool:
    """True when ``action`` makes sense for a slot in this state (the bench refuses the rest anyway)."""
    identified = view.device is not None and view.attached
    if action == TileAction.APPLY:
        return identified and view.state == SlotState.READY
    if action == TileAction.RETRY:
        return identified and view.state in _RETRYABLE
    if action == TileAction.RERUN:
        return identified and view.state in _FINISHED
    if action == TileAction.CANCEL:
        return view.state in _IN_PROGRESS and view.run_id is not None
    if action == TileAction.TIMELINE:
        return True
    return view.device is not None  # COPY


def label(action: TileAction) -> str:
    return {
        TileAction.APPLY: QCoreApplication.translate("TileActions", "Apply the blueprint"),
        TileAction.RETRY: QCoreApplication.translate("TileActions", "Retry"),
        TileAction.RERUN: QCoreApplication.translate("TileActions", "Re-run even if done"),
        TileAction.CANCEL: QCoreApplication.translate("TileActions", "Cancel"),
        TileAction.TIMELINE: QCoreApplication.translate("TileActions", "Show timeline"),
        TileAction.COPY: QCoreApplication.translate("TileActions", "Copy serial / IMEI"),
    }[action]


SHORTCUTS: dict[TileAction, str] = {
    TileAction.APPLY: "Ctrl+Return",
    TileAction.RETRY: "Ctrl+R",
    TileAction.RERUN: "Ctrl+Shift+R",
    TileAction.CANCEL: "Ctrl+Backspace",
    TileAction.TIMELINE: "Ctrl+T",
    TileAction.COPY: "Ctrl+C",
}


def identity_text(views: list[SlotView]) -> str:
    """What Copy puts on the clipboard: one line per device, serial then IMEIs, tab-separated."""
    lines = []
    for v in views:
        d = v.device
        if d is None:
            continue
        lines.append("\t".join([d.serial or d.key, *d.imeis]))
    return "\n".join(lines)


class TileActions(QObject):
    """The QActions (menu entries with shortcuts) over a tile view's selection."""

    triggered = Signal(str, list)  # the TileAction value, the slots it applies to

    def __init__(self, owner: QWidget, selection: object) -> None:
        super().__init__(owner)
        self._selection = selection  # a callable returning the selected SlotViews
        self.actions: dict[TileAction, QAction] = {}
        for action in TileAction:
            a = QAction(label(action), owner)
            a.setShortcut(QKeySequence(SHORTCUTS[action]))
            a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            a.triggered.connect(lambda _checked=False, act=action: self.trigger(act))
            owner.addAction(a)
            self.actions[action] = a

    def selected(self) -> list[SlotView]:
        views = self._selection()  # type: ignore[operator]
        return list(views)

    def targets(self, action: TileAction, views: list[SlotView] | None = None) -> list[SlotView]:
        return [v for v in (self.selected() if views is None else views) if applies(action, v)]

    def trigger(self, action: TileAction) -> None:
        targets = self.targets(action)
        if not targets:
            return
        if action == TileAction.COPY:
            QApplication.clipboard().setText(identity_text(targets))
        self.triggered.emit(action.value, [v.slot for v in targets])

    def menu(self, parent: QWidget) -> QMenu:
        """The context menu for the current selection; entries that apply to none are disabled."""
        views = self.selected()
        menu = QMenu(parent)
        for action in TileAction:
            qa = self.actions[action]
            n = len(self.targets(action, views))
            qa.setEnabled(n > 0)
            text = label(action)
            if len(views) > 1 and n:
                text = f"{text} ({n})"
            qa.setText(text)
            menu.addAction(qa)
            if action in (TileAction.CANCEL,):
                menu.addSeparator()
        return menu

    def sync(self) -> None:
        """Enable each shortcut only when it applies to something selected (called on selection change)."""
        views = self.selected()
        for action, qa in self.actions.items():
            qa.setEnabled(bool(self.targets(action, views)))
            qa.setText(label(action))
