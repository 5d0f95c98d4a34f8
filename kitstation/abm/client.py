"""An async client for the Apple School Manager and Apple Business APIs (device assignment only).

What it relies on is cited in docs/FIDELITY.md (Cloud table, rows C1-C9):

* OAuth 2 client credentials with a client assertion: ``POST`` a form (``grant_type=client_credentials``,
  ``client_id``, ``client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer``,
  ``client_assertion``, ``scope=business.api`` or ``school.api``) to Apple's token endpoint; the
  answer is ``{access_token, token_type: Bearer, expires_in}`` (an hour). No refresh token: a new
  assertion buys a new token.
* JSON:API resources under ``/v1``: ``mdmServers``, ``orgDevices/{serial}``,
  ``orgDevices/{serial}/relationships/assignedServer``, ``orgDeviceActivities`` (POST creates an
  ``ASSIGN_DEVICES`` / ``UNASSIGN_DEVICES`` activity; GET polls its ``status``/``subStatus``).
* Paging: ``links.next`` (and ``meta.paging.nextCursor``); ``limit`` per page.
* Errors: ``{"errors": [{status, code, title, detail}]}``; 401 unauthorized, 403 forbidden,
  404, 409 conflict (bad server id or serial), 429 too many requests.

Retries: 429 and 5xx are retried with exponential backoff, honouring ``Retry-After``; a 401 on an
API call drops the cached token and tries once more with a fresh one.
"""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal, Unpack

import httpx

from kitstation.abm.jwt import AssertionError_, make_assertion
from kitstation.cloudapi.http import (
    ApiSession,
    CloudError,
    SessionOptions,
    json_body,
    one_named,
    retry_after_seconds,
    service_said,
    status_error,
)
from kitstation.i18n import Text

__all__ = [
    "AbmClient",
    "AbmCredentials",
    "AbmEndpoints",
    "AbmError",
    "Activity",
    "MdmServer",
    "OrgDevice",
    "retry_after_seconds",
]

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
Service = Literal["business", "school"]


@dataclass(frozen=True, slots=True)
class AbmEndpoints:
    """Where the API lives. Apple's addresses by default; the stand-ins' in simulation."""

    api_url: str = "https://api-business.apple.com/v1"
    token_url: str = "https://account.apple.com/auth/oauth2/token"
    audience: str = "https://account.apple.com/auth/oauth2/v2/token"
    # A CA file to trust instead of the system's: set only for the simulated stand-ins.
    ca_file: str | None = None

    @staticmethod
    def for_service(service: Service = "business") -> AbmEndpoints:
        """Apple's endpoints, unless the environment points at a stand-in (``kitstation simulate --cloud``)."""
        default_api = "https://api-school.apple.com/v1" if service == "school" else "https://api-business.apple.com/v1"
        return AbmEndpoints(
            api_url=os.environ.get("KITSTATION_ABM_API_URL", default_api).rstrip("/"),
            token_url=os.environ.get("KITSTATION_ABM_TOKEN_URL", "https://account.apple.com/auth/oauth2/token"),
            audience=os.environ.get("KITSTATION_ABM_AUDIENCE", "https://account.apple.com/auth/oauth2/v2/token"),
            ca_file=os.environ.get("KITSTATION_CLOUD_CA") or None,
        )


@dataclass(frozen=True, slots=True)
class AbmCredentials:
    """An API account: the client id and key id Apple Business shows, and the private key (never logged)."""

    client_id: str
    key_id: str
    private_key_pem: bytes = field(repr=False)

    @property
    def scope(self) -> str:
        # Apple Business client ids start with BUSINESSAPI.; Apple School Manager ones with SCHOOLAPI.
        return "business.api" if self.client_id.upper().startswith("BUSINESSAPI.") else "school.api"


class AbmError(CloudError):
    """A request Apple's service refused or could not answer; ``reason`` is bilingual."""


@dataclass(frozen=True, slots=True)
class MdmServer:
    id: str
    name: str
    server_type: str


@dataclass(frozen=True, slots=True)
class OrgDevice:
    serial: str
    status: str  # ASSIGNED / UNASSIGNED
    product_family: str = ""
    product_type: str = ""
    purchase_source: str = ""


@dataclass(frozen=True, slots=True)
class Activity:
    id: str
    status: str  # IN_PROGRESS / COMPLETED / STOPPED / FAILED
    sub_status: str = ""
    created: str = ""
    completed: str = ""

    @property
    def finished(self) -> bool:
        return self.status in ("COMPLETED", "STOPPED", "FAILED")

    @property
    def succeeded(self) -> bool:
        return self.status == "COMPLETED" and self.sub_status == "COMPLETED_WITH_SUCCESS"


