"""Fixtures for the cloud hand-offs: the HTTPS stand-ins on 127.0.0.1 and clients pointed at them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kitstation.abm.client import AbmCredentials, AbmEndpoints
from kitstation.kme.client import KmeCredentials, KmeEndpoints
from kitstation.simulator.cloud import CloudStandIns

IOS_SERIALS = ["F2LXK0AAHG7F", "DMPXK1BBHG7G", "C39J8W1H3VG5"]
GALAXIES = [("356938035643809", "R58N12ABCDE"), ("353227410022505", "RAKM2SVY64A")]


class Sleeps:
    """Stands in for asyncio.sleep in the clients: records each backoff, waits for nothing."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


@pytest.fixture
def cloud(monkeypatch: pytest.MonkeyPatch) -> Iterator[CloudStandIns]:
    with CloudStandIns(page_cap=1) as c:  # one item per page: every list call pages
        c.seed_demo(ios_serials=IOS_SERIALS, android=GALAXIES)
        for k, v in c.env().items():
            monkeypatch.setenv(k, v)
        yield c


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def abm_creds(cloud: CloudStandIns) -> AbmCredentials:
    assert cloud.demo is not None
    return AbmCredentials(cloud.demo.abm_client_id, cloud.demo.abm_key_id, cloud.demo.abm_private_key_pem)


def kme_creds(cloud: CloudStandIns) -> KmeCredentials:
    assert cloud.demo is not None
    return KmeCredentials(cloud.demo.kme_client_id, cloud.demo.kme_client_secret)


def abm_endpoints() -> AbmEndpoints:
    return AbmEndpoints.for_service()


def kme_endpoints() -> KmeEndpoints:
    return KmeEndpoints.from_env()
