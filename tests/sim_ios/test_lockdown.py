"""lockdownd: values, the Trust dialog's states, passcode lock, TLS sessions, supervised pairing."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
from pymobiledevice3.exceptions import (
    InvalidServiceError,
    MissingValueError,
    PairingDialogResponsePendingError,
    PasswordRequiredError,
    UserDeniedPairingError,
)
from pymobiledevice3.lockdown import create_using_usbmux

from kitstation.simulator.ios import IOSSimulatorThread, luhn_valid
from kitstation.simulator.ios.mcinstall import ERR_CLOUD_CONFIG_PRESENT
from tests.sim_ios.conftest import connect, supervisor_der


async def test_values_of_a_cellular_iphone(ios_sim: IOSSimulatorThread) -> None:
    dev = ios_sim.plug("iPhone 15")
    lockdown = await connect(dev.udid)
    try:
        values = await lockdown.get_value()
        assert values["UniqueDeviceID"] == dev.udid
        assert values["SerialNumber"] == dev.serial
        assert values["UniqueChipID"] == dev.ecid == lockdown.ecid
        assert values["ProductType"] == "iPhone15,4" and values["DeviceClass"] == "iPhone"
        assert values["ProductVersion"] == dev.product_version and values["BuildVersion"]
        assert values["HardwareModel"] == "D37AP"
        imei = values["InternationalMobileEquipmentIdentity"]
        assert imei == dev.imei and len(imei) == 15 and luhn_valid(imei)
        assert values["DevicePublicKey"].startswith(b"-----BEGIN RSA PUBLIC KEY-----")
        assert values["ActivationState"] == "Unactivated"  # new in box, in Setup Assistant
        assert await lockdown.get_value("com.apple.PurpleBuddy", "SetupDone") is False
        with pytest.raises(MissingValueError):
            await lockdown.get_value(key="NoSuchKey")
    finally:
        await lockdown.close()


async def test_wifi_ipad_has_no_imei(ios_sim: IOSSimulatorThread) -> None:
    dev = ios_sim.plug("iPad13,18")
    assert dev.imei is None
    lockdown = await connect(dev.udid)
    try:
        values = await lockdown.get_value()
        assert "InternationalMobileEquipmentIdentity" not in values
        assert values["DeviceClass"] == "iPad"
    finally:
        await lockdown.close()


async def test_unpaired_host_sees_only_public_values(ios_sim: IOSSimulatorThread) -> None:
    dev = ios_sim.plug(setup_assistant=False)
    lockdown = await create_using_usbmux(dev.udid, autopair=False)
    try:
        assert not lockdown.paired
        assert lockdown.all_values["UniqueDeviceID"] == dev.udid
        assert "SerialNumber" not in lockdown.all_values
        assert "DevicePublicKey" in lockdown.all_values
    finally:
        await lockdown.close()


async def test_trust_pending_until_the_user_taps_trust(ios_sim: IOSSimulatorThread) -> None:
    dev = ios_sim.plug(trust="pending")
    assert not dev.in_setup_assistant
    with pytest.raises(PairingDialogResponsePendingError):
        await connect(dev.udid)
    assert dev.paired_hosts == []
    dev.tap_trust()
    lockdown = await connect(dev.udid)
    try:
        assert lockdown.paired and len(dev.paired_hosts) == 1
    finally:
        await lockdown.close()


async def test_trust_refused(ios_sim: IOSSimulatorThread) -> None:
    dev = ios_sim.plug(trust="refused")
    with pytest.raises(UserDeniedPairingError):
        await connect(dev.udid)
    pending = ios_sim.plug(trust="pending")
    pending.refuse_trust()
    with pytest.raises(UserDeniedPairingError):
        await connect(pending.udid)


async def test_passcode_locked_then_unlocked(ios_sim: IOSSimulatorThread) -> None:
    dev = ios_sim.plug(passcode_locked=True)
    with pytest.raises(PasswordRequiredError):
        await connect(dev.udid)
    dev.unlock()
    lockdown = await connect(dev.udid)
    await lockdown.close()


async def test_setup_assistant_pairs_without_trust_dialog(ios_sim: IOSSimulatorThread) -> None:
    dev = ios_sim.plug(setup_assistant=True, trust="pending")
    lockdown = await connect(dev.udid)
    try:
        assert lockdown.paired
    finally:
        await lockdown.close()


async def test_session_is_tls_and_pair_record_is_reused(ios_sim: IOSSimulatorThread) -> None:
    dev = ios_sim.plug()
    lockdown = await connect(dev.udid)
    try:
        assert lockdown.session_id
        transport = lockdown.service.writer.transport
        assert transport.get_extra_info("ssl_object") is not None
        assert isinstance(transport.get_extra_info("ssl_object"), ssl.SSLObject)
        with pytest.raises(InvalidServiceError):
            await lockdown.start_lockdown_service("com.apple.syslog_relay")  # not simulated
        await lockdown.stop_session()
    finally:
        await lockdown.close()
    # The host saved its record (to usbmuxd and ~/.pymobiledevice3): the second connection
    # validates it and starts a session without pairing again.
    hosts = dev.paired_hosts
    again = await connect(dev.udid, autopair=False)
    try:
        assert again.paired and dev.paired_hosts == hosts
    finally:
        await again.close()
    assert (Path.home() / ".pymobiledevice3" / f"{dev.udid}.plist").exists()


async def test_supervised_pairing_with_challenge(ios_sim: IOSSimulatorThread, keybag: Path) -> None:
    cert = supervisor_der(keybag)
    dev = ios_sim.plug(supervised=True, trust="refused", cloud_configuration=None)
    # A supervised device whose configuration names our certificate pairs without the dialog.
    ios_sim.call(_set_config, dev, {"IsSupervised": True, "SupervisorHostCertificates": [cert]})
    lockdown = await create_using_usbmux(dev.udid, autopair=False)
    try:
        await lockdown.pair_supervised(keybag)
        assert await lockdown.validate_pairing()
        assert dev.paired_hosts
    finally:
        await lockdown.close()
    assert ERR_CLOUD_CONFIG_PRESENT == 14002


async def _set_config(dev, config):  # type: ignore[no-untyped-def]
    dev.cloud_config = config


async def test_start_session_is_refused_unpaired_and_pair_works_on_that_same_connection(
    ios_sim: IOSSimulatorThread,
) -> None:
    """What pymobiledevice3's autopair relies on (lockdown.py ``_handle_autopair``: validate_pairing,
    whose StartSession is refused with InvalidHostID, then Pair and StartSession on the same
    connection) and kitstation/ios/connect.py does: no second connection is needed to pair."""
    dev = ios_sim.plug()
    lockdown = await create_using_usbmux(dev.udid, autopair=False)
    try:
        connection = lockdown.service
        # A made-up record: the device does not know this host, so StartSession is refused.
        lockdown.pair_record = {"HostID": "00000000-0000-0000-0000-000000000000", "SystemBUID": "X"}
        assert not await lockdown.validate_pairing()
        assert not _paired(lockdown) and dev.paired_hosts == [] and lockdown.service is connection
        await lockdown.pair()
        assert await lockdown.validate_pairing()
        assert _paired(lockdown) and lockdown.service is connection and len(dev.paired_hosts) == 1
        assert lockdown.service.writer.transport.get_extra_info("ssl_object") is not None
    finally:
        await lockdown.close()


def _paired(lockdown: object) -> bool:
    """The client's flag, read afresh (mypy would otherwise keep it narrowed across awaits)."""
    return bool(vars(lockdown).get("paired"))
