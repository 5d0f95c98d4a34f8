"""Activating a device through pymobiledevice3's own mobile-activation client, reasons in the bench's words.

A real iPhone or iPad refuses a cloud configuration until it is activated (MCCloudConfigErrorDomain
33003); Apple Configurator, cfgutil, go-ios and pymobiledevice3's ``profile supervise`` all activate
first. Activation is the device talking to Apple's activation server through the host, over HTTPS
(``MobileActivationService.activate``): the station needs the internet, and a device still tied to
its previous owner's Apple Account (Activation Lock) cannot be activated by anyone but that owner.

pymobiledevice3's client posts with blocking ``requests`` calls inside its coroutines (seconds on
a real network). :class:`_Activation` goes through the same requests to the device and the server
in the same order, on the bench's loop, with only those two posts on the connector's worker threads
(:meth:`Connector.blocking`).

In simulation the station points the same client at the simulator's stand-in for Apple's server
(``KITSTATION_ACTIVATION_URL`` and its CA, ``KITSTATION_ACTIVATION_CA``): :class:`_Activation` changes
only where it posts and which CA it trusts.
"""

from __future__ import annotations

import functools
import os
import plistlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from pymobiledevice3.exceptions import MobileActivationException
from pymobiledevice3.lockdown import UsbmuxLockdownClient
from pymobiledevice3.lockdown_service_provider import LockdownServiceProvider
from pymobiledevice3.services.mobile_activation import (
    ACTIVATION_DEFAULT_URL,
    ACTIVATION_DRM_HANDSHAKE_DEFAULT_URL,
    DEFAULT_HEADERS,
    MobileActivationService,
)
from requests.structures import CaseInsensitiveDict

from kitstation.domain.model import PermanentError, TransientError
from kitstation.i18n import Text
from kitstation.ios.connect import Connector

ENV_URL = "KITSTATION_ACTIVATION_URL"
ENV_CA = "KITSTATION_ACTIVATION_CA"
ACTIVATED = "Activated"

NO_NETWORK = Text(
    "Apple's activation server could not be reached: connect the station to the internet"
    " (activation needs it), then the step is retried",
    "Appleのアクティベーションサーバに接続できません。ステーションをインターネットに接続してください"
    "（アクティベーションに必要です）。接続後に再試行します",
)
ACTIVATION_LOCK = Text(
    "Activation Lock is on: the device is still linked to its previous owner's Apple Account."
    " The owner must remove it (iCloud \u201cFind My\u201d, or the organisation in Apple Business Manager)",
    "アクティベーションロックが有効です。デバイスは以前の所有者のApple Accountに紐付いています。"
    "所有者が「探す」またはApple Business Managerで解除する必要があります",
)
REFUSED = Text(
    "Apple's activation server refused to activate the device ({d})",
    "Appleのアクティベーションサーバがデバイスのアクティベーションを拒否しました（{d}）",
)
NOT_CONFIRMED = Text(
    "The device did not confirm its activation (it reports {s})",
    "デバイスがアクティベーションを確認しませんでした（状態: {s}）",
)


@dataclass(frozen=True, slots=True)
class ActivationEndpoint:
    """Where to send activation requests instead of Apple (the simulator's stand-in) and its CA."""

    url: str
    ca_file: Path

    @staticmethod
    def from_env() -> ActivationEndpoint | None:
        """The stand-in named by ``KITSTATION_ACTIVATION_URL``/``_CA`` (set by ``kitstation simulate``)."""
        url = os.environ.get(ENV_URL)
        ca = os.environ.get(ENV_CA)
        if not url or not ca:
            return None
        return ActivationEndpoint(url.rstrip("/"), Path(ca))


