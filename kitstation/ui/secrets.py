"""Secrets for a GUI run: asked for once in a password dialog, kept in memory only.

Same order as the CLI: a value typed earlier in this run, then ``KITSTATION_SECRET_<NAME>`` in the
environment, then a prompt. The dialog is shown with ``open()`` and awaited through a future (a
nested ``exec()`` inside a qasync coroutine would re-enter the loop); requests for the same name
from many devices at once share one dialog. On a simulated bench every secret has a demo value,
so a trainee sees the whole flow with no prompt.
"""

from __future__ import annotations

import asyncio
import os

from kitstation.domain.model import PermanentError
from kitstation.i18n import Text, current_language
from kitstation.ui.qt import QCoreApplication, QInputDialog, QLineEdit, QWidget


class GuiSecrets:
    def __init__(self, parent: QWidget | None = None, simulated: bool = False) -> None:
        self.parent = parent
        self.simulated = simulated
        self._values: dict[str, str] = {}
        self._pending: dict[str, asyncio.Future[str]] = {}

    async def get(self, name: str, prompt: Text) -> str:
        if name in self._values:
            return self._values[name]
        env = os.environ.get(f"KITSTATION_SECRET_{name.upper()}")
        if env is not None:
            self._values[name] = env
            return env
        if self.simulated:
            self._values[name] = f"demo-{name}"  # the simulated devices accept any value
            return self._values[name]
        pending = self._pending.get(name)
        if pending is None:
            pending = asyncio.get_running_loop().create_future()
            self._pending[name] = pending
            self._ask(name, prompt, pending)
        try:
            value = await asyncio.shield(pending)
        finally:
            if pending.done():
                self._pending.pop(name, None)
        self._values[name] = value
        return value

    def _ask(self, name: str, prompt: Text, future: asyncio.Future[str]) -> None:
        dlg = QInputDialog(self.parent)
        dlg.setWindowTitle(QCoreApplication.translate("GuiSecrets", "Secret needed"))
        dlg.setLabelText(prompt.get(current_language()))
        dlg.setTextEchoMode(QLineEdit.EchoMode.Password)
        self.dialog = dlg

        def answered(result: int) -> None:
            if future.done():
                return
            if result and dlg.textValue():
                future.set_result(dlg.textValue())
            else:
                reason = Text(f"No secret given: {prompt.en}", f"秘密情報が入力されませんでした: {prompt.ja}")
                future.set_exception(PermanentError(reason, code="secret_missing"))
            dlg.deleteLater()

        dlg.finished.connect(answered)
        dlg.open()
