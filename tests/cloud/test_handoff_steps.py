"""The batched hand-off steps: one activity/request for many devices, and what each device records."""

from __future__ import annotations

import asyncio

import pytest

from kitstation.abm.credentials import StoredAbmAccount
from kitstation.abm.steps import AbmAssignStep, AbmHandoff
from kitstation.blueprints.loader import loads_blueprint
from kitstation.blueprints.model import Blueprint
from kitstation.core.protocols import NoSecrets, Step, StepContext
from kitstation.domain.handoff import HANDOFF_KEY
from kitstation.domain.model import Device, Outcome, PermanentError, Platform, StepResult
from kitstation.kme.credentials import StoredKmeClient
from kitstation.kme.steps import KmeAssignStep, KmeHandoff
from kitstation.simulator.cloud import CloudStandIns
from tests.cloud.conftest import GALAXIES, IOS_SERIALS

ABM_BP = loads_blueprint(
    'name = "abm"\n[customer]\nname = "ACME"\n[ios]\nmethod = "dep"\nerase = false\n[abm]\nmdm_server = "CLOMO MDM"\n'
)
KME_BP = loads_blueprint(
    'name = "kme"\n[customer]\nname = "KDDI"\n[android]\nmethod = "kme"\n[android.kme]\nprofile_name = "SMSM Agent"\n'
    '[kme]\nprofile = "SMSM Agent"\n'
)


def abm_handoff(cloud: CloudStandIns) -> AbmHandoff:
    d = cloud.demo
    assert d is not None
    return AbmHandoff(
        accounts=lambda c: StoredAbmAccount(c, d.abm_client_id, d.abm_key_id, d.abm_private_key_pem),
        poll=0.01,
        window=0.2,
    )


def kme_handoff(cloud: CloudStandIns, *, approve: bool = True) -> KmeHandoff:
    d = cloud.demo
    assert d is not None
    return KmeHandoff(clients=lambda c: StoredKmeClient(c, d.kme_client_id, d.kme_client_secret), window=0.2)


def ios(serial: str) -> Device:
    return Device(Platform.IOS, key=f"udid-{serial}", serial=serial)


def galaxy(imei: str, serial: str) -> Device:
    return Device(Platform.ANDROID, key=serial, serial=serial, imeis=(imei,))


def ctx(device: Device, bp: Blueprint) -> StepContext:
    return StepContext(device=device, blueprint=bp, secrets=NoSecrets(), run_id=1)


async def _run_all(steps: list[tuple[Step, StepContext]]) -> list[StepResult | BaseException]:
    return await asyncio.gather(*(s.run(c) for s, c in steps), return_exceptions=True)


async def test_serials_finishing_together_go_in_one_activity(cloud: CloudStandIns) -> None:
    handoff = abm_handoff(cloud)
    try:
        devices = [ios(s) for s in IOS_SERIALS]
        steps = [(handoff.steps(ABM_BP, d)[0], ctx(d, ABM_BP)) for d in devices]
        assert all(isinstance(s, AbmAssignStep) for s, _ in steps)
        results = await _run_all(steps)
    finally:
        await handoff.aclose()
    assert len(cloud.abm.activities) == 1
    (activity,) = cloud.abm.activities.values()
    assert sorted(activity.serials) == sorted(IOS_SERIALS)
    for r in results:
        assert isinstance(r, StepResult) and r.outcome == Outcome.OK
        assert (
            r.detail is not None
            and r.detail[HANDOFF_KEY] == "abm_assigned"
            and r.detail["abm_activity_id"] == activity.id
        )
        assert r.reason is not None and activity.id in r.reason.en and activity.id in r.reason.ja
    server_id = next(sid for sid, (name, _) in cloud.abm.servers.items() if name == "CLOMO MDM")
    assert all(cloud.abm.assigned_server(s) == server_id for s in IOS_SERIALS)


async def test_a_serial_not_in_the_organization_waits_honestly_and_the_rest_are_assigned(cloud: CloudStandIns) -> None:
    handoff = abm_handoff(cloud)
    try:
        devices = [ios(IOS_SERIALS[0]), ios("NOTBOUGHTVIA1")]
        results = await _run_all([(handoff.steps(ABM_BP, d)[0], ctx(d, ABM_BP)) for d in devices])
    finally:
        await handoff.aclose()
    ok, waiting = results
    assert isinstance(ok, StepResult) and ok.outcome == Outcome.OK
    assert isinstance(waiting, StepResult) and waiting.outcome == Outcome.WAITING_EXTERNAL
    assert waiting.code == "abm_not_in_org" and waiting.detail == {
        HANDOFF_KEY: "awaiting_abm",
        "serial": "NOTBOUGHTVIA1",
    }
    assert (
        waiting.reason is not None
        and "Apple Configurator" in waiting.reason.en
        and "Apple Configurator" in waiting.reason.ja
    )
    (activity,) = cloud.abm.activities.values()
    assert activity.serials == [IOS_SERIALS[0]]  # the unknown serial was kept out of the activity


