"""MCInstall through pymobiledevice3's MobileConfigService: supervision, profiles, erase, DEP."""

from __future__ import annotations

import json
import os
import plistlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.hazmat.primitives.serialization.pkcs7 import PKCS7Options, PKCS7SignatureBuilder
from pymobiledevice3 import usbmux
from pymobiledevice3.exceptions import CloudConfigurationAlreadyPresentError, ProfileError
from pymobiledevice3.services.mobile_config import MobileConfigService, Purpose

from kitstation.simulator.ios import IOSSimulatorThread
from tests.sim_ios.conftest import activate_with_stand_in, connect, make_profile, supervisor_der, wait_until

PMD3 = str(Path(sys.executable).with_name("pymobiledevice3"))


def cloud_config(cert: bytes, **extra: Any) -> dict[str, Any]:
    return {
        "IsSupervised": True,
        "AllowPairing": True,
        "IsMandatory": True,
        "OrganizationName": "KitStation Test",
        "SkipSetup": ["Location", "Privacy"],
        "SupervisorHostCertificates": [cert],
        **extra,
    }


async def _mc(udid: str) -> tuple[Any, MobileConfigService]:
    lockdown = await connect(udid)
    return lockdown, MobileConfigService(lockdown)


async def test_cloud_configuration_once_then_14002(ios_sim: IOSSimulatorThread, keybag: Path) -> None:
    dev = ios_sim.plug(activation_state="Activated")
    lockdown, mc = await _mc(dev.udid)
    try:
        await mc.hello()
        await mc.flush()
        assert await mc.get_cloud_configuration() is None
        config = cloud_config(supervisor_der(keybag))
        await mc.set_cloud_configuration(config)
        # What the device keeps: its own ConfigurationSource (2: written by a host).
        kept = {**config, "ConfigurationSource": 2}
        assert await mc.get_cloud_configuration() == kept
        assert dev.supervised and dev.cloud_configuration == kept
        with pytest.raises(CloudConfigurationAlreadyPresentError):
            await mc.set_cloud_configuration(config)
    finally:
        await mc.close()
        await lockdown.close()


async def test_set_up_device_refuses_cloud_configuration(ios_sim: IOSSimulatorThread) -> None:
    dev = ios_sim.plug(setup_assistant=False)
    lockdown, mc = await _mc(dev.udid)
    try:
        with pytest.raises(CloudConfigurationAlreadyPresentError):
            await mc.set_cloud_configuration({"IsSupervised": True})
        # A device set up by hand holds the completed configuration Setup Assistant left.
        assert dev.cloud_configuration == {"CloudConfigurationUIComplete": True, "IsSupervised": False}
    finally:
        await mc.close()
        await lockdown.close()


async def test_invalid_cloud_configuration_is_an_error_chain(ios_sim: IOSSimulatorThread) -> None:
    dev = ios_sim.plug(activation_state="Activated")
    lockdown, mc = await _mc(dev.udid)
    try:
        with pytest.raises(ProfileError, match="ErrorChain"):
            await mc.set_cloud_configuration({"SupervisorHostCertificates": [b"not a certificate"]})
    finally:
        await mc.close()
        await lockdown.close()


async def test_escalate_and_silent_install(ios_sim: IOSSimulatorThread, keybag: Path, tmp_path: Path) -> None:
    dev = ios_sim.plug(activation_state="Activated")
    lockdown, mc = await _mc(dev.udid)
    try:
        await mc.set_cloud_configuration(cloud_config(supervisor_der(keybag)))
        profile = make_profile("com.example.silent")
        await mc.install_profile_silent(keybag, profile)
        assert [p["PayloadIdentifier"] for p in dev.profiles] == ["com.example.silent"]
        listed = await mc.get_profile_list()
        assert listed["OrderedIdentifiers"] == ["com.example.silent"]
        # Another supervision identity is not this device's supervisor.
        other = tmp_path / "other.pem"
        from pymobiledevice3.ca import create_keybag_file

        create_keybag_file(other, "Somebody Else")
        with pytest.raises(ProfileError):
            await mc.install_profile_silent(other, make_profile("com.example.other"))
        await mc.remove_profile("com.example.silent")
        assert dev.profiles == []
    finally:
        await mc.close()
        await lockdown.close()


