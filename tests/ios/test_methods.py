"""The four CLOMO methods end to end: blueprint -> IOSAdapter.plan -> Pipeline -> simulated device."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from kitstation.domain.model import PermanentError, RunStatus
from kitstation.ios import IOSAdapter
from kitstation.ios.identities import generate_identity
from kitstation.ios.profiles import build_profile
from kitstation.ios.steps import check_dep_assignment
from kitstation.log.store import KitLog
from kitstation.simulator.ios import IOSSimulatorThread
from tests.fixtures.waiting import until
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
        "ios.activate",
        "ios.language",
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
    # Activated before the configuration (a real device refuses it before), through lockdown too.
    assert sim_dev.activation_state == "Activated" and sim_dev.activation_acknowledged
    intl = sim_dev._control(lambda: sim_dev.domain_values("com.apple.international"))
    assert intl is not None and intl["Language"] == "ja" and intl["Locale"] == "ja_JP"
    wifi = [p for p in sim_dev.profiles if p["PayloadIdentifier"] == "jp.kitstation.wifi.kitting-bench"]
    assert wifi and wifi[0]["PayloadContent"][0]["Password"] == "s3cret-wifi-pass"
    row = kitlog.device_row(kitlog.upsert_device(device))
    assert row["external_state"] == "awaiting_abm"


async def test_supervise_without_dep_then_rerun_is_already_done(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter, kitlog: KitLog, tmp_path: Path
) -> None:
    _anchor(tmp_path)
    text = PREPARE.format(method="supervise", dep="false", url=MDM_URL)
    bp = blueprint(tmp_path, text.replace('[ios.supervision_identity]\nname = "acme"\n', ""))
    sim_dev = ios_sim.plug("iPad13,18", product_version="17.4")
    device = await adapter.identify(sim_dev.udid)
    status = await run(adapter, kitlog, device, bp, {"wifi": "pw-12345678"})
    assert status == RunStatus.OK, last_steps(kitlog)
    assert "ios.abm_handoff" not in [s[0] for s in last_steps(kitlog)]
    cfg = sim_dev.cloud_configuration
    assert cfg is not None and cfg["IsSupervised"] is True
    # 17.4: Zoom is gone, ActionButton is known; no name given -> the station's identity was made.
    assert "Zoom" not in cfg["SkipSetup"] and "ActionButton" in cfg["SkipSetup"]
    (made,) = adapter.identities.list()
    assert made.name == "station-default" and made.organization == "ACME Kitting"
    assert [bytes(c) for c in cfg["SupervisorHostCertificates"]] == [made.certificate_der]
    assert sim_dev.supervised and sim_dev.erase_count == 1
    # Plugged again later: the log says it is done; nothing is erased twice.
    assert await run(adapter, kitlog, device, bp, {"wifi": "pw-12345678"}) == RunStatus.OK
    assert sim_dev.erase_count == 1


async def test_dep_method_pulls_the_abm_configuration(ios_sim_factory: object, tmp_path: Path, kitlog: KitLog) -> None:
    from kitstation.ios import IdentityStore
    from tests.ios.conftest import FAST

    assigned = {"IsSupervised": True, "ConfigurationURL": MDM_URL, "OrganizationName": "ACME", "SkipSetup": []}
    sim = ios_sim_factory(abm_assignments={"F2LDEP000001": assigned})  # type: ignore[operator]
    adapter = IOSAdapter(sim.address, tmp_path / "pairing", IdentityStore(tmp_path / "ids"), FAST)
    try:
        bp = blueprint(tmp_path, 'name = "dep"\n[ios]\nmethod = "dep"\nerase = false\n')
        dep_dev = sim.plug(serial="F2LDEP000001")
        other = sim.plug(serial="F2LNOTDEP001")
        device = await adapter.identify(dep_dev.udid)
        assert await run(adapter, kitlog, device, bp) == RunStatus.OK, last_steps(kitlog)
        assert kitlog.device_row(kitlog.upsert_device(device))["external_state"] == "abm_assigned"
        assert dep_dev.cloud_configuration is not None
        assert dep_dev.cloud_configuration["ConfigurationURL"] == MDM_URL

        device2 = await adapter.identify(other.udid)
        assert await run(adapter, kitlog, device2, bp) == RunStatus.WAITING_EXTERNAL
        assert last_steps(kitlog) == [
            ("ios.activate", "ok", None),
            ("ios.dep_verify", "waiting_external", "abm_not_assigned"),
        ]
        assert kitlog.device_row(kitlog.upsert_device(device2))["external_state"] == "awaiting_abm"
    finally:
        await adapter.aclose()


async def test_manual_dep_then_abm_assignment_is_verified(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter, kitlog: KitLog, tmp_path: Path
) -> None:
    _anchor(tmp_path)
    adapter.identities.generate("acme", "ACME Kitting")
    bp = blueprint(tmp_path, PREPARE.format(method="manual_dep", dep="true", url=MDM_URL))
    sim_dev = ios_sim.plug()
    device = await adapter.identify(sim_dev.udid)
    assert await run(adapter, kitlog, device, bp, {"wifi": "pw-12345678"}) == RunStatus.WAITING_EXTERNAL
    # Before ABM: the device carries the station's configuration, not Apple's.
    result = await adapter.verify_dep_assignment(device)
    assert result.detail is not None and result.detail["external_state"] == "awaiting_abm"
    # Someone assigns the serial in ABM; the device is erased and asked again.
    ios_sim.sim.abm_assignments[sim_dev.serial] = {"IsSupervised": True, "ConfigurationURL": MDM_URL}  # type: ignore[union-attr]
    ios_sim.erase(sim_dev.udid)
    await adapter.connector.wait_detached(sim_dev.udid)
    await adapter.connector.wait_setup_assistant(sim_dev.udid, 20)
    # Erased means unactivated: the device fetches nothing from Apple before activation.
    with pytest.raises(PermanentError) as info:
        await check_dep_assignment(adapter.connector, sim_dev.udid)
    assert info.value.code == "not_activated"
    result = await adapter.verify_dep_assignment(device)  # activates first, then asks
    assert sim_dev.activation_state == "Activated"
    assert result.detail is not None and result.detail["external_state"] == "abm_assigned"


DIRECT = """
name = "direct"
[ios]
method = "direct_profile"
erase = false
supervise = false
enrollment_profile = "enroll.mobileconfig"
"""


async def test_direct_profile_waits_for_the_user(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter, kitlog: KitLog, tmp_path: Path
) -> None:
    import asyncio

    enroll = build_profile(
        [
            {
                "PayloadType": "com.apple.mdm",
                "PayloadVersion": 1,
                "PayloadIdentifier": "jp.acme.mdm.payload",
                "PayloadUUID": "6A3E1C1E-0000-4000-8000-000000000001",
                "ServerURL": MDM_URL + "/server",
                "CheckInURL": MDM_URL + "/checkin",
                "Topic": "com.apple.mgmt.External.acme",
                "IdentityCertificateUUID": "6A3E1C1E-0000-4000-8000-000000000002",
                "AccessRights": 8191,
            }
        ],
        identifier="jp.acme.mdm.enroll",
        display_name="ACME MDM",
    )
    (tmp_path / "enroll.mobileconfig").write_bytes(enroll)
    bp = blueprint(tmp_path, DIRECT)
    sim_dev = ios_sim.plug(setup_assistant=False)
    device = await adapter.identify(sim_dev.udid)
    task = asyncio.create_task(run(adapter, kitlog, device, bp))
    await until(lambda: sim_dev.pending_profiles or task.done(), "the profile on the device")
    assert not task.done(), last_steps(kitlog)
    assert not task.done()  # still waiting for the confirmation on the device
    assert sim_dev.confirm_profile() == ["jp.acme.mdm.enroll"]
    assert await task == RunStatus.OK, last_steps(kitlog)
    assert [s[0] for s in last_steps(kitlog)] == ["ios.enroll_profile", "ios.verify"]
    assert plistlib.loads(enroll)["PayloadIdentifier"] in [p["PayloadIdentifier"] for p in sim_dev.profiles]


async def test_dep_method_on_a_set_up_device_says_erase_first_or_erases(
    ios_sim_factory: object, tmp_path: Path, kitlog: KitLog
) -> None:
    from kitstation.ios import IdentityStore
    from tests.ios.conftest import FAST

    sim = ios_sim_factory(abm_assignments={"F2LDEP000002": {"IsSupervised": True, "ConfigurationURL": MDM_URL}})  # type: ignore[operator]
    adapter = IOSAdapter(sim.address, tmp_path / "pairing", IdentityStore(tmp_path / "ids"), FAST)
    try:
        sim_dev = sim.plug(serial="F2LDEP000002", setup_assistant=False)
        device = await adapter.identify(sim_dev.udid)
        bp = blueprint(tmp_path, 'name = "dep"\n[ios]\nmethod = "dep"\nerase = false\n')
        assert await run(adapter, kitlog, device, bp) == RunStatus.FAILED
        assert last_steps(kitlog) == [("ios.activate", "ok", None), ("ios.dep_verify", "failed", "erase_first")]
        assert sim_dev.erase_count == 0
        bp2 = blueprint(tmp_path, 'name = "dep2"\n[ios]\nmethod = "dep"\nerase = false\nerase_if_configured = true\n')
        assert await run(adapter, kitlog, device, bp2) == RunStatus.OK, last_steps(kitlog)
        assert sim_dev.erase_count == 1
        assert kitlog.device_row(kitlog.upsert_device(device))["external_state"] == "abm_assigned"
    finally:
        await adapter.aclose()


async def test_imported_wifi_and_signed_extra_profile_installed_silently(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter, kitlog: KitLog, tmp_path: Path
) -> None:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization import pkcs7

    from kitstation.ios.profiles import wifi_profile

    (tmp_path / "wifi.mobileconfig").write_bytes(wifi_profile("imported-net", "WPA2", "imported-pass"))
    signer, key = generate_identity("Profile Signer")
    extra = build_profile(
        [
            {
                "PayloadType": "com.apple.webClip.managed",
                "PayloadVersion": 1,
                "PayloadIdentifier": "jp.acme.clip.p",
                "PayloadUUID": "0D1C2B3A-0000-4000-8000-00000000000A",
                "URL": "https://portal.acme.example/",
                "Label": "Portal",
            }
        ],
        identifier="jp.acme.clip",
        display_name="Portal",
    )
    signed = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(extra)
        .add_signer(signer, key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
    )
    (tmp_path / "portal-signed.mobileconfig").write_bytes(signed)
    bp = blueprint(
        tmp_path,
        'name = "imported"\n[ios]\nmethod = "supervise"\nwifi_profile = "wifi.mobileconfig"\n'
        'profiles = ["portal-signed.mobileconfig"]\n[ios.mdm_server]\nname = "m"\nurl = "https://mdm.example.jp/"\n',
    )
    sim_dev = ios_sim.plug()
    device = await adapter.identify(sim_dev.udid)
    assert await run(adapter, kitlog, device, bp) == RunStatus.OK, last_steps(kitlog)
    assert [s[0] for s in last_steps(kitlog)][-3:] == ["ios.profile.wifi", "ios.profile.1", "ios.verify"]
    assert sorted(p["PayloadIdentifier"] for p in sim_dev.profiles) == [
        "jp.acme.clip",
        "jp.kitstation.wifi.imported-net",
    ]


async def test_several_devices_at_once_share_one_default_identity(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter, kitlog: KitLog, tmp_path: Path
) -> None:
    import asyncio

    bp = blueprint(
        tmp_path,
        'name = "batch"\n[ios]\nmethod = "supervise"\n[ios.organization]\nname = "ACME"\n'
        '[ios.mdm_server]\nname = "m"\nurl = "https://mdm.example.jp/"\n',
    )
    sims = [ios_sim.plug() for _ in range(4)]
    devices = [await adapter.identify(s.udid) for s in sims]
    statuses = await asyncio.gather(*(run(adapter, kitlog, d, bp) for d in devices))
    assert statuses == [RunStatus.OK] * 4
    (identity,) = adapter.identities.list()
    for s in sims:
        cfg = s.cloud_configuration
        assert cfg is not None and [bytes(c) for c in cfg["SupervisorHostCertificates"]] == [identity.certificate_der]
        assert s.erase_count == 1
