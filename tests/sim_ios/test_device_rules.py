"""The device's own rules (docs/FIDELITY.md, iOS), exercised with unmodified pymobiledevice3 and libimobiledevice.

Activation before any cloud configuration, the activation service and its stand-in server, the
configuration the device keeps, the Status replies, DEP-download failures, language over lockdown.
Each test names the ledger row it holds the simulator to.
"""

from __future__ import annotations

import os
import plistlib
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests
from pymobiledevice3.exceptions import MobileActivationException, ProfileError
from pymobiledevice3.services.mobile_activation import MobileActivationService
from pymobiledevice3.services.mobile_config import MobileConfigService

from kitstation.simulator.ios import IOSSimulatorThread
from tests.sim_ios.conftest import activate_with_stand_in, connect, make_profile, supervisor_der

PMD3 = str(Path(sys.executable).with_name("pymobiledevice3"))


async def _send(mc: MobileConfigService, request: dict[str, Any]) -> dict[str, Any]:
    """The raw answer (pymobiledevice3's _send_recv raises before showing it)."""
    reply = await mc.service.send_recv_plist(request)
    assert isinstance(reply, dict)
    return reply


async def test_i1_unactivated_device_refuses_cloud_configuration_then_accepts_after_activation(
    ios_sim: IOSSimulatorThread,
) -> None:
    """I-1, I-2: 33003 before activation; pymobiledevice3's own activation flow; accepted after."""
    dev = ios_sim.plug()
    lockdown = await connect(dev.udid)
    try:
        assert await lockdown.get_value(key="ActivationState") == "Unactivated"
        async with MobileConfigService(lockdown) as mc:
            with pytest.raises(ProfileError, match="33003") as info:
                await mc.set_cloud_configuration({"IsSupervised": False})
            assert "MCCloudConfigErrorDomain" in str(info.value)
            assert dev.cloud_configuration is None
        assert await MobileActivationService(lockdown).state() == "Unactivated"  # type: ignore[no-untyped-call]
        await activate_with_stand_in(lockdown)
        assert await MobileActivationService(lockdown).state() == "Activated"  # type: ignore[no-untyped-call]
        assert await lockdown.get_value(key="ActivationStateAcknowledged") is True
        async with MobileConfigService(lockdown) as mc:
            await mc.set_cloud_configuration({"IsSupervised": False})
        assert dev.cloud_configuration is not None
    finally:
        await lockdown.close()


def test_i2_command_line_tools_report_activated(ios_sim: IOSSimulatorThread) -> None:
    """I-2: ``pymobiledevice3 lockdown info`` and libimobiledevice's ``ideviceinfo`` read ActivationState."""
    dev = ios_sim.plug(activation_state="Activated")
    env = dict(os.environ, **ios_sim.env)
    out = subprocess.run(
        [PMD3, "lockdown", "info", "--udid", dev.udid], env=env, capture_output=True, text=True, timeout=120, check=True
    ).stdout
    assert '"ActivationState": "Activated"' in out
    if shutil.which("ideviceinfo") is None:
        pytest.skip("libimobiledevice-utils is not installed")
    env["USBMUXD_SOCKET_ADDRESS"] = f"UNIX:{ios_sim.address}"
    subprocess.run(["idevicepair", "-u", dev.udid, "pair"], env=env, capture_output=True, timeout=60, check=True)
    state = subprocess.run(
        ["ideviceinfo", "-u", dev.udid, "-k", "ActivationState"], env=env, capture_output=True, text=True, timeout=60
    )
    assert state.stdout.strip() == "Activated", state.stderr


async def test_i3_forged_activation_record_is_refused(ios_sim: IOSSimulatorThread) -> None:
    """I-3: the device accepts only a record the (stand-in) server signed for it."""
    dev = ios_sim.plug()
    other = ios_sim.plug()
    lockdown = await connect(dev.udid)
    try:
        client = MobileActivationService(lockdown)
        forged = plistlib.dumps({"ActivationRecord": {"UniqueDeviceID": dev.udid, "AccountTokenSignature": b"x" * 32}})
        reply = await client.activate_with_session(forged, None)  # type: ignore[arg-type]
        assert "Error" in reply and dev.activation_state == "Unactivated"
        # A genuine record for another device does not activate this one either.
        other_lockdown = await connect(other.udid)
        try:
            await activate_with_stand_in(other_lockdown)
        finally:
            await other_lockdown.close()  # left open, its TLS session warned in a later test
        assert other.activation_state == "Activated" and dev.activation_state == "Unactivated"
    finally:
        await lockdown.close()


