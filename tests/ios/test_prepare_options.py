"""Every Prepare option reaches the device: read back through pymobiledevice3, key by key."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from pymobiledevice3.lockdown import create_using_usbmux
from pymobiledevice3.services.mobile_config import MobileConfigService

from kitstation.blueprints.loader import BlueprintError, loads_blueprint
from kitstation.blueprints.skipkeys import BY_KEY, CATALOGUE, keys_for
from kitstation.domain.model import RunStatus
from kitstation.ios import IOSAdapter
from kitstation.ios.identities import generate_identity
from kitstation.log.store import KitLog
from kitstation.simulator.ios import IOSSimulatorThread
from tests.ios.conftest import blueprint, last_steps, run

PMD3 = str(Path(sys.executable).with_name("pymobiledevice3"))

ALL_OPTIONS = """
name = "every option"
[ios]
method = "supervise"
erase = false
allow_pairing = false
shared_ipad = true
mdm_mandatory = false
mdm_removable = true
await_device_configured = true
skip_setup = "all"
language = "ja"
region = "JP"
verify = true
[ios.organization]
name = "ACME 株式会社"
address = "1-2-3 Marunouchi"
city = "Chiyoda-ku"
zip_code = "100-0005"
country = "JP"
phone = "03-1234-5678"
email = "it@acme.example"
department = "IT"
support_phone = "0120-000-000"
support_email = "help@acme.example"
[ios.mdm_server]
name = "CLOMO"
url = "https://mdm.example.jp/acme/"
anchor_certificates = ["anchors.pem"]
[ios.supervision_identity]
name = "acme"
"""


async def test_every_prepare_option_reaches_the_device(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter, kitlog: KitLog, tmp_path: Path
) -> None:
    root, _k = generate_identity("Example CA", "Example Root")
    inter, _k2 = generate_identity("Example CA", "Example Intermediate")
    pem = root.public_bytes(serialization.Encoding.PEM) + inter.public_bytes(serialization.Encoding.PEM)
    (tmp_path / "anchors.pem").write_bytes(pem)
    identity = adapter.identities.generate("acme", "ACME 株式会社")
    bp = blueprint(tmp_path, ALL_OPTIONS)
    sim_dev = ios_sim.plug("iPad16,3", product_version="17.5")
    device = await adapter.identify(sim_dev.udid)
    assert await run(adapter, kitlog, device, bp) == RunStatus.OK, last_steps(kitlog)

    ld = await create_using_usbmux(sim_dev.udid, pair_timeout=0, pairing_records_cache_folder=tmp_path / "rb")
    try:
        async with MobileConfigService(lockdown=ld) as mc:
            cfg = await mc.get_cloud_configuration()
    finally:
        await ld.close()
    assert cfg is not None
    expected_skip = [k.key for k in CATALOGUE if k.valid_for("17.5")]
    expected = {
        "IsSupervised": True,
        "AllowPairing": False,
        "IsMultiUser": True,  # a supervised iPad keeps it
        # Sent false; a device on iOS 13+ makes the enrollment mandatory itself.
        "IsMandatory": True,
        "IsMDMUnremovable": False,
        "AwaitDeviceConfigured": True,
        "AutoAdvanceSetup": False,
        "SkipSetup": expected_skip,
        # An MDM URL follows: Setup Assistant must still show Remote Management and apply it.
        "CloudConfigurationUIComplete": False,
        "ConfigurationWasApplied": False,
        "ConfigurationSource": 2,  # the device's own: written by a host
        "OrganizationName": "ACME 株式会社",
        # Flat keys, as Setup Assistant reads them.
        "OrganizationAddress": "1-2-3 Marunouchi",
        "OrganizationAddressLine1": "1-2-3 Marunouchi",
        "OrganizationCity": "Chiyoda-ku",
        "OrganizationZipCode": "100-0005",
        "OrganizationCountry": "JP",
        "OrganizationPhone": "03-1234-5678",
        "OrganizationEmail": "it@acme.example",
        "OrganizationDepartment": "IT",
        "OrganizationSupportPhone": "0120-000-000",
        "OrganizationSupportEmail": "help@acme.example",
        "ConfigurationURL": "https://mdm.example.jp/acme/",
        "Language": "ja",
        "Region": "JP",
    }
    for key, value in expected.items():
        assert cfg[key] == value, key
    assert "Organization" not in cfg
    # The same through pymobiledevice3's own command line, as a technician would check it.
    out = subprocess.run(
        [PMD3, "profile", "cloud-configuration", "--udid", sim_dev.udid],
        env=dict(os.environ, **ios_sim.env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    shown = json.loads(out.stdout)
    assert shown["OrganizationPhone"] == "03-1234-5678" and shown["OrganizationCity"] == "Chiyoda-ku"
    assert shown["ConfigurationSource"] == 2 and shown["IsMandatory"] is True
    assert isinstance(cfg["OrganizationMagic"], str) and len(cfg["OrganizationMagic"]) == 36
    assert [bytes(c) for c in cfg["AnchorCertificates"]] == [
        root.public_bytes(serialization.Encoding.DER),
        inter.public_bytes(serialization.Encoding.DER),
    ]
    assert [hashlib.sha256(bytes(c)).hexdigest().upper() for c in cfg["SupervisorHostCertificates"]] == [
        identity.sha256
    ]


def test_skip_keys_follow_the_ios_version() -> None:
    assert BY_KEY["ActionButton"].valid_for("17.0") and not BY_KEY["ActionButton"].valid_for("16.7.2")
    assert BY_KEY["Zoom"].valid_for("16.7") and not BY_KEY["Zoom"].valid_for("17.0")
    assert BY_KEY["DisplayTone"].valid_for("9.3.2") and not BY_KEY["DisplayTone"].valid_for("9.3.1")
    assert keys_for(["Siri", "Intelligence", "CameraButton", "NoSuchKey"], "17.4") == ["Siri"]
    assert keys_for(["Siri", "Intelligence", "CameraButton"], "18.1") == ["Siri", "Intelligence", "CameraButton"]
    everything_15 = keys_for("all", "15.0")
    assert "HomeButtonSensitivity" not in everything_15 and "Restore" in everything_15
    assert "Safety" not in everything_15  # iOS 16
    # Each label is bilingual, and none of pymobiledevice3's non-keys slipped in.
    assert all(k.label.en and k.label.ja for k in CATALOGUE)
    assert not {"All", "N/A"} & set(BY_KEY)


def test_unknown_skip_key_is_a_blueprint_error() -> None:
    with pytest.raises(BlueprintError) as info:
        loads_blueprint(
            'name = "typo"\n[ios]\nmethod = "supervise"\nskip_setup = ["Sirri", "Siri"]\n'
            '[ios.mdm_server]\nname = "m"\nurl = "https://mdm.example.jp/"\n'
        )
    assert "Sirri" in info.value.render("en") and "Sirri" in info.value.render("ja")


def test_activate_and_complete_enrollment_true_is_refused_with_the_reason() -> None:
    with pytest.raises(BlueprintError) as info:
        loads_blueprint(
            'name = "x"\n[ios]\nmethod = "supervise"\nactivate_and_complete_enrollment = true\n'
            '[ios.mdm_server]\nname = "m"\nurl = "https://mdm.example.jp/"\n'
        )
    assert "always activates" in info.value.render("en")