async def test_escalate_rejects_a_signature_over_another_challenge(ios_sim: IOSSimulatorThread, keybag: Path) -> None:
    dev = ios_sim.plug(activation_state="Activated")
    lockdown, mc = await _mc(dev.udid)
    try:
        await mc.set_cloud_configuration(cloud_config(supervisor_der(keybag)))
        data = keybag.read_bytes()
        key = serialization.load_pem_private_key(data, password=None)
        from cryptography import x509

        cert = x509.load_pem_x509_certificate(data)
        await mc._send_recv({"RequestType": "Escalate", "SupervisorCertificate": cert.public_bytes(Encoding.DER)})
        forged = (
            PKCS7SignatureBuilder()
            .set_data(b"not the challenge")
            .add_signer(cert, key, hashes.SHA256())  # type: ignore[arg-type]
            .sign(Encoding.DER, [PKCS7Options.Binary])
        )
        with pytest.raises(ProfileError):
            await mc._send_recv({"RequestType": "EscalateResponse", "SignedRequest": forged})
        with pytest.raises(ProfileError):
            await mc._send_recv({"RequestType": "InstallProfileSilent", "Payload": make_profile("com.example.x")})
    finally:
        await mc.close()
        await lockdown.close()


async def test_silent_install_needs_supervision(ios_sim: IOSSimulatorThread, keybag: Path) -> None:
    dev = ios_sim.plug()
    lockdown, mc = await _mc(dev.udid)
    try:
        with pytest.raises(ProfileError):
            await mc.install_profile_silent(keybag, make_profile("com.example.silent"))
        assert dev.profiles == []
    finally:
        await mc.close()
        await lockdown.close()


async def test_install_profile_waits_for_the_user(ios_sim: IOSSimulatorThread) -> None:
    dev = ios_sim.plug()
    lockdown, mc = await _mc(dev.udid)
    try:
        await mc.install_profile(make_profile("com.example.wifi"))
        assert [p["PayloadIdentifier"] for p in dev.pending_profiles] == ["com.example.wifi"]
        assert dev.profiles == []
        assert (await mc.get_profile_list())["OrderedIdentifiers"] == []
        assert dev.confirm_profile("com.example.wifi") == ["com.example.wifi"]
        listed = await mc.get_profile_list()
        assert listed["OrderedIdentifiers"] == ["com.example.wifi"]
        assert listed["ProfileMetadata"]["com.example.wifi"]["PayloadVersion"] == 1
        assert dev.pending_profiles == []
    finally:
        await mc.close()
        await lockdown.close()


@pytest.mark.parametrize(
    "payload",
    [
        b"this is not a plist",
        plistlib.dumps(["a", "list"]),
        plistlib.dumps({"PayloadType": "Configuration", "PayloadIdentifier": "x"}),  # no UUID/version
        plistlib.dumps(
            {
                "PayloadType": "Configuration",
                "PayloadIdentifier": "x",
                "PayloadUUID": "u",
                "PayloadVersion": 1,
                "PayloadContent": [{"PayloadType": "com.apple.wifi.managed"}],
            }
        ),
    ],
)
async def test_malformed_profile_is_rejected_with_error_chain(ios_sim: IOSSimulatorThread, payload: bytes) -> None:
    dev = ios_sim.plug()
    lockdown, mc = await _mc(dev.udid)
    try:
        response: Any = await mc.service.send_recv_plist({"RequestType": "InstallProfile", "Payload": payload})
        assert response["Status"] == "Error"
        (error,) = response["ErrorChain"]
        assert error["ErrorDomain"] == "MCProfileErrorDomain" and isinstance(error["ErrorCode"], int)
        assert dev.pending_profiles == [] and dev.profiles == []
    finally:
        await mc.close()
        await lockdown.close()


async def test_signed_profile_is_read(ios_sim: IOSSimulatorThread, keybag: Path) -> None:
    dev = ios_sim.plug()
    data = keybag.read_bytes()
    from cryptography import x509

    signed = (
        PKCS7SignatureBuilder()
        .set_data(make_profile("com.example.signed"))
        .add_signer(
            x509.load_pem_x509_certificate(data),
            serialization.load_pem_private_key(data, None),  # type: ignore[arg-type]
            hashes.SHA256(),
        )
        .sign(Encoding.DER, [PKCS7Options.Binary])
    )
    lockdown, mc = await _mc(dev.udid)
    try:
        await mc.install_profile(signed)
        assert [p["PayloadIdentifier"] for p in dev.pending_profiles] == ["com.example.signed"]
    finally:
        await mc.close()
        await lockdown.close()


async def test_store_and_get_stored_profile(ios_sim: IOSSimulatorThread) -> None:
    dev = ios_sim.plug()
    lockdown, mc = await _mc(dev.udid)
    try:
        assert "ProfileData" not in await mc.get_stored_profile()
        profile = make_profile("com.example.stored")
        await mc.store_profile(profile, Purpose.PostSetupInstallation)
        assert (await mc.get_stored_profile())["ProfileData"] == profile
    finally:
        await mc.close()
        await lockdown.close()