async def test_i4_activation_lock_no_network_and_refusal(ios_sim_factory) -> None:  # type: ignore[no-untyped-def]
    """I-4: Activation Lock (a sign-in page, survives an erase), no network, the server refusing."""
    sim = ios_sim_factory(faults=["0:activation-lock", "1:no-network", "2:activation-refused"])
    locked, offline, refused = sim.plug(), sim.plug(), sim.plug()
    ld = await connect(locked.udid)
    with pytest.raises(MobileActivationException, match="Activation Lock"):
        await activate_with_stand_in(ld)
    await ld.close()
    assert locked.activation_state == "Unactivated"
    ld = await connect(offline.udid)
    with pytest.raises(requests.exceptions.ConnectionError):
        await activate_with_stand_in(ld)
    await ld.close()
    ld = await connect(refused.udid)
    with pytest.raises(AssertionError):  # pymobiledevice3 asserts a text/xml answer
        await activate_with_stand_in(ld)
    await ld.close()
    assert offline.activation_state == refused.activation_state == "Unactivated"
    sim.erase(locked.udid)
    assert locked.activation_lock  # the previous owner's lock is not on the device's storage


async def test_i5_erase_leaves_the_device_unactivated(ios_sim: IOSSimulatorThread) -> None:
    """I-5: an erased device must be activated again."""
    from tests.sim_ios.conftest import wait_until

    dev = ios_sim.plug(activation_state="Activated")
    ld = await connect(dev.udid)
    async with MobileConfigService(ld) as mc:
        await mc.erase_device(preserve_data_plan=True, disallow_proximity_setup=False)
    await ld.close()
    await wait_until(lambda: dev.erase_count == 1 and dev.attached, "the erased device")
    ld = await connect(dev.udid)
    try:
        assert await ld.get_value(key="ActivationState") == "Unactivated"
    finally:
        await ld.close()


async def test_i6_what_the_device_keeps(ios_sim: IOSSimulatorThread, keybag: Path) -> None:
    """I-6: ConfigurationSource is the device's, IsMandatory forced (iOS 13+), unusable keys dropped."""
    phone = ios_sim.plug("iPhone15,4", activation_state="Activated")
    ipad = ios_sim.plug("iPad13,18", activation_state="Activated")
    sent = {
        "IsSupervised": False,
        "IsMandatory": False,
        "IsMDMUnremovable": True,
        "IsMultiUser": True,
        "SupervisorHostCertificates": [supervisor_der(keybag)],
        "ConfigurationSource": 0,
        "OrganizationName": "ACME",
    }
    for dev in (phone, ipad):
        ld = await connect(dev.udid)
        async with MobileConfigService(ld) as mc:
            await mc.set_cloud_configuration(sent)
            kept = await mc.get_cloud_configuration()
        await ld.close()
        assert kept is not None
        assert kept["ConfigurationSource"] == 2 and kept["IsMandatory"] is True
        assert kept["IsMDMUnremovable"] is False  # unsupervised: MDM always removable
        assert "SupervisorHostCertificates" not in kept and "IsMultiUser" not in kept
        assert kept["OrganizationName"] == "ACME"
    supervised_ipad = ios_sim.plug("iPad13,18", activation_state="Activated")
    ld = await connect(supervised_ipad.udid)
    async with MobileConfigService(ld) as mc:
        await mc.set_cloud_configuration({**sent, "IsSupervised": True})
        kept = await mc.get_cloud_configuration()
    await ld.close()
    assert kept is not None and kept["IsMultiUser"] is True and kept["IsMDMUnremovable"] is True


async def test_i7_set_up_device_holds_a_completed_configuration(ios_sim: IOSSimulatorThread) -> None:
    """I-7: after Setup Assistant a device keeps a configuration marked complete."""
    by_hand = ios_sim.plug(setup_assistant=False)
    assert by_hand.cloud_configuration == {"CloudConfigurationUIComplete": True, "IsSupervised": False}
    fresh = ios_sim.plug(activation_state="Activated")
    ld = await connect(fresh.udid)
    async with MobileConfigService(ld) as mc:
        await mc.set_cloud_configuration({"IsSupervised": False, "CloudConfigurationUIComplete": False})
    await ld.close()
    fresh.complete_setup()
    cfg = fresh.cloud_configuration
    assert cfg is not None and cfg["CloudConfigurationUIComplete"] is True


