"""Secrets for a GUI run: the core's :class:`~kitstation.core.secrets.SecretsChain` with a password dialog.

Same chain as the CLI (a value typed earlier in this run, then ``KITSTATION_SECRET_<NAME>`` in the
environment, then a prompt); only the prompt differs. The dialog is shown with ``open()`` and
awaited through a future (a nested ``exec()`` inside a qasync coroutine would re-enter the loop);
the chain makes many devices asking for the same name share one dialog. On a simulated bench
every secret has a demo value, so a trainee sees the whole flow with no prompt. Values stay in
memory only.
"""

from __future__ import annotations

import asyncio

from kitstation.core.secrets import SecretsChain, missing
from kitstation.i18n import Text, current_language
from kitstation.ui.qt import QCoreApplication, QInputDialog, QLineEdit, QWidget


class GuiSecrets(SecretsChain):
    def __init__(self, parent: QWidget | None = None, simulated: bool = False) -> None:
        super().__init__(prompt=self._dialog_prompt)
        self.parent = parent
        self.simulated = simulated
        self.dialog: QInputDialog | None = None

    async def _dialog_prompt(self, name: str, prompt: Text) -> str:
        if self.simulated:
            return f"demo-{name}"  # the simulated devices accept any value
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        dlg = QInputDialog(self.parent)
        dlg.setWindowTitle(QCoreApplication.translate("GuiSecrets", "Secret needed"))
        dlg.setLabelText(prompt.get(current_language()))
        dlg.setTextEchoMode(QLineEdit.EchoMode.Password)
        self.dialog = dlg

        def answered(result: int) -> None:
            if not future.done():
                if result and dlg.textValue():
                    future.set_result(dlg.textValue())
                else:
                    why = Text("no value was typed", "値が入力されませんでした")
                    future.set_exception(missing(name, prompt, why))
            dlg.deleteLater()

        dlg.finished.connect(answered)
        dlg.open()
        try:
            return await future
        finally:
            self.dialog = None
