"""An async client for Samsung's Knox Mobile Enrollment API (customer side: profiles and devices).

What it relies on is cited in docs/FIDELITY.md (Cloud table, rows C10-C16):

* Knox OAuth 2.0 client credentials: ``POST`` a form (``grant_type=client_credentials``,
  ``client_id``, ``client_secret``, ``scope``) to ``https://api.samsungknox.com/ams/v1/oauth2/token``;
  the answer is ``{access_token, scope, expires_in (599), token_type: Bearer}``.
* ``GET /kcs/v1/kme/devices/list`` (``pageNum``/``pageSize``, ``changedAfter``) returns
  ``deviceList`` (each with an ``id``) and ``totalCount``.
* ``POST /kcs/v2/kme/devices/unassignProfile`` takes ``deviceIds`` (the list ``id``, an IMEI or a
  serial) and answers with separate lists of valid, not-found and invalid devices.

Not confirmed from the stored public documents, and therefore configurable in
:class:`KmeEndpoints`: the exact paths and bodies of the profile list, approve and assign-profile
operations, the names of a device's status/profile fields and the error body. The defaults follow
the v1/v2 naming the release notes use; the stand-in implements the same defaults.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Unpack

import httpx

from kitstation.cloudapi.http import (
    ApiSession,
    CloudError,
    SessionOptions,
    json_body,
    one_named,
    service_said,
    status_error,
)
from kitstation.i18n import Text

DEFAULT_TOKEN_URL = "https://api.samsungknox.com/ams/v1/oauth2/token"
DEFAULT_API_URL = "https://api.samsungknox.com"


@dataclass(frozen=True, slots=True)
class KmeEndpoints:
    api_url: str = DEFAULT_API_URL
    token_url: str = DEFAULT_TOKEN_URL
    scope: str = "kme"
    profiles_path: str = "/kcs/v2/kme/profiles/list"
    devices_path: str = "/kcs/v1/kme/devices/list"
    approve_path: str = "/kcs/v1/kme/devices/approve"
    assign_path: str = "/kcs/v1/kme/devices/assignProfile"
    unassign_path: str = "/kcs/v2/kme/devices/unassignProfile"
    ca_file: str | None = None

    @staticmethod
    def from_env(api_url: str | None = None) -> KmeEndpoints:
        """Samsung's endpoints (or the customer's regional API URL), unless a stand-in is configured."""
        return KmeEndpoints(
            api_url=os.environ.get("KITSTATION_KME_API_URL", api_url or DEFAULT_API_URL).rstrip("/"),
            token_url=os.environ.get("KITSTATION_KME_TOKEN_URL", DEFAULT_TOKEN_URL),
            ca_file=os.environ.get("KITSTATION_CLOUD_CA") or None,
        )


@dataclass(frozen=True, slots=True)
class KmeCredentials:
    client_id: str
    client_secret: str = field(repr=False)


class KmeError(CloudError):
    """A request Knox refused or could not answer; ``reason`` is bilingual."""


@dataclass(frozen=True, slots=True)
class KmeProfile:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class KmeDevice:
    id: str
    imei: str
    serial: str
    status: str  # e.g. "Pending" (uploaded, awaiting approval), "Approved", "Profile assigned"
    profile_id: str = ""
    profile_name: str = ""

    def known_as(self, identifier: str) -> bool:
        return identifier in (self.id, self.imei, self.serial)


@dataclass(frozen=True, slots=True)
class BulkResult:
    """What a bulk device operation answered: which identifiers it took, which it did not know."""

    valid: tuple[str, ...]
    not_found: tuple[str, ...]
    invalid: tuple[str, ...]
    request_id: str = ""


def _said(body: Any) -> tuple[str, str]:
    if isinstance(body, dict):
        if "error" in body and isinstance(body["error"], str):  # OAuth 2.0 token endpoint
            return body["error"], str(body.get("error_description", ""))
        code = body.get("code") or body.get("errorCode") or ""
        message = body.get("message") or body.get("errorMessage") or ""
        return str(code), str(message)
    return "", ""


CREDENTIALS_REJECTED = Text(
    "Knox refused the API client credentials: the client secret may be expired or revoked; create a new"
    " one in the Knox Admin Portal and import it again",
    "Knox が API クライアントの資格情報を拒否しました: クライアントシークレットが期限切れか失効しています。"
    "Knox Admin Portal で新しいものを作成し、再度インポートしてください",
)
# The error statuses (cloudapi.http.status_kind); a 409 is "rejected" here, Knox documents no conflict.
REASONS = {
    "unauthorized": Text("Knox did not accept the access token", "Knox がアクセストークンを受け付けませんでした"),
    "forbidden": Text(
        "The Knox API client may not do this: give it the kme scopes",
        "この Knox API クライアントには権限がありません: kme スコープを付与してください",
    ),
    "not_found": Text("Not found in Knox Mobile Enrollment", "Knox Mobile Enrollment に見つかりません"),
    "rate_limited": Text(
        "Knox is rate limiting the station; try again later", "Knox のレート制限中です。後で再試行してください"
    ),
    "unavailable": Text("Knox did not answer properly (HTTP {s})", "Knox が正常に応答しません（HTTP {s}）"),
    "rejected": Text("Knox rejected the request (HTTP {s})", "Knox が要求を拒否しました（HTTP {s}）"),
}


def error_for(status: int, body: Any, *, token: bool = False) -> KmeError:
    code, message = _said(body)
    said = service_said("Knox", code, message)
    if token and status in (400, 401):
        return KmeError(CREDENTIALS_REJECTED + said, "kme_credentials_rejected", status)
    return status_error(KmeError, "kme", REASONS, status, said)


def _ids(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    out = []
    for v in value:
        if isinstance(v, dict):
            v = v.get("deviceId") or v.get("id") or v.get("imei") or v.get("serialNumber")
        if v:
            out.append(str(v))
    return tuple(out)


class KmeClient(ApiSession):
    """One Knox API client's session. ``async with KmeClient(creds) as kme: await kme.profiles()``."""

    service = "KME"
    token_margin = 30.0  # Knox tokens live ten minutes

    def __init__(
        self,
        credentials: KmeCredentials,
        endpoints: KmeEndpoints | None = None,
        *,
        page_size: int = 100,
        **options: Unpack[SessionOptions],
    ) -> None:
        self.credentials = credentials
        self.endpoints = endpoints or KmeEndpoints.from_env()
        self.page_size = page_size
        super().__init__(ca_file=self.endpoints.ca_file, **options)

    async def _new_token(self) -> tuple[str, float]:
        form = {
            "grant_type": "client_credentials",
            "client_id": self.credentials.client_id,
            "client_secret": self.credentials.client_secret,
            "scope": self.endpoints.scope,
        }
        response = await self.send("POST", self.endpoints.token_url, data=form, token_request=True)
        body = json_body(response)
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise KmeError(
                Text(
                    "Knox's token endpoint answered without an access token",
                    "Knox のトークンエンドポイントがアクセストークンを返しませんでした",
                ),
                "kme_bad_token_response",
            )
        return token, self.lifetime(body, 599.0)

    def _error_for(self, status: int, body: Any, *, token: bool) -> CloudError:
        return error_for(status, body, token=token)

    def _unreachable(self, exc: httpx.HTTPError) -> CloudError:
        return KmeError(
            Text("Cannot reach Knox: {e}", "Knox に接続できません: {e}").format(e=type(exc).__name__),
            "kme_unreachable",
            transient=True,
        )

    def _url(self, path: str) -> str:
        return self.endpoints.api_url + path

    async def profiles(self) -> list[KmeProfile]:
        items = await self.numbered_pages(
            self._url(self.endpoints.profiles_path), ("profileList", "profiles"), self.page_size
        )
        return [KmeProfile(str(p.get("id", "")), str(p.get("name") or p.get("profileName") or "")) for p in items]

    async def find_profile(self, name_or_id: str) -> KmeProfile:
        return one_named(
            await self.profiles(),
            name_or_id,
            lambda p: p.id,
            lambda p: p.name,
            none=lambda names: KmeError(
                Text(
                    "No KME profile named '{n}' (profiles: {all})",
                    "KME プロファイル「{n}」がありません（プロファイル: {all}）",
                ).format(n=name_or_id, all=names),
                "kme_no_such_profile",
            ),
            several=KmeError(
                Text(
                    "Several KME profiles are named '{n}': give the profile id instead",
                    "KME プロファイル「{n}」が複数あります: プロファイル ID を指定してください",
                ).format(n=name_or_id),
                "kme_ambiguous_profile",
            ),
        )

    async def devices(self, changed_after: str | None = None) -> list[KmeDevice]:
        """Every device on the customer's KME list (``changed_after``: only those changed since then)."""
        extra = {"changedAfter": changed_after} if changed_after else None
        items = await self.numbered_pages(
            self._url(self.endpoints.devices_path), ("deviceList",), self.page_size, extra
        )
        return [
            KmeDevice(
                id=str(d.get("id", "")),
                imei=str(d.get("imei") or d.get("meid") or ""),
                serial=str(d.get("serialNumber") or d.get("serial") or ""),
                status=str(d.get("status", "")),
                profile_id=str(d.get("profileId") or ""),
                profile_name=str(d.get("profileName") or ""),
            )
            for d in items
        ]

    async def _bulk(self, method: str, path: str, payload: dict[str, Any]) -> BulkResult:
        body = json_body(await self.send(method, self._url(path), json=payload)) or {}
        return BulkResult(
            valid=_ids(body.get("validDevices") or body.get("successDeviceList")),
            not_found=_ids(body.get("devicesNotFound") or body.get("notFoundDeviceList")),
            invalid=_ids(body.get("invalidDevices") or body.get("failedDeviceList")),
            request_id=str(body.get("requestId") or body.get("transactionId") or ""),
        )

    async def approve(self, device_ids: list[str]) -> BulkResult:
        """Approve devices a reseller uploaded (they are *pending* until the customer approves)."""
        return await self._bulk("POST", self.endpoints.approve_path, {"deviceIds": device_ids})

    async def assign_profile(self, profile_id: str, device_ids: list[str]) -> BulkResult:
        return await self._bulk("PUT", self.endpoints.assign_path, {"profileId": profile_id, "deviceIds": device_ids})

    async def unassign_profile(self, device_ids: list[str]) -> BulkResult:
        return await self._bulk("POST", self.endpoints.unassign_path, {"deviceIds": device_ids})
