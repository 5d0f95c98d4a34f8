"""The Apple Business client against the stand-in: auth, paging, retries, the documented errors."""

from __future__ import annotations

import pytest

from kitstation.abm.client import AbmClient, AbmCredentials, AbmEndpoints, AbmError, retry_after_seconds
from kitstation.abm.jwt import (
    AssertionError_,
    decode_unverified,
    make_assertion,
    new_private_key_pem,
    public_key_of,
    verify_assertion,
)
from kitstation.simulator.cloud import CloudStandIns
from tests.cloud.conftest import IOS_SERIALS, Sleeps, abm_creds


def test_assertion_is_es256_signed_with_the_accounts_key() -> None:
    pem = new_private_key_pem()
    token = make_assertion(pem, client_id="BUSINESSAPI.x", key_id="k1", audience="https://a/v2/token", now=1000)
    header, claims = decode_unverified(token)
    assert header == {"alg": "ES256", "kid": "k1", "typ": "JWT"}
    assert claims["iss"] == claims["sub"] == "BUSINESSAPI.x" and claims["aud"] == "https://a/v2/token"
    assert claims["exp"] - claims["iat"] <= 180 * 24 * 3600
    assert verify_assertion(token, public_key_of(pem))["jti"]
    with pytest.raises(AssertionError_):
        verify_assertion(token, public_key_of(new_private_key_pem()))
    head, body, sig = token.split(".")
    with pytest.raises(AssertionError_):
        verify_assertion(f"{head}.{body[:-2]}AA.{sig}", public_key_of(pem))


def test_an_rsa_or_garbage_key_is_refused_with_a_reason() -> None:
    with pytest.raises(AssertionError_, match="PEM"):
        make_assertion(b"not a key", client_id="c", key_id="k", audience="a")


async def test_servers_are_read_across_pages_with_one_token(cloud: CloudStandIns) -> None:
    async with AbmClient(abm_creds(cloud), AbmEndpoints.for_service()) as abm:
        servers = await abm.servers()
        devices = [d.serial async for d in abm.devices()]
    assert {s.name for s in servers} == {"CLOMO MDM", "Devices Added by Apple Configurator"}
    assert devices == IOS_SERIALS
    gets = [p for m, p in cloud.abm.calls if m == "GET"]
    assert gets.count("/v1/mdmServers") == 2 and gets.count("/v1/orgDevices") == 3  # page cap 1: one per item
    assert [p for m, p in cloud.abm.calls if p == "/auth/oauth2/token"] == ["/auth/oauth2/token"]


async def test_an_expired_token_is_replaced_and_the_call_goes_through(cloud: CloudStandIns) -> None:
    cloud.abm.faults.expire_tokens = 1
    async with AbmClient(abm_creds(cloud)) as abm:
        await abm.servers()  # first page works, the token dies
        servers = await abm.servers()  # 401 -> a new token -> works
    assert len(servers) == 2
    assert [p for _, p in cloud.abm.calls].count("/auth/oauth2/token") == 2


async def test_429_waits_as_long_as_retry_after_says(cloud: CloudStandIns, sleeps: Sleeps) -> None:
    cloud.abm.faults.rate_limit = 2
    cloud.abm.faults.retry_after = 7
    async with AbmClient(abm_creds(cloud), sleep=sleeps, backoff=0.5) as abm:
        servers = await abm.servers()
        assert abm.retries == 2
    assert len(servers) == 2
    assert sleeps.delays == [7.0, 7.0]  # Retry-After wins over the shorter backoff


async def test_429_for_too_long_is_a_transient_error_with_a_bilingual_reason(
    cloud: CloudStandIns, sleeps: Sleeps
) -> None:
    cloud.abm.faults.rate_limit = 10
    async with AbmClient(abm_creds(cloud), sleep=sleeps, max_retries=2) as abm:
        with pytest.raises(AbmError) as err:
            await abm.servers()
    assert err.value.code == "abm_rate_limited" and err.value.transient and err.value.status == 429
    assert "rate limit" in err.value.reason.en and "レート制限" in err.value.reason.ja
    assert len(sleeps.delays) == 2