async def test_an_activity_that_fails_for_one_device_fails_only_that_device(cloud: CloudStandIns) -> None:
    cloud.abm.faults.fail_serials = {IOS_SERIALS[2]}
    handoff = abm_handoff(cloud)
    try:
        devices = [ios(s) for s in IOS_SERIALS]
        results = await _run_all([(handoff.steps(ABM_BP, d)[0], ctx(d, ABM_BP)) for d in devices])
    finally:
        await handoff.aclose()
    assert [isinstance(r, StepResult) and r.outcome == Outcome.OK for r in results] == [True, True, False]
    failed = results[2]
    assert isinstance(failed, PermanentError) and failed.code == "abm_assign_failed"
    assert "COMPLETED_WITH_FAILURE" in failed.reason.en and IOS_SERIALS[2] in failed.reason.ja


async def test_rate_limits_and_an_expired_token_do_not_fail_the_batch(
    cloud: CloudStandIns, monkeypatch: pytest.MonkeyPatch
) -> None:
    cloud.abm.faults.rate_limit = 2
    cloud.abm.faults.retry_after = 0
    cloud.abm.faults.expire_tokens = 1
    handoff = abm_handoff(cloud)
    try:
        devices = [ios(s) for s in IOS_SERIALS[:2]]
        results = await _run_all([(handoff.steps(ABM_BP, d)[0], ctx(d, ABM_BP)) for d in devices])
    finally:
        await handoff.aclose()
    assert all(isinstance(r, StepResult) and r.outcome == Outcome.OK for r in results)
    assert [p for _, p in cloud.abm.calls].count("/auth/oauth2/token") == 2


async def test_an_already_assigned_device_is_not_sent_again(cloud: CloudStandIns) -> None:
    handoff = abm_handoff(cloud)
    try:
        d = ios(IOS_SERIALS[0])
        step = handoff.steps(ABM_BP, d)[0]
        first = await step.run(ctx(d, ABM_BP))
        again = await step.run(ctx(d, ABM_BP))
        assert await step.check_done(ctx(d, ABM_BP)) is True
    finally:
        await handoff.aclose()
    assert first.outcome == again.outcome == Outcome.OK
    assert len(cloud.abm.activities) == 1


async def test_kme_approves_the_upload_and_assigns_in_one_request(cloud: CloudStandIns) -> None:
    handoff = kme_handoff(cloud)
    try:
        devices = [galaxy(i, s) for i, s in GALAXIES] + [galaxy("490154203237518", "R58NOTLISTED")]
        steps = [(handoff.steps(KME_BP, d)[0], ctx(d, KME_BP)) for d in devices]
        assert all(isinstance(s, KmeAssignStep) for s, _ in steps)
        results = await _run_all(steps)
    finally:
        await handoff.aclose()
    assert [p for m, p in cloud.kme.calls if m == "PUT"] == ["/kcs/v1/kme/devices/assignProfile"]
    for r in results[:2]:
        assert isinstance(r, StepResult) and r.outcome == Outcome.OK
        assert r.detail is not None and r.detail[HANDOFF_KEY] == "kme_assigned" and r.detail["kme_request_id"]
    missing = results[2]
    assert (
        isinstance(missing, StepResult)
        and missing.outcome == Outcome.WAITING_EXTERNAL
        and missing.code == "kme_not_listed"
    )
    assert missing.detail is not None and missing.detail[HANDOFF_KEY] == "kme_registered"
    for imei, _ in GALAXIES:
        dev = cloud.kme.device(imei)
        assert dev is not None and dev["status"] == "Profile assigned"


async def test_kme_without_approval_leaves_a_pending_upload_waiting(cloud: CloudStandIns) -> None:
    bp = loads_blueprint(
        'name = "kme"\n[customer]\nname = "KDDI"\n[android]\nmethod = "kme"\n[android.kme]\nprofile_name = "p"\n'
        '[kme]\nprofile = "SMSM Agent"\napprove = false\n'
    )
    handoff = kme_handoff(cloud)
    try:
        d = galaxy(*GALAXIES[0])
        result = await handoff.steps(bp, d)[0].run(ctx(d, bp))
    finally:
        await handoff.aclose()
    assert result.outcome == Outcome.WAITING_EXTERNAL and result.code == "kme_pending_approval"
    assert not [c for c in cloud.kme.calls if c[0] in ("PUT", "POST") and "kme" in c[1]]


async def test_kme_assign_refused_for_one_device_fails_that_device(cloud: CloudStandIns) -> None:
    cloud.kme.faults.fail_devices = {GALAXIES[1][0]}
    handoff = kme_handoff(cloud)
    try:
        devices = [galaxy(i, s) for i, s in GALAXIES]
        results = await _run_all([(handoff.steps(KME_BP, d)[0], ctx(d, KME_BP)) for d in devices])
    finally:
        await handoff.aclose()
    assert isinstance(results[0], StepResult) and results[0].outcome == Outcome.OK
    assert isinstance(results[1], PermanentError) and results[1].code == "kme_assign_failed"
    assert "invalid" in results[1].reason.en


def test_no_hand_off_steps_without_the_section_or_on_the_other_platform(cloud: CloudStandIns) -> None:
    plain = loads_blueprint('name = "p"\n[ios]\nmethod = "dep"\n')
    assert abm_handoff(cloud).steps(plain, ios("X")) == []
    assert abm_handoff(cloud).steps(ABM_BP, galaxy(*GALAXIES[0])) == []
    assert kme_handoff(cloud).steps(KME_BP, ios("X")) == []
