"""The bench's reality: Trust prompts, configured devices (14002), cables pulled, bad files, secrets."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from kitstation.domain.model import RunStatus, UserAction, UserActionRequired
from kitstation.ios import IdentityStore, IOSAdapter
from kitstation.ios.identities import generate_identity
from kitstation.log.store import KitLog
from kitstation.simulator.ios import IOSSimulatorThread
from tests.fixtures.waiting import until
from tests.ios.conftest import FAST, blueprint, last_steps, run

SUPERVISE = """
name = "supervise"
[ios]
method = "supervise"
erase = {erase}
erase_if_configured = {eic}
profiles = {profiles}
[ios.organization]
name = "ACME"
[ios.mdm_server]
name = "CLOMO"
url = "https://mdm.example.jp/acme/"
[ios.wifi]
ssid = "bench"
password_secret = "wifi"
"""


def _bp(tmp_path: Path, erase: bool = True, eic: bool = False, profiles: str = "[]") -> Any:
    return blueprint(tmp_path, SUPERVISE.format(erase=str(erase).lower(), eic=str(eic).lower(), profiles=profiles))


async def _until(cond: Callable[[], bool]) -> None:
    await until(cond, "the simulated device")  # with the tests' budget (tests/fixtures/waiting.py)


async def test_trust_pending_then_accepted(ios_sim: IOSSimulatorThread, adapter: IOSAdapter) -> None:
    sim_dev = ios_sim.plug(trust="pending")
    with pytest.raises(UserActionRequired) as info:
        await adapter.identify(sim_dev.udid)
    assert info.value.action == UserAction.TAP_TRUST
    # The bench simply asks again: still pending, same answer, nothing left half-open.
    with pytest.raises(UserActionRequired):
        await adapter.identify(sim_dev.udid)
    sim_dev.tap_trust()
    device = await adapter.identify(sim_dev.udid)
    assert device.udid == sim_dev.udid and device.facts["setup_assistant"] is False
    assert device.facts["paired"] is True and device.facts["paired_before"] is False


async def test_locked_device_asks_for_unlock(ios_sim: IOSSimulatorThread, adapter: IOSAdapter) -> None:
    sim_dev = ios_sim.plug(passcode_locked=True)
    with pytest.raises(UserActionRequired) as info:
        await adapter.identify(sim_dev.udid)
    assert info.value.action == UserAction.UNLOCK
    sim_dev.unlock()
    assert (await adapter.identify(sim_dev.udid)).serial == sim_dev.serial


async def test_configured_device_14002_says_erase_first(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter, kitlog: KitLog, tmp_path: Path
) -> None:
    sim_dev = ios_sim.plug(setup_assistant=False)
    device = await adapter.identify(sim_dev.udid)
    status = await run(adapter, kitlog, device, _bp(tmp_path, erase=False), {"wifi": "pw-12345678"})
    assert status == RunStatus.FAILED
    assert last_steps(kitlog) == [("ios.activate", "ok", None), ("ios.cloud_config", "failed", "erase_first")]
    run_row = kitlog.history(limit=1)[0]
    assert "erase" in str(run_row).lower()
    assert sim_dev.erase_count == 0


async def test_configured_device_erased_when_the_blueprint_allows(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter, kitlog: KitLog, tmp_path: Path
) -> None:
    sim_dev = ios_sim.plug(setup_assistant=False)
    device = await adapter.identify(sim_dev.udid)
    status = await run(adapter, kitlog, device, _bp(tmp_path, erase=False, eic=True), {"wifi": "pw-12345678"})
    assert status == RunStatus.OK, last_steps(kitlog)
    assert sim_dev.erase_count == 1 and sim_dev.supervised


async def test_unplug_during_erase_then_replug_resumes(
    ios_sim_factory: Callable[..., IOSSimulatorThread], kitlog: KitLog, tmp_path: Path
) -> None:
    sim = ios_sim_factory(faults=["0:unplug-at=erase"])
    adapter = IOSAdapter(sim.address, tmp_path / "pairing", IdentityStore(tmp_path / "ids"), FAST)
    try:
        sim_dev = sim.plug()
        device = await adapter.identify(sim_dev.udid)
        task = asyncio.create_task(run(adapter, kitlog, device, _bp(tmp_path), {"wifi": "pw-12345678"}))
        # The cable came out mid-erase; the device finishes erasing on battery, off the bus.
        await _until(lambda: sim_dev.erase_count == 1 or task.done())
        assert not task.done() and not sim_dev.attached
        sim.replug(sim_dev.udid)
        assert await task == RunStatus.OK, last_steps(kitlog)
        assert sim_dev.erase_count == 1 and sim_dev.supervised
    finally:
        await adapter.aclose()


async def test_unplug_during_profile_install_then_replug_resumes(
    ios_sim_factory: Callable[..., IOSSimulatorThread], kitlog: KitLog, tmp_path: Path
) -> None:
    sim = ios_sim_factory(faults=["0:unplug-at=install-profile-silent"])
    adapter = IOSAdapter(sim.address, tmp_path / "pairing", IdentityStore(tmp_path / "ids"), FAST)
    try:
        sim_dev = sim.plug()
        device = await adapter.identify(sim_dev.udid)
        bp = _bp(tmp_path)
        assert await run(adapter, kitlog, device, bp, {"wifi": "pw-12345678"}) == RunStatus.INTERRUPTED
        assert last_steps(kitlog)[-1] == ("ios.profile.wifi", "interrupted", "device_gone")
        sim.replug(sim_dev.udid)
        device = await adapter.identify(sim_dev.udid)
        assert await run(adapter, kitlog, device, bp, {"wifi": "pw-12345678"}) == RunStatus.OK, last_steps(kitlog)
        steps = last_steps(kitlog)
        assert ("ios.erase", "ok", None) in steps  # from the first attempt, not repeated
        assert steps[-2:] == [("ios.profile.wifi", "ok", None), ("ios.verify", "ok", None)]
        assert sim_dev.erase_count == 1
        assert [p["PayloadIdentifier"] for p in sim_dev.profiles] == ["jp.kitstation.wifi.bench"]
    finally:
        await adapter.aclose()


async def test_malformed_mobileconfig_fails_its_step_clearly(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter, kitlog: KitLog, tmp_path: Path
) -> None:
    (tmp_path / "broken.mobileconfig").write_bytes(b"<?xml version='1.0'?><plist><dict><key>PayloadType")
    sim_dev = ios_sim.plug()
    device = await adapter.identify(sim_dev.udid)
    bp = _bp(tmp_path, profiles='["broken.mobileconfig"]')
    assert await run(adapter, kitlog, device, bp, {"wifi": "pw-12345678"}) == RunStatus.FAILED
    assert last_steps(kitlog)[-1] == ("ios.profile.1", "failed", "profile_invalid")
    reason = kitlog.history(limit=1)[0]
    assert "broken.mobileconfig" in str(reason)


async def test_no_secret_reaches_the_log(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter, kitlog: KitLog, tmp_path: Path, sqlite_url: str
) -> None:
    cert, key = generate_identity("ACME")
    passphrase = "p12-passphrase-XYZZY"
    p12 = pkcs12.serialize_key_and_certificates(
        b"acme", key, cert, None, serialization.BestAvailableEncryption(passphrase.encode())
    )
    (tmp_path / "acme.p12").write_bytes(p12)
    text = SUPERVISE.format(erase="true", eic="false", profiles="[]") + (
        '[ios.supervision_identity]\nfile = "acme.p12"\npassphrase_secret = "p12"\n'
    )
    bp = blueprint(tmp_path, text)
    wifi_password = "wifi-password-PLUGH"
    sim_dev = ios_sim.plug()
    device = await adapter.identify(sim_dev.udid)
    status = await run(adapter, kitlog, device, bp, {"wifi": wifi_password, "p12": passphrase})
    assert status == RunStatus.OK, last_steps(kitlog)
    assert sim_dev.supervised
    kitlog.close()
    db = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
    try:
        dump = "\n".join(db.iterdump())
    finally:
        db.close()
    key_der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    assert wifi_password not in dump and passphrase not in dump
    assert key_der.hex() not in dump.lower()
    assert key_pem.decode().splitlines()[5] not in dump
    assert "PRIVATE KEY" not in dump


async def test_station_stopped_mid_erase_resumes_without_erasing_twice(
    ios_sim_factory: Callable[..., IOSSimulatorThread], kitlog: KitLog, tmp_path: Path
) -> None:
    sim = ios_sim_factory(faults=["0:unplug-at=erase"])
    adapter = IOSAdapter(sim.address, tmp_path / "pairing", IdentityStore(tmp_path / "ids"), FAST)
    try:
        sim_dev = sim.plug()
        device = await adapter.identify(sim_dev.udid)
        bp = _bp(tmp_path)
        task = asyncio.create_task(run(adapter, kitlog, device, bp, {"wifi": "pw-12345678"}))
        await _until(lambda: sim_dev.erase_count == 1 or task.done())
        task.cancel()  # the station stops while it waits for the erased device to come back
        with pytest.raises(asyncio.CancelledError):
            await task
        # The device's acknowledgement was logged before anything relied on it.
        assert last_steps(kitlog)[-2:] == [
            ("ios.erase", "ok", None),
            ("ios.setup_assistant", "interrupted", "cancelled"),
        ]
        sim.replug(sim_dev.udid)
        device = await adapter.identify(sim_dev.udid)
        assert await run(adapter, kitlog, device, bp, {"wifi": "pw-12345678"}) == RunStatus.OK, last_steps(kitlog)
        assert sim_dev.erase_count == 1
    finally:
        await adapter.aclose()


async def test_supervised_device_pairs_without_trust_dialog(ios_sim: IOSSimulatorThread, adapter: IOSAdapter) -> None:
    adapter.identities.generate("other", "Other Org")
    ours = adapter.identities.generate("ours", "ACME")
    config = {"IsSupervised": True, "SupervisorHostCertificates": [ours.certificate_der]}
    sim_dev = ios_sim.plug(trust="pending", cloud_configuration=config)
    device = await adapter.identify(sim_dev.udid)
    assert device.facts["supervised"] is True
    # Supervised by somebody else: the Trust dialog is still needed.
    stranger = ios_sim.plug(
        trust="pending", cloud_configuration={"IsSupervised": True, "SupervisorHostCertificates": []}
    )
    with pytest.raises(UserActionRequired) as info:
        await adapter.identify(stranger.udid)
    assert info.value.action == UserAction.TAP_TRUST


async def test_trust_refused_says_replug(ios_sim: IOSSimulatorThread, adapter: IOSAdapter) -> None:
    sim_dev = ios_sim.plug(trust="refused")
    with pytest.raises(UserActionRequired) as info:
        await adapter.identify(sim_dev.udid)
    assert info.value.action == UserAction.TAP_TRUST and "replug" in info.value.reason.en


async def test_unplug_while_waiting_for_profile_confirmation(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter, kitlog: KitLog, tmp_path: Path
) -> None:
    from kitstation.ios.profiles import wifi_profile

    (tmp_path / "enroll.mobileconfig").write_bytes(wifi_profile("stand-in-enrollment", "None", None))
    bp = blueprint(
        tmp_path,
        'name = "direct"\n[ios]\nmethod = "direct_profile"\nerase = false\nsupervise = false\n'
        'enrollment_profile = "enroll.mobileconfig"\n',
    )
    sim_dev = ios_sim.plug(setup_assistant=False)
    device = await adapter.identify(sim_dev.udid)
    task = asyncio.create_task(run(adapter, kitlog, device, bp))
    await _until(lambda: bool(sim_dev.pending_profiles) or task.done())
    ios_sim.unplug(sim_dev.udid)
    assert await task == RunStatus.INTERRUPTED
    assert last_steps(kitlog)[-1] == ("ios.enroll_profile", "interrupted", "device_gone")
    # Off the cable the user installs the downloaded profile; plugged back, the run finds it done.
    sim_dev.confirm_profile()
    ios_sim.replug(sim_dev.udid)
    device = await adapter.identify(sim_dev.udid)
    assert await run(adapter, kitlog, device, bp) == RunStatus.OK, last_steps(kitlog)
    assert last_steps(kitlog)[-2:] == [
        ("ios.enroll_profile", "ok", "confirmed_after_resume"),
        ("ios.verify", "ok", None),
    ]
