"""Shared helpers for the iOS simulator tests.

pymobiledevice3 falls back to the system's lockdown records (/var/lib/lockdown on Linux) when
usbmuxd has none; tests must not read the machine's records, so that lookup is disabled here.
"""

from __future__ import annotations

import asyncio
import plistlib
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from pymobiledevice3 import pair_records
from pymobiledevice3.ca import create_keybag_file
from pymobiledevice3.lockdown import UsbmuxLockdownClient, create_using_usbmux

from tests.fixtures.waiting import BUDGET


@pytest.fixture(autouse=True)
def _no_system_pair_records(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pair_records, "get_itunes_pairing_record", lambda identifier: None)


async def connect(udid: str, **kwargs: Any) -> UsbmuxLockdownClient:
    """A paired lockdown client (pair_timeout=0: a pending Trust dialog raises at once)."""
    kwargs.setdefault("pair_timeout", 0)
    return await create_using_usbmux(udid, **kwargs)


async def wait_until(predicate: Callable[[], Any], what: str, limit: float = BUDGET) -> None:
    """Poll ``predicate`` until true; fail after ``limit`` seconds (a hang guard, not a timing check)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + limit
    while not predicate():
        if loop.time() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


async def activate_with_stand_in(lockdown: UsbmuxLockdownClient) -> None:
    """Activate through pymobiledevice3's own client and flow (``activate``), only its ``post``
    pointed at the simulator's stand-in: the simulator is checked against upstream's client, not
    against the station's version of the flow (kitstation/ios/activation.py, tested in tests/ios).

    Its ``requests`` calls block: fine here, the simulator runs on its own thread.
    """
    import requests
    from pymobiledevice3.services.mobile_activation import DEFAULT_HEADERS, MobileActivationService

    from kitstation.ios.activation import ActivationEndpoint

    endpoint = ActivationEndpoint.from_env()
    assert endpoint is not None, "the ios_sim fixture sets KITSTATION_ACTIVATION_URL/_CA"

    class StandIn(MobileActivationService):
        def post(self, url: str, data: Any, headers: dict[str, str] | None = None) -> Any:
            assert endpoint is not None
            resp = requests.post(
                endpoint.url + urlsplit(url).path,
                data=data,
                headers=headers if headers is not None else DEFAULT_HEADERS,
                timeout=30,
                verify=str(endpoint.ca_file),
            )
            return resp.content, resp.headers

    await StandIn(lockdown).activate(skip_apple_id_query=True)


def make_profile(identifier: str, payloads: list[dict[str, Any]] | None = None) -> bytes:
    """A minimal valid configuration profile (built by hand, not with install_managed_profile)."""
    return plistlib.dumps(
        {
            "PayloadContent": payloads
            if payloads is not None
            else [
                {
                    "PayloadType": "com.apple.applicationaccess",
                    "PayloadIdentifier": f"{identifier}.restrictions",
                    "PayloadUUID": str(uuid.uuid4()).upper(),
                    "PayloadVersion": 1,
                    "allowCamera": False,
                }
            ],
            "PayloadDisplayName": f"Profile {identifier}",
            "PayloadIdentifier": identifier,
            "PayloadType": "Configuration",
            "PayloadUUID": str(uuid.uuid4()).upper(),
            "PayloadVersion": 1,
        }
    )


@pytest.fixture
def keybag(tmp_path: Path) -> Path:
    """A supervision identity (RSA key + self-signed certificate, one PEM) from pymobiledevice3."""
    path = tmp_path / "supervisor.pem"
    create_keybag_file(path, "KitStation Test Supervisor")
    return path


def supervisor_der(keybag_path: Path) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    return x509.load_pem_x509_certificate(keybag_path.read_bytes()).public_bytes(Encoding.DER)