def test_retry_after_in_seconds_or_a_fallback() -> None:
    assert retry_after_seconds("12", 1.0) == 12.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", 3.0) == 3.0
    assert retry_after_seconds(None, 2.0) == 2.0


async def test_a_serial_not_in_the_organization(cloud: CloudStandIns) -> None:
    async with AbmClient(abm_creds(cloud)) as abm:
        assert await abm.device("NOTINORG0001") is None
        server = await abm.find_server("CLOMO MDM")
        with pytest.raises(AbmError) as err:
            await abm.assign(server.id, [IOS_SERIALS[0], "NOTINORG0001"])
    assert err.value.code == "abm_conflict" and err.value.status == 409
    assert "NOTINORG0001" in err.value.reason.en and "NOTINORG0001" in err.value.reason.ja  # Apple's detail is kept
    assert cloud.abm.assigned_server(IOS_SERIALS[0]) is None


async def test_an_activity_is_asynchronous_and_can_fail_for_some_devices(cloud: CloudStandIns, sleeps: Sleeps) -> None:
    cloud.abm.activity_polls = 3
    cloud.abm.faults.fail_serials = {IOS_SERIALS[1]}
    async with AbmClient(abm_creds(cloud), sleep=sleeps) as abm:
        server = await abm.find_server("CLOMO MDM")
        created = await abm.assign(server.id, IOS_SERIALS)
        assert (created.status, created.sub_status) == ("IN_PROGRESS", "SUBMITTED")
        done = await abm.wait_activity(created.id, poll=0.01)
        assert (done.status, done.sub_status) == ("COMPLETED", "COMPLETED_WITH_FAILURE") and not done.succeeded
        assigned = {s: await abm.assigned_server_id(s) for s in IOS_SERIALS}
    assert len(sleeps.delays) == 2  # polled three times
    assert assigned == {IOS_SERIALS[0]: server.id, IOS_SERIALS[1]: None, IOS_SERIALS[2]: server.id}


async def test_a_wrong_key_or_unknown_client_is_refused_at_the_token(cloud: CloudStandIns) -> None:
    good = abm_creds(cloud)
    for creds in (
        AbmCredentials(good.client_id, good.key_id, new_private_key_pem()),  # signature does not verify
        AbmCredentials(good.client_id, "other-kid", good.private_key_pem),
        AbmCredentials("BUSINESSAPI.unknown", good.key_id, good.private_key_pem),
    ):
        async with AbmClient(creds) as abm:
            with pytest.raises(AbmError) as err:
                await abm.servers()
        assert err.value.code == "abm_credentials_rejected" and not err.value.transient
        assert "import" in err.value.reason.en and "インポート" in err.value.reason.ja


async def test_the_api_refuses_calls_without_a_valid_bearer_token(cloud: CloudStandIns) -> None:
    import ssl

    import httpx

    async with httpx.AsyncClient(verify=ssl.create_default_context(cafile=cloud.env()["KITSTATION_CLOUD_CA"])) as http:
        r = await http.get(
            cloud.env()["KITSTATION_ABM_API_URL"] + "/mdmServers", headers={"Authorization": "Bearer forged"}
        )
    assert r.status_code == 401 and r.json()["errors"][0]["status"] == "401"


async def test_the_stand_in_is_not_trusted_without_its_ca(
    cloud: CloudStandIns, monkeypatch: pytest.MonkeyPatch, sleeps: Sleeps
) -> None:
    monkeypatch.delenv("KITSTATION_CLOUD_CA")
    async with AbmClient(abm_creds(cloud), AbmEndpoints.for_service(), sleep=sleeps, max_retries=0) as abm:
        with pytest.raises(AbmError) as err:
            await abm.servers()
    assert err.value.code == "abm_unreachable"
    assert not cloud.abm.calls  # the TLS handshake failed: nothing reached the stand-in