async def test_i8_status_replies(ios_sim: IOSSimulatorThread, keybag: Path, tmp_path: Path) -> None:
    """I-8: CertificateRejected, SignedRequestRejected, CommandFormatError, ErrorPayloadEmpty."""
    from pymobiledevice3.ca import create_keybag_file

    dev = ios_sim.plug(activation_state="Activated")
    ld = await connect(dev.udid)
    try:
        async with MobileConfigService(ld) as mc:
            other = tmp_path / "other.pem"
            create_keybag_file(other, "Not the supervisor")
            reply = await _send(mc, {"RequestType": "Escalate", "SupervisorCertificate": supervisor_der(other)})
            assert reply == {"Status": "CertificateRejected"}  # unsupervised: nobody's certificate matches
            await mc.set_cloud_configuration(
                {"IsSupervised": True, "SupervisorHostCertificates": [supervisor_der(keybag)]}
            )
            reply = await _send(mc, {"RequestType": "Escalate", "SupervisorCertificate": supervisor_der(other)})
            assert reply == {"Status": "CertificateRejected"}
            assert await _send(mc, {"RequestType": "EscalateResponse", "SignedRequest": b"junk"}) == {
                "Status": "SignedRequestRejected"
            }
            assert await _send(mc, {"RequestType": "NoSuchRequest"}) == {"Status": "CommandFormatError"}
            assert await _send(mc, {"RequestType": "InstallProfile", "Payload": b""}) == {"Status": "ErrorPayloadEmpty"}
            with pytest.raises(ProfileError, match="CertificateRejected"):
                await mc.install_profile_silent(other, make_profile("com.example.x"))
    finally:
        await ld.close()


async def test_i9_dep_download_failures(ios_sim_factory) -> None:  # type: ignore[no-untyped-def]
    """I-9: not activated (33003), offline (NSURLErrorDomain -1009), not assigned; ADE source is 1."""
    sim = ios_sim_factory(faults=["1:no-network"])
    unactivated = sim.plug()
    offline = sim.plug(activation_state="Activated")
    assigned = sim.plug(activation_state="Activated")
    sim.abm_assignments[assigned.serial] = {"IsSupervised": True, "ConfigurationURL": "https://mdm.example.jp/"}
    for dev, expected in ((unactivated, "33003"), (offline, "NSURLErrorDomain")):
        ld = await connect(dev.udid)
        async with MobileConfigService(ld) as mc:
            with pytest.raises(ProfileError, match=expected):
                await mc.download_and_apply_cloud_configuration()
        await ld.close()
    ld = await connect(assigned.udid)
    async with MobileConfigService(ld) as mc:
        await mc.download_and_apply_cloud_configuration()
        cfg = await mc.get_cloud_configuration()
    await ld.close()
    assert cfg is not None and cfg["ConfigurationSource"] == 1


async def test_i10_language_and_locale_through_lockdown(ios_sim: IOSSimulatorThread) -> None:
    """I-10: com.apple.international Language/Locale, as go-ios and cfgutil set them."""
    dev = ios_sim.plug()
    ld = await connect(dev.udid)
    try:
        await ld.set_language("ja")
        await ld.set_locale("ja_JP")
        assert await ld.get_language() == "ja" and await ld.get_locale() == "ja_JP"
    finally:
        await ld.close()


async def test_i11_leniency_only_when_asked(ios_sim_factory) -> None:  # type: ignore[no-untyped-def]
    """I-1 (fault option): ``allow-unactivated`` is the only way to configure an unactivated device."""
    sim = ios_sim_factory(faults=["0:allow-unactivated"])
    lenient, strict = sim.plug(), sim.plug()
    for dev, accepted in ((lenient, True), (strict, False)):
        ld = await connect(dev.udid)
        async with MobileConfigService(ld) as mc:
            if accepted:
                await mc.set_cloud_configuration({"IsSupervised": False})
            else:
                with pytest.raises(ProfileError, match="33003"):
                    await mc.set_cloud_configuration({"IsSupervised": False})
        await ld.close()
    assert lenient.cloud_configuration is not None and strict.cloud_configuration is None
