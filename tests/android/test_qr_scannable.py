"""The QR code `kitstation qr` writes is scannable: a real decoder (zbarimg) reads the payload back."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from kitstation.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def test_qr_png_decodes_to_the_provisioning_payload(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    zbarimg = shutil.which("zbarimg")
    assert zbarimg, "zbarimg missing: run `bash packaging/setup.sh --dev` (installs zbar-tools)"
    monkeypatch.setenv("KITSTATION_SECRET_KITTING_WIFI", "wifi-pass-9")
    out = tmp_path / "qr.png"
    assert main(["qr", "-b", str(ROOT / "examples/android-qr.toml"), "--out", str(out)]) == 0
    # The PNG holds the Wi-Fi password: readable by its owner only.
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    res = subprocess.run([zbarimg, "-q", "--raw", str(out)], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    payload = json.loads(res.stdout)
    prefix = "android.app.extra.PROVISIONING_"
    assert payload[prefix + "DEVICE_ADMIN_COMPONENT_NAME"] == "jp.kitstation.demoagent/.AdminReceiver"
    assert payload[prefix + "DEVICE_ADMIN_PACKAGE_DOWNLOAD_LOCATION"].startswith("https://")
    assert len(payload[prefix + "DEVICE_ADMIN_SIGNATURE_CHECKSUM"]) == 43  # URL-safe base64 of SHA-256, no padding
    assert payload[prefix + "WIFI_PASSWORD"] == "wifi-pass-9"
