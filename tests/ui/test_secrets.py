"""Secrets in the GUI: asked once in a password dialog (open(), awaited), shared by every device."""

from __future__ import annotations

import asyncio

import pytest
from pytestqt.qtbot import QtBot

from kitstation.domain.model import PermanentError
from kitstation.i18n import Text
from kitstation.ui.qt import QInputDialog
from kitstation.ui.secrets import GuiSecrets

PROMPT = Text("Wi-Fi password for kitting", "kitting のWi-Fiパスワード")


async def dialog_of(secrets: GuiSecrets) -> QInputDialog:
    """The password dialog, once the chain has asked for it (a few loop turns, never a fixed sleep)."""
    for _ in range(100):
        if secrets.dialog is not None:
            return secrets.dialog
        await asyncio.sleep(0)
    raise AssertionError("no dialog")


async def test_one_dialog_serves_every_device(qtbot: QtBot) -> None:
    secrets = GuiSecrets()
    tasks = [asyncio.create_task(secrets.get("kitting_wifi", PROMPT)) for _ in range(5)]
    dlg = await dialog_of(secrets)
    assert "kitting" in dlg.labelText()
    dlg.setTextValue("s3cret")
    dlg.accept()
    assert await asyncio.gather(*tasks) == ["s3cret"] * 5
    assert await secrets.get("kitting_wifi", PROMPT) == "s3cret"  # remembered for the run


async def test_cancel_fails_with_a_reason(qtbot: QtBot) -> None:
    secrets = GuiSecrets()
    task = asyncio.create_task(secrets.get("p12", PROMPT))
    (await dialog_of(secrets)).reject()
    with pytest.raises(PermanentError) as err:
        await task
    assert err.value.code == "secret_missing"
    assert "KITSTATION_SECRET_P12" in err.value.reason.en  # says what would provide it


async def test_environment_and_simulation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KITSTATION_SECRET_KITTING_WIFI", "from-env")
    assert await GuiSecrets().get("kitting_wifi", PROMPT) == "from-env"
    assert await GuiSecrets(simulated=True).get("other", PROMPT) == "demo-other"
