"""A Galaxy erase is not something the station can do over adb: asking for one says why and what to do."""

from __future__ import annotations

import pytest

from kitstation.blueprints.loader import BlueprintError, loads_blueprint

BP = """
name = "QR after a reset"
[android]
method = "qr"
erase = {erase}
[android.agent]
url = "https://mdm.example.jp/agent.apk"
package = "jp.kitstation.demoagent"
admin_receiver = "jp.kitstation.demoagent/.AdminReceiver"
[android.qr]
locale = "ja_JP"
"""


def test_asking_for_a_galaxy_erase_explains_what_is_possible() -> None:
    with pytest.raises(BlueprintError) as info:
        loads_blueprint(BP.format(erase="true"))
    text = str(info.value)
    assert "android.erase" in text and "cannot be erased over adb" in text
    assert "android.permission.MASTER_CLEAR" in text
    assert "Settings > General management > Reset > Factory data reset" in text
    assert "Device Owner (wipeData)" in text and "Factory Reset Protection" in text
    assert "\n" not in text.strip()  # one line


def test_erase_false_is_accepted() -> None:
    assert loads_blueprint(BP.format(erase="false")).android is not None
