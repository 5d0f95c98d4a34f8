"""The four CLOMO methods end to end: blueprint -> IOSAdapter.plan -> Pipeline -> simulated device."""

from __future__ import annotations

import plistlib
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from kitstation.core.domain import RunStatus
from kitstation.ios import IOSAdapter
from kitstation.ios.identities import generate_identity
from kitstation.ios.profiles import build_profile
from kitstation.log.store import KitLog
from kitstation.simulator.ios import IOSSimulatorThread
from tests.ios.conftest import blueprint, last_steps, run

MDM_URL = "https://mdm.example.jp/acme/enroll"


def _anchor(tmp_path: Path) -> bytes:
    cert, _key = generate_identity("Example MDM CA", "Example MDM Root CA")
    (tmp_path / "anchor.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert.public_bytes(serialization.Encoding.DER)


PREPARE = """
name = "prepare"
[ios]
method = "{method}"
add_to_dep = {dep}
skip_setup = ["Location", "Restore", "Android", "AppleID", "Siri", "Diagnostics", "Passcode",
              "Biometric", "Payment", "Zoom", "Intelligence", "ActionButton"]
language = "ja"
region = "JP"
[ios.organization]
name = "ACME Kitting"
phone = "03-0000-0000"
email = "it@acme.example"
[ios.mdm_server]
name = "CLOMO"
url = "{url}"
anchor_certificates = ["anchor.pem"]
[ios.supervision_identity]
name = "acme"
[ios.wifi]
ssid = "kitting-bench"
security = "WPA2"
password_secret = "wifi"
"""


async def test_manual_dep_end_to_end(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter, kitlog: KitLog, tmp_path: Path
) -> None:
    anchor = _anchor(tmp_path)
    identity = adapter.identities.generate("acme", "ACME Kitting")
    bp = blueprint(tmp_path, PREPARE.format(method="manual_dep", dep="true", url=MDM_URL))
    sim_dev = ios_sim.plug("iPhone15,2", product_version="16.4")
    device = await adapter.identify(sim_dev.udid)
    assert device.serial == sim_dev.serial and device.marketing_name == "iPhone 14 Pro"

    status = await run(adapter, kitlog, device, bp, {"wifi": "s3cret-wifi-pass"})

    assert status == RunStatus.WAITING_EXTERNAL, last_steps(kitlog)
    assert [s[0] for s in last_steps(kitlog)] == [
        "ios.erase",
        "ios.setup_assistant",
        "ios.cloud_config",
        "ios.supervise",
        "ios.profile.wifi",
        "ios.verify",
        "ios.abm_handoff",
    ]
    assert sim_dev.erase_count == 1
    cfg = sim_dev.cloud_configuration
    assert cfg is not None
    assert cfg["IsSupervised"] is True and cfg["ConfigurationURL"] == MDM_URL
    assert [bytes(c) for c in cfg["AnchorCertificates"]] == [anchor]
    assert [bytes(c) for c in cfg["SupervisorHostCertificates"]] == [identity.certificate_der]
    # iOS 16.4: Zoom is still known (gone in 17), ActionButton (17) and Intelligence (18) are not.
    assert "Zoom" in cfg["SkipSetup"] and "ActionButton" not in cfg["SkipSetup"]
    assert "Intelligence" not in cfg["SkipSetup"]
    assert cfg["Language"] == "ja" and cfg["Region"] == "JP"
    wifi = [p for p in sim_dev.profiles if p["PayloadIdentifier"] == "jp.kitstation.wifi.kitting-bench"]
    assert wifi and wifi[0]["PayloadContent"][0]["Password"] == "s3cret-wifi-pass"
    row = kitlog.device_row(kitlog.upsert_device(device))
    assert row["external_state"] == "awaiting_abm"