async def test_erase_detaches_and_comes_back_fresh(ios_sim: IOSSimulatorThread, keybag: Path) -> None:
    dev = ios_sim.plug(activation_state="Activated")
    lockdown, mc = await _mc(dev.udid)
    await mc.set_cloud_configuration(cloud_config(supervisor_der(keybag)))
    await mc.install_profile(make_profile("com.example.pending"))
    location = dev.location_id
    await mc.erase_device(preserve_data_plan=False, disallow_proximity_setup=True)
    await mc.close()
    await lockdown.close()
    assert dev.udid not in [d.serial for d in await usbmux.list_devices()]
    await wait_until(lambda: dev.erase_count == 1 and dev.attached, "the device to come back")
    assert [d.serial for d in await usbmux.list_devices()] == [dev.udid]
    assert dev.location_id == location and dev.in_setup_assistant
    assert dev.cloud_configuration is None and dev.pending_profiles == [] and dev.paired_hosts == []
    # The host still has its old pair record; the device forgot it, so pymobiledevice3 pairs
    # again, without a Trust dialog since the device is in Setup Assistant. An erased device is
    # unactivated again: it refuses the configuration (33003) until activated.
    lockdown, mc = await _mc(dev.udid)
    try:
        assert await lockdown.get_value(key="ActivationState") == "Unactivated"
        with pytest.raises(ProfileError, match="33003"):
            await mc.set_cloud_configuration(cloud_config(supervisor_der(keybag)))
        await activate_with_stand_in(lockdown)
        await mc.set_cloud_configuration(cloud_config(supervisor_der(keybag)))
        assert dev.supervised
    finally:
        await mc.close()
        await lockdown.close()


async def test_download_and_apply_cloud_configuration(ios_sim_factory, keybag: Path) -> None:  # type: ignore[no-untyped-def]
    sim = ios_sim_factory()
    assigned = sim.plug("iPhone16,1", activation_state="Activated")
    unassigned = sim.plug("iPhone16,1", activation_state="Activated")
    sim.abm_assignments[assigned.serial] = {
        "IsSupervised": True,
        "ConfigurationURL": "https://mdm.example.com/enroll",
        "OrganizationName": "Example",
        "SupervisorHostCertificates": [supervisor_der(keybag)],
    }
    lockdown, mc = await _mc(assigned.udid)
    try:
        await mc.download_and_apply_cloud_configuration()
        config = await mc.get_cloud_configuration()
        assert config is not None and config["ConfigurationURL"] == "https://mdm.example.com/enroll"
        assert config["ConfigurationWasApplied"] is True
        assert config["ConfigurationSource"] == 1  # Automated Device Enrollment
        with pytest.raises(CloudConfigurationAlreadyPresentError):
            await mc.download_and_apply_cloud_configuration()
    finally:
        await mc.close()
        await lockdown.close()
    lockdown, mc = await _mc(unassigned.udid)
    try:
        with pytest.raises(ProfileError):
            await mc.download_and_apply_cloud_configuration()
        assert unassigned.cloud_configuration is None
    finally:
        await mc.close()
        await lockdown.close()


def test_pymobiledevice3_cli_cloud_configuration(ios_sim: IOSSimulatorThread, tmp_path: Path) -> None:
    dev = ios_sim.plug(activation_state="Activated")
    config_file = tmp_path / "cloud.plist"
    config_file.write_bytes(plistlib.dumps({"IsSupervised": True, "OrganizationName": "CLI"}))
    env = dict(os.environ, **ios_sim.env)
    run = [PMD3, "profile", "cloud-configuration", "--udid", dev.udid]
    subprocess.run([*run, str(config_file)], env=env, capture_output=True, text=True, timeout=120, check=True)
    out = subprocess.run(run, env=env, capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(out.stdout)["OrganizationName"] == "CLI"
    again = subprocess.run([*run, str(config_file)], env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode != 0


async def test_setup_completion_closes_the_window(ios_sim: IOSSimulatorThread) -> None:
    dev = ios_sim.plug()
    lockdown, mc = await _mc(dev.udid)
    try:
        assert await lockdown.get_value("com.apple.PurpleBuddy", "SetupDone") is False
        dev.complete_setup()
        assert not dev.in_setup_assistant
        assert await lockdown.get_value("com.apple.PurpleBuddy", "SetupDone") is True
        assert await lockdown.get_value(key="ActivationState") == "Activated"
        with pytest.raises(CloudConfigurationAlreadyPresentError):
            await mc.set_cloud_configuration({"IsSupervised": True})
    finally:
        await mc.close()
        await lockdown.close()
