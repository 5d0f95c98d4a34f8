"""The activation step of Prepare on the simulated bench: done, refused with a clear reason, or resumed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kitstation.domain.model import RunStatus
from kitstation.ios import IdentityStore, IOSAdapter
from kitstation.ios.replies import parse, reason
from kitstation.log.store import KitLog
from tests.ios.conftest import FAST, blueprint, last_steps, run

SUPERVISE = """
name = "supervise"
[ios]
method = "supervise"
erase = false
[ios.organization]
name = "ACME"
[ios.mdm_server]
name = "CLOMO"
url = "https://mdm.example.jp/acme/"
"""


def _adapter(sim: Any, tmp_path: Path) -> IOSAdapter:
    return IOSAdapter(sim.address, tmp_path / "pairing", IdentityStore(tmp_path / "ids"), FAST)


async def test_prepare_activates_before_the_configuration(
    ios_sim: Any, adapter: IOSAdapter, kitlog: KitLog, tmp_path: Path
) -> None:
    sim_dev = ios_sim.plug()
    device = await adapter.identify(sim_dev.udid)
    assert device.facts["activation_state"] == "Unactivated"
    assert await run(adapter, kitlog, device, blueprint(tmp_path, SUPERVISE)) == RunStatus.OK, last_steps(kitlog)
    steps = [s[0] for s in last_steps(kitlog)]
    assert steps.index("ios.activate") < steps.index("ios.cloud_config")
    assert sim_dev.activation_state == "Activated" and sim_dev.supervised
    assert ios_sim.sim.activation_server.requests == 2  # handshake + activation, through HTTPS


@pytest.mark.parametrize(
    ("fault", "code", "words"),
    [
        ("activation-lock", "activation_lock", ("Activation Lock", "アクティベーションロック")),
        ("no-network", "activation_no_network", ("internet", "インターネット")),
        ("activation-refused", "activation_refused", ("refused", "拒否")),
    ],
)
async def test_activation_failures_have_clear_reasons(
    ios_sim_factory: Any, kitlog: KitLog, tmp_path: Path, fault: str, code: str, words: tuple[str, str]
) -> None:
    sim = ios_sim_factory(faults=[f"0:{fault}"])
    adapter = _adapter(sim, tmp_path)
    try:
        sim_dev = sim.plug()
        device = await adapter.identify(sim_dev.udid)
        assert await run(adapter, kitlog, device, blueprint(tmp_path, SUPERVISE)) == RunStatus.FAILED
        steps = last_steps(kitlog)
        # No network is worth retrying (the pipeline's attempts); the others are final at once.
        assert set(steps) == {("ios.activate", "failed", code)}
        assert len(steps) == (3 if fault == "no-network" else 1)
        step = kitlog.steps(kitlog.history(limit=1)[0]["run_id"])[-1]
        assert words[0] in step["message_en"] and words[1] in step["message_ja"], step
        assert sim_dev.cloud_configuration is None and sim_dev.activation_state == "Unactivated"
    finally:
        await adapter.aclose()


async def test_device_dropping_out_mid_activation_resumes(ios_sim_factory: Any, kitlog: KitLog, tmp_path: Path) -> None:
    sim = ios_sim_factory(faults=["0:unplug-at=activate"])
    adapter = _adapter(sim, tmp_path)
    try:
        sim_dev = sim.plug()
        device = await adapter.identify(sim_dev.udid)
        bp = blueprint(tmp_path, SUPERVISE)
        assert await run(adapter, kitlog, device, bp) == RunStatus.INTERRUPTED
        assert sim_dev.activation_state == "Unactivated" and sim_dev.cloud_configuration is None
        sim.replug(sim_dev.udid)
        assert await run(adapter, kitlog, device, bp) == RunStatus.OK, last_steps(kitlog)
        assert sim_dev.activation_state == "Activated" and sim_dev.supervised
    finally:
        await adapter.aclose()


def test_replies_are_read_back_from_pymobiledevice3_messages() -> None:
    msg = (
        "The device rejected the profile request: {'Status': 'Error', 'ErrorChain': [{'ErrorDomain': "
        "'MCCloudConfigErrorDomain', 'ErrorCode': 33001, 'USEnglishDescription': 'Could not fetch.'}, "
        "{'ErrorCode': -1009, 'ErrorDomain': 'NSURLErrorDomain', 'LocalizedDescription': 'Offline.'}]}"
    )
    reply = parse(msg)
    assert reply.status == "Error" and [(link.domain, link.code) for link in reply.chain] == [
        ("MCCloudConfigErrorDomain", 33001),
        ("NSURLErrorDomain", -1009),
    ]
    assert reason(msg)[0] == "device_no_network"
    for status, code in (
        ("CertificateRejected", "certificate_rejected"),
        ("SignedRequestRejected", "signed_request_rejected"),
        ("CommandFormatError", "command_format_error"),
        ("ErrorPayloadEmpty", "payload_empty"),
    ):
        got, text = reason(f"The device rejected the profile request: {{'Status': '{status}'}}")
        assert got == code and text.en and text.ja
    not_activated = (
        "x: {'Status': 'Error', 'ErrorChain': [{'ErrorDomain': 'MCCloudConfigErrorDomain', 'ErrorCode': 33003}]}"
    )
    assert reason(not_activated)[0] == "not_activated"