def _service_detail(body: Any) -> tuple[str, str]:
    """The first error's code and detail from an ErrorResponse (or an OAuth error body)."""
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            first = errors[0]
            return str(first.get("code", "")), str(first.get("detail") or first.get("title") or "")
        if "error" in body:  # RFC 6749 section 5.2, from the token endpoint
            return str(body.get("error", "")), str(body.get("error_description", ""))
    return "", ""


CREDENTIALS_REJECTED = Text(
    "Apple Business refused the API account's credentials: the key may be revoked or the client id"
    " wrong; import the account again",
    "Apple Business が API アカウントの資格情報を拒否しました: 鍵が失効したかクライアント ID が誤っています。"
    "アカウントを再度インポートしてください",
)
# The documented error statuses (cloudapi.http.status_kind), as reasons the technician can act on.
REASONS = {
    "unauthorized": Text(
        "Apple Business did not accept the access token", "Apple Business がアクセストークンを受け付けませんでした"
    ),
    "forbidden": Text(
        "The API account may not do this: give it the device-assignment permission in Apple Business",
        "この API アカウントには権限がありません: Apple Business でデバイス割り当ての権限を付与してください",
    ),
    "not_found": Text("Not found in Apple Business", "Apple Business に見つかりません"),
    "conflict": Text(
        "Apple Business refused the request: an unknown MDM server or a serial number not in the organization",
        "Apple Business が要求を拒否しました: 不明な MDM サーバ、または組織にないシリアル番号です",
    ),
    "rate_limited": Text(
        "Apple Business is rate limiting the station; try again later",
        "Apple Business のレート制限中です。後で再試行してください",
    ),
    "unavailable": Text(
        "Apple Business did not answer properly (HTTP {s})", "Apple Business が正常に応答しません（HTTP {s}）"
    ),
    "rejected": Text(
        "Apple Business rejected the request (HTTP {s})", "Apple Business が要求を拒否しました（HTTP {s}）"
    ),
}


def error_for(status: int, body: Any, *, token: bool = False) -> AbmError:
    """The documented error responses, as bilingual reasons the technician can act on."""
    code, detail = _service_detail(body)
    said = service_said("Apple", code, detail)
    if token and (code in ("invalid_client", "invalid_grant", "unauthorized_client") or status in (400, 401)):
        return AbmError(CREDENTIALS_REJECTED + said, "abm_credentials_rejected", status)
    return status_error(AbmError, "abm", REASONS, status, said)


