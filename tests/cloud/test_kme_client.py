"""The Knox Mobile Enrollment client against the stand-in: tokens, paging, approval, assignment, errors."""

from __future__ import annotations

import pytest

from kitstation.kme.client import KmeClient, KmeCredentials, KmeError
from kitstation.simulator.cloud import CloudStandIns
from tests.cloud.conftest import GALAXIES, Sleeps, kme_creds, kme_endpoints


async def test_devices_are_read_across_pages_and_pending_until_approved(cloud: CloudStandIns) -> None:
    async with KmeClient(kme_creds(cloud), kme_endpoints()) as kme:
        devices = await kme.devices()
        profile = await kme.find_profile("SMSM Agent")
        refused = await kme.assign_profile(profile.id, [GALAXIES[0][0]])
        approved = await kme.approve([GALAXIES[0][0], "000000000000000"])
        assigned = await kme.assign_profile(profile.id, [GALAXIES[0][0]])
        after = {d.imei: d for d in await kme.devices()}
    assert [(d.imei, d.serial, d.status) for d in devices] == [(i, s, "Pending") for i, s in GALAXIES]
    assert [p for m, p in cloud.kme.calls if p == "/kcs/v1/kme/devices/list"].count("/kcs/v1/kme/devices/list") >= 2
    assert refused.invalid == (GALAXIES[0][0],) and not refused.valid  # a pending upload takes no profile
    assert approved.valid == (GALAXIES[0][0],) and approved.not_found == ("000000000000000",)
    assert assigned.valid == (GALAXIES[0][0],) and assigned.request_id
    assert after[GALAXIES[0][0]].profile_id == profile.id and after[GALAXIES[0][0]].status == "Profile assigned"
    assert after[GALAXIES[1][0]].profile_id == ""


async def test_a_serial_works_as_well_as_an_imei(cloud: CloudStandIns) -> None:
    async with KmeClient(kme_creds(cloud), kme_endpoints()) as kme:
        profile = await kme.find_profile("SMSM Agent")
        await kme.approve([GALAXIES[1][1]])
        res = await kme.assign_profile(profile.id, [GALAXIES[1][1]])
        undo = await kme.unassign_profile([GALAXIES[1][1], "NOSUCHSERIAL"])
    assert res.valid == (GALAXIES[1][1],)
    assert undo.valid == (GALAXIES[1][1],) and undo.not_found == ("NOSUCHSERIAL",)
    device = cloud.kme.device(GALAXIES[1][1])
    assert device is not None and device["profileId"] == ""


async def test_an_expired_token_is_replaced(cloud: CloudStandIns) -> None:
    cloud.kme.faults.expire_tokens = 1
    async with KmeClient(kme_creds(cloud), kme_endpoints()) as kme:
        await kme.profiles()
        assert len(await kme.devices()) == 2
    assert [p for _, p in cloud.kme.calls].count("/ams/v1/oauth2/token") == 2


async def test_429_honours_retry_after(cloud: CloudStandIns, sleeps: Sleeps) -> None:
    cloud.kme.faults.rate_limit = 1
    cloud.kme.faults.retry_after = 5
    async with KmeClient(kme_creds(cloud), kme_endpoints(), sleep=sleeps, backoff=0.1) as kme:
        assert len(await kme.profiles()) == 1
    assert sleeps.delays == [5.0]


async def test_a_wrong_or_revoked_secret_is_a_clear_error(cloud: CloudStandIns) -> None:
    good = kme_creds(cloud)
    async with KmeClient(KmeCredentials(good.client_id, "wrong"), kme_endpoints()) as kme:
        with pytest.raises(KmeError) as err:
            await kme.profiles()
    assert err.value.code == "kme_credentials_rejected" and "Knox Admin Portal" in err.value.reason.en
    cloud.kme.revoke_client(good.client_id)
    async with KmeClient(good, kme_endpoints()) as kme:
        with pytest.raises(KmeError) as err:
            await kme.devices()
    assert err.value.code == "kme_credentials_rejected"


async def test_an_unknown_profile_names_the_ones_there_are(cloud: CloudStandIns) -> None:
    async with KmeClient(kme_creds(cloud), kme_endpoints()) as kme:
        with pytest.raises(KmeError) as err:
            await kme.find_profile("No Such Profile")
    assert (
        err.value.code == "kme_no_such_profile"
        and "SMSM Agent" in err.value.reason.en
        and "SMSM Agent" in err.value.reason.ja
    )