class _Activation(MobileActivationService):
    """pymobiledevice3's activation client, its HTTPS posts off the loop; in simulation posting to
    the stand-in and trusting its CA (``endpoint``)."""

    def __init__(
        self, lockdown: LockdownServiceProvider, connector: Connector, endpoint: ActivationEndpoint | None
    ) -> None:
        super().__init__(lockdown)
        self._connector = connector
        self._endpoint = endpoint

    def post(
        self, url: str, data: dict[str, Any] | bytes, headers: dict[str, str] | None = None
    ) -> tuple[bytes, CaseInsensitiveDict[str]]:
        if self._endpoint is None:
            return super().post(url, data, headers)
        resp = requests.post(
            self._endpoint.url + urlsplit(url).path,
            data=data,
            headers=headers if headers is not None else DEFAULT_HEADERS,
            timeout=30,
            verify=str(self._endpoint.ca_file),
        )
        return resp.content, resp.headers

    async def _post(
        self, url: str, data: dict[str, Any] | bytes, headers: dict[str, str] | None = None
    ) -> tuple[bytes, CaseInsensitiveDict[str]]:
        return await self._connector.blocking(functools.partial(self.post, url, data, headers))

    async def activate_at_bench(self) -> None:
        """``MobileActivationService.activate(skip_apple_id_query=True)`` with awaited posts.

        Written here, not called, because pymobiledevice3 calls its blocking ``post`` from inside
        the coroutine. The same requests in the same order (FIDELITY I-2), the session flow only:
        pymobiledevice3 falls back to lockdown's older ``ActivationInfo`` / ``Activate`` when the
        device will not make a session, which no device the station prepares needs and the
        simulator does not offer, so here such a device's refusal is the step's reason
        (``activation_refused``). A sign-in page (Activation Lock) is an error, never a prompt.
        """
        blob = await self.create_activation_session_info()  # type: ignore[no-untyped-call]  # untyped upstream
        handshake, _ = await self._post(
            ACTIVATION_DRM_HANDSHAKE_DEFAULT_URL,
            plistlib.dumps(blob),
            {"Content-Type": "application/x-apple-plist", **DEFAULT_HEADERS},
        )
        info = await self.create_activation_info_with_session(handshake)
        record, headers = await self._post(ACTIVATION_DEFAULT_URL, {"activation-info": plistlib.dumps(info)})
        kind = headers.get("Content-Type", "")
        if kind == "application/x-buddyml":
            raise MobileActivationException("The device is iCloud locked (Activation Lock).")
        if kind != "text/xml":
            raise MobileActivationException(f"the server answered {kind or 'no content type'}, not text/xml")
        await self.activate_with_session(record, headers)
        await self.lockdown.set_value(True, key="ActivationStateAcknowledged")


async def activation_state(connector: Connector, udid: str) -> str:
    """``ActivationState`` as lockdown reports it (``Unactivated``, ``Activated``...)."""
    async with connector.guard(udid):
        ld = await connector.lockdown(udid)
        try:
            return str(await ld.get_value(key="ActivationState"))
        finally:
            await ld.close()


async def activate(connector: Connector, udid: str, endpoint: ActivationEndpoint | None) -> str:
    """Activate an unactivated device; returns the state it reports afterwards (``Activated``).

    Raises ``TransientError(activation_no_network)`` when the server cannot be reached,
    ``PermanentError`` with ``activation_lock``, ``activation_refused`` or ``activation_not_confirmed``,
    and (through the connector's guard) ``DeviceGone`` when the device drops out mid-way.
    """
    await activate_if_needed(connector, udid, endpoint)
    return ACTIVATED


async def activate_if_needed(connector: Connector, udid: str, endpoint: ActivationEndpoint | None) -> bool:
    """Activate the device unless it already is, in one lockdown session; True when this call activated it.

    The state is read from lockdown (as :func:`activation_state` does), not through the activation
    service: in a batch every extra session or service is one more TLS handshake per device.
    Errors as :func:`activate`.
    """

    async def work(ld: UsbmuxLockdownClient) -> tuple[bool, str]:
        if str(await ld.get_value(key="ActivationState")) == ACTIVATED:
            return False, ACTIVATED
        # Never ask for the Apple Account at a bench: a sign-in page means Activation Lock.
        await _Activation(ld, connector, endpoint).activate_at_bench()
        return True, str(await ld.get_value(key="ActivationState"))

    async with connector.guard(udid):
        try:
            activated, state = await connector.session(udid, work)
        except requests.exceptions.SSLError as exc:
            raise PermanentError(REFUSED.format(d=f"TLS: {str(exc)[:160]}"), code="activation_refused") from None
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout):
            raise TransientError(NO_NETWORK, code="activation_no_network") from None
        except MobileActivationException as exc:
            text = str(exc)
            if "Activation Lock" in text or "iCloud locked" in text:
                raise PermanentError(ACTIVATION_LOCK, code="activation_lock") from None
            raise PermanentError(REFUSED.format(d=text[:200]), code="activation_refused") from None
        except (AssertionError, KeyError) as exc:
            # pymobiledevice3 asserts the server answered text/xml: anything else (an HTML error
            # page, a 4xx/5xx) is a refusal by the server.
            raise PermanentError(
                REFUSED.format(d=type(exc).__name__ + (f": {exc}" if str(exc) else "")), code="activation_refused"
            ) from None
    if state != ACTIVATED:
        raise PermanentError(NOT_CONFIRMED.format(s=state), code="activation_not_confirmed")
    return activated