class AbmClient(ApiSession):
    """One API account's session. ``async with AbmClient(creds) as abm: await abm.servers()``."""

    service = "ABM"

    def __init__(
        self,
        credentials: AbmCredentials,
        endpoints: AbmEndpoints | None = None,
        *,
        page_limit: int = 100,
        **options: Unpack[SessionOptions],
    ) -> None:
        self.credentials = credentials
        self.endpoints = endpoints or AbmEndpoints.for_service()
        self.page_limit = page_limit
        super().__init__(ca_file=self.endpoints.ca_file, **options)

    async def _new_token(self) -> tuple[str, float]:
        """A fresh client assertion buys a fresh token (Apple gives no refresh token)."""
        try:
            assertion = make_assertion(
                self.credentials.private_key_pem,
                client_id=self.credentials.client_id,
                key_id=self.credentials.key_id,
                audience=self.endpoints.audience,
            )
        except AssertionError_ as exc:
            raise AbmError(
                Text(
                    "The API account's private key cannot be used: {e}",
                    "API アカウントの秘密鍵を使用できません: {e}",
                ).format(e=str(exc)),
                "abm_bad_key",
            ) from exc
        form = {
            "grant_type": "client_credentials",
            "client_id": self.credentials.client_id,
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": assertion,
            "scope": self.credentials.scope,
        }
        response = await self.send("POST", self.endpoints.token_url, data=form, token_request=True)
        body = json_body(response)
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise AbmError(
                Text(
                    "Apple's token endpoint answered without an access token",
                    "Apple のトークンエンドポイントがアクセストークンを返しませんでした",
                ),
                "abm_bad_token_response",
                response.status_code,
            )
        return token, self.lifetime(body, 3600.0)

    def _error_for(self, status: int, body: Any, *, token: bool) -> CloudError:
        return error_for(status, body, token=token)

    def _unreachable(self, exc: httpx.HTTPError) -> CloudError:
        return AbmError(
            Text("Cannot reach Apple Business: {e}", "Apple Business に接続できません: {e}").format(
                e=type(exc).__name__
            ),
            "abm_unreachable",
            transient=True,
        )

    async def _get(self, path_or_url: str, params: dict[str, Any] | None = None) -> Any:
        url = path_or_url if path_or_url.startswith("https://") else self.endpoints.api_url + path_or_url
        return await self.get_json(url, params)

    def _paged(self, path: str) -> AsyncIterator[dict[str, Any]]:
        return self.follow_next(self.endpoints.api_url + path, self.page_limit)

    # -- resources ----------------------------------------------------------------------------

    async def servers(self) -> list[MdmServer]:
        """The organization's device management services (MDM servers)."""
        out = []
        async for item in self._paged("/mdmServers"):
            attrs = item.get("attributes") or {}
            out.append(
                MdmServer(str(item.get("id", "")), str(attrs.get("serverName", "")), str(attrs.get("serverType", "")))
            )
        return out

    async def find_server(self, name_or_id: str) -> MdmServer:
        """The server the blueprint names (by its name as Apple Business shows it, or its id)."""
        return one_named(
            await self.servers(),
            name_or_id,
            lambda s: s.id,
            lambda s: s.name,
            none=lambda names: AbmError(
                Text(
                    "No MDM server named '{n}' in Apple Business (servers: {all})",
                    "Apple Business に MDM サーバ「{n}」がありません（サーバ: {all}）",
                ).format(n=name_or_id, all=names),
                "abm_no_such_server",
            ),
            several=AbmError(
                Text(
                    "Several MDM servers are named '{n}': give the server id instead",
                    "MDM サーバ「{n}」が複数あります: サーバ ID を指定してください",
                ).format(n=name_or_id),
                "abm_ambiguous_server",
            ),
        )

    async def devices(self) -> AsyncIterator[OrgDevice]:
        async for item in self._paged("/orgDevices"):
            yield _org_device(item)

    async def device(self, serial: str) -> OrgDevice | None:
        """One device of the organization, or ``None`` when the serial is not in it."""
        try:
            body = await self._get(f"/orgDevices/{serial}")
        except AbmError as exc:
            if exc.status == 404:
                return None
            raise
        data = (body or {}).get("data")
        return _org_device(data) if isinstance(data, dict) else None

    async def assigned_server_id(self, serial: str) -> str | None:
        """The id of the server a device is assigned to, or ``None`` when unassigned."""
        body = await self._get(f"/orgDevices/{serial}/relationships/assignedServer")
        data = (body or {}).get("data")
        return str(data.get("id")) if isinstance(data, dict) and data.get("id") else None

    async def create_activity(self, kind: str, server_id: str, serials: list[str]) -> Activity:
        """One ``ASSIGN_DEVICES`` / ``UNASSIGN_DEVICES`` activity for many serials."""
        payload = {
            "data": {
                "type": "orgDeviceActivities",
                "attributes": {"activityType": kind},
                "relationships": {
                    "mdmServer": {"data": {"type": "mdmServers", "id": server_id}},
                    "devices": {"data": [{"type": "orgDevices", "id": s} for s in serials]},
                },
            }
        }
        response = await self.send("POST", self.endpoints.api_url + "/orgDeviceActivities", json=payload)
        return _activity((json_body(response) or {}).get("data"))

    async def assign(self, server_id: str, serials: list[str]) -> Activity:
        return await self.create_activity("ASSIGN_DEVICES", server_id, serials)

    async def unassign(self, server_id: str, serials: list[str]) -> Activity:
        return await self.create_activity("UNASSIGN_DEVICES", server_id, serials)

    async def activity(self, activity_id: str) -> Activity:
        return _activity((await self._get(f"/orgDeviceActivities/{activity_id}") or {}).get("data"))

    async def wait_activity(self, activity_id: str, *, timeout: float = 1800.0, poll: float = 2.0) -> Activity:
        """Poll an activity until it finishes (or ``timeout`` seconds pass: then it is still running)."""
        deadline = time.monotonic() + timeout
        delay = poll
        while True:
            act = await self.activity(activity_id)
            if act.finished or time.monotonic() >= deadline:
                return act
            await self._sleep(delay)
            delay = min(delay * 1.5, 30.0)


def _org_device(item: dict[str, Any]) -> OrgDevice:
    attrs = item.get("attributes") or {}
    return OrgDevice(
        serial=str(attrs.get("serialNumber") or item.get("id", "")),
        status=str(attrs.get("status", "")),
        product_family=str(attrs.get("productFamily", "")),
        product_type=str(attrs.get("productType", "")),
        purchase_source=str(attrs.get("purchaseSourceType", "")),
    )


def _activity(data: Any) -> Activity:
    if not isinstance(data, dict) or not data.get("id"):
        raise AbmError(
            Text("Apple Business answered without an activity", "Apple Business がアクティビティを返しませんでした"),
            "abm_bad_activity",
        )
    attrs = data.get("attributes") or {}
    return Activity(
        id=str(data["id"]),
        status=str(attrs.get("status", "")),
        sub_status=str(attrs.get("subStatus", "")),
        created=str(attrs.get("createdDateTime", "")),
        completed=str(attrs.get("completedDateTime", "")),
    )
