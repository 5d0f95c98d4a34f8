"""A local stand-in for Apple's token endpoint and the Apple Business API (device assignment).

Strict by default, as the real service is (docs/FIDELITY.md, Cloud rows C1-C9): the token
endpoint verifies the client assertion (ES256 signature with the API account's public key, kid,
iss = sub = client id, audience, expiry at most 180 days, scope); every API call needs a live
bearer token; collections are paged with ``links.next``; ``ASSIGN_DEVICES`` / ``UNASSIGN_DEVICES``
activities are asynchronous (IN_PROGRESS until polled enough) and a serial that is not in the
organization is refused with 409. Leniency and trouble only through :class:`AbmFaults`.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from cryptography.hazmat.primitives.asymmetric import ec

from kitstation.abm.jwt import MAX_ASSERTION_SECONDS, AssertionError_, decode_unverified, verify_assertion
from kitstation.simulator.cloud.server import Reply, Request

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


@dataclass
class AbmFaults:
    """Trouble on purpose. Every field off by default."""

    # The next N access tokens issued stop working after their first API call (a token that
    # expired or was revoked mid-batch): the client must fetch a new one.
    expire_tokens: int = 0
    # The next N API calls are answered 429 with ``Retry-After: retry_after``.
    rate_limit: int = 0
    retry_after: int = 1
    # Serials an ASSIGN/UNASSIGN activity fails for (COMPLETED_WITH_FAILURE; they stay as they were).
    fail_serials: set[str] = field(default_factory=set)


def _now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _error(status: int, code: str, title: str, detail: str) -> Reply:
    return Reply(
        status,
        {"errors": [{"id": str(uuid.uuid4()), "status": str(status), "code": code, "title": title, "detail": detail}]},
    )


@dataclass
class _Activity:
    id: str
    kind: str
    server_id: str
    serials: list[str]
    created: str
    polls: int = 0
    status: str = "IN_PROGRESS"
    sub_status: str = "SUBMITTED"
    completed: str = ""


class AbmStandIn:
    """The organization's state and the request handler; wrap it in an HttpsStandIn to serve it."""

    def __init__(self, *, activity_polls: int = 1, page_cap: int = 1000, faults: AbmFaults | None = None) -> None:
        self.base_url = ""  # set once the server listens (links are absolute, as Apple's are)
        self.activity_polls = activity_polls  # GETs an activity takes before it completes
        self.page_cap = page_cap
        self.faults = faults or AbmFaults()
        self._lock = threading.Lock()
        self._accounts: dict[str, tuple[str, ec.EllipticCurvePublicKey]] = {}
        self._tokens: dict[str, tuple[str, float, bool]] = {}  # token -> (client, expires, dies after use)
        self._used_jti: set[str] = set()
        self.servers: dict[str, tuple[str, str]] = {}
        self.devices: dict[str, dict[str, Any]] = {}
        self.assigned: dict[str, str] = {}  # serial -> server id
        self.activities: dict[str, _Activity] = {}
        self.calls: list[tuple[str, str]] = []  # (method, path) of every request, for tests
        # Called as (serial, server id or None) when an activity changes a device's assignment:
        # the simulated bench uses it to give the simulated iPhone the server's cloud configuration,
        # as Apple's servers do for a real one.
        self.on_assign: Callable[[str, str | None], None] | None = None

    # -- set-up -------------------------------------------------------------------------------

    def add_account(self, client_id: str, key_id: str, public_key: ec.EllipticCurvePublicKey) -> None:
        with self._lock:
            self._accounts[client_id] = (key_id, public_key)

    def add_server(self, name: str, server_type: str = "MDM", server_id: str | None = None) -> str:
        sid = server_id or uuid.uuid4().hex.upper()
        with self._lock:
            self.servers[sid] = (name, server_type)
        return sid

    def add_device(
        self, serial: str, *, product_family: str = "iPhone", product_type: str = "iPhone15,2", source: str = "RESELLER"
    ) -> None:
        with self._lock:
            self.devices[serial] = {
                "serialNumber": serial,
                "productFamily": product_family,
                "productType": product_type,
                "purchaseSourceType": source,
                "addedToOrgDateTime": _now_iso(),
            }

    def assigned_server(self, serial: str) -> str | None:
        with self._lock:
            return self.assigned.get(serial)

    # -- requests -----------------------------------------------------------------------------

    def handle(self, req: Request) -> Reply:
        with self._lock:
            self.calls.append((req.method, req.path))
            if req.path == "/auth/oauth2/token" and req.method == "POST":
                return self._token(req)
            if not req.path.startswith("/v1/"):
                return _error(404, "NOT_FOUND", "Not found", f"no resource at {req.path}")
            denied = self._authorize(req)
            if denied is not None:
                return denied
            if self.faults.rate_limit > 0:
                self.faults.rate_limit -= 1
                reply = _error(429, "RATE_LIMIT_EXCEEDED", "Too Many Requests", "The request rate limit was reached.")
                reply.headers["Retry-After"] = str(self.faults.retry_after)
                return reply
            return self._route(req)

    def _token(self, req: Request) -> Reply:
        form = req.form()

        def bad(error: str, why: str) -> Reply:
            return Reply(400, {"error": error, "error_description": why})

        if form.get("grant_type") != "client_credentials":
            return bad("unsupported_grant_type", "grant_type must be client_credentials")
        if form.get("client_assertion_type") != ASSERTION_TYPE:
            return bad("invalid_request", "client_assertion_type must be jwt-bearer")
        client_id = form.get("client_id", "")
        account = self._accounts.get(client_id)
        if account is None:
            return bad("invalid_client", "unknown client_id")
        key_id, public_key = account
        expected_scope = "business.api" if client_id.upper().startswith("BUSINESSAPI.") else "school.api"
        if form.get("scope") != expected_scope:
            return bad("invalid_scope", f"scope must be {expected_scope}")
        assertion = form.get("client_assertion", "")
        try:
            header, _ = decode_unverified(assertion)
            if header.get("kid") != key_id:
                return bad("invalid_client", "kid does not name this account's key")
            claims = verify_assertion(assertion, public_key)
        except AssertionError_ as exc:
            return bad("invalid_client", str(exc))
        now = time.time()
        iat, exp = claims.get("iat"), claims.get("exp")
        if claims.get("iss") != client_id or claims.get("sub") != client_id:
            return bad("invalid_client", "iss and sub must be the client id")
        if claims.get("aud") != self.base_url + "/auth/oauth2/v2/token":
            return bad("invalid_client", "wrong audience")
        if not isinstance(iat, int) or not isinstance(exp, int) or exp <= now or iat > now + 60:
            return bad("invalid_client", "assertion expired or not yet valid")
        if exp - iat > MAX_ASSERTION_SECONDS:
            return bad("invalid_client", "assertion valid for more than 180 days")
        jti = str(claims.get("jti", ""))
        if not jti or jti in self._used_jti:
            return bad("invalid_client", "jti missing or already used")
        self._used_jti.add(jti)
        token = secrets.token_urlsafe(32)
        dies = self.faults.expire_tokens > 0
        if dies:
            self.faults.expire_tokens -= 1
        self._tokens[token] = (client_id, now + 3600, dies)
        return Reply(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600, "scope": expected_scope})

    def _authorize(self, req: Request) -> Reply | None:
        token = req.bearer
        entry = self._tokens.get(token or "")
        if entry is None or entry[1] < time.time():
            return _error(401, "NOT_AUTHORIZED", "Unauthorized", "The access token is missing, invalid or expired.")
        client, expires, dies = entry
        if dies:  # this call still works; the token is gone afterwards
            self._tokens[token or ""] = (client, 0.0, False)
        return None

    def _page(self, req: Request, path: str, items: list[dict[str, Any]]) -> Reply:
        try:
            limit = max(1, min(self.page_cap, int(req.query.get("limit", "100"))))
            start = int(req.query.get("cursor", "0"))
        except ValueError:
            return _error(400, "PARAMETER_ERROR.INVALID", "Invalid parameter", "limit and cursor must be numbers")
        page = items[start : start + limit]
        links = {"self": f"{self.base_url}{path}?" + urlencode({"limit": limit, "cursor": start})}
        paging: dict[str, Any] = {"limit": limit, "total": len(items)}
        if start + limit < len(items):
            links["next"] = f"{self.base_url}{path}?" + urlencode({"limit": limit, "cursor": start + limit})
            paging["nextCursor"] = str(start + limit)
        return Reply(200, {"data": page, "links": links, "meta": {"paging": paging}})

    def _device_resource(self, serial: str) -> dict[str, Any]:
        attrs = dict(self.devices[serial])
        attrs["status"] = "ASSIGNED" if serial in self.assigned else "UNASSIGNED"
        return {
            "type": "orgDevices",
            "id": serial,
            "attributes": attrs,
            "relationships": {
                "assignedServer": {
                    "links": {"self": f"{self.base_url}/v1/orgDevices/{serial}/relationships/assignedServer"}
                }
            },
            "links": {"self": f"{self.base_url}/v1/orgDevices/{serial}"},
        }

    def _route(self, req: Request) -> Reply:
        parts = req.path.strip("/").split("/")[1:]  # after "v1"
        if req.method == "GET" and parts == ["mdmServers"]:
            items = [
                {
                    "type": "mdmServers",
                    "id": sid,
                    "attributes": {"serverName": name, "serverType": kind, "createdDateTime": _now_iso()},
                }
                for sid, (name, kind) in self.servers.items()
            ]
            return self._page(req, "/v1/mdmServers", items)
        if req.method == "GET" and parts == ["orgDevices"]:
            return self._page(req, "/v1/orgDevices", [self._device_resource(s) for s in self.devices])
        if req.method == "GET" and len(parts) == 2 and parts[0] == "orgDevices":
            if parts[1] not in self.devices:
                return _error(
                    404,
                    "NOT_FOUND",
                    "Not found",
                    f"There is no device with serial number {parts[1]} in the organization.",
                )
            return Reply(
                200, {"data": self._device_resource(parts[1]), "links": {"self": f"{self.base_url}{req.path}"}}
            )
        if (
            req.method == "GET"
            and len(parts) == 4
            and parts[0] == "orgDevices"
            and parts[2:] == ["relationships", "assignedServer"]
        ):
            if parts[1] not in self.devices:
                return _error(
                    404,
                    "NOT_FOUND",
                    "Not found",
                    f"There is no device with serial number {parts[1]} in the organization.",
                )
            sid = self.assigned.get(parts[1])
            return Reply(
                200,
                {
                    "data": {"type": "mdmServers", "id": sid} if sid else None,
                    "links": {"self": f"{self.base_url}{req.path}"},
                },
            )
        if req.method == "POST" and parts == ["orgDeviceActivities"]:
            return self._create_activity(req)
        if req.method == "GET" and len(parts) == 2 and parts[0] == "orgDeviceActivities":
            act = self.activities.get(parts[1])
            if act is None:
                return _error(404, "NOT_FOUND", "Not found", "There is no such activity.")
            act.polls += 1
            if act.status == "IN_PROGRESS" and act.polls >= self.activity_polls:
                self._complete(act)
            return Reply(200, {"data": self._activity_resource(act), "links": {"self": f"{self.base_url}{req.path}"}})
        return _error(404, "NOT_FOUND", "Not found", f"no resource at {req.path}")

    def _create_activity(self, req: Request) -> Reply:
        body = req.json()
        try:
            data = body["data"]
            assert data["type"] == "orgDeviceActivities"
            kind = data["attributes"]["activityType"]
            rel = data["relationships"]
            server = rel["mdmServer"]["data"]
            assert server["type"] == "mdmServers"
            devices = rel["devices"]["data"]
            serials = [d["id"] for d in devices if d.get("type") == "orgDevices"]
            assert serials and len(serials) == len(devices)
        except (KeyError, TypeError, AssertionError):
            return _error(
                400,
                "ENTITY_ERROR",
                "Invalid request entity",
                "The request body is not an OrgDeviceActivityCreateRequest.",
            )
        if kind not in ("ASSIGN_DEVICES", "UNASSIGN_DEVICES"):
            return _error(422, "ENTITY_UNPROCESSABLE", "Unsupported activity", f"{kind} is not simulated here")
        if server["id"] not in self.servers:
            return _error(
                409,
                "ENTITY_ERROR.RELATIONSHIP.INVALID",
                "Conflict",
                f"There is no device management service with id {server['id']}.",
            )
        unknown = [s for s in serials if s not in self.devices]
        if unknown:
            return _error(
                409,
                "ENTITY_ERROR.RELATIONSHIP.INVALID",
                "Conflict",
                f"Serial numbers not in the organization: {', '.join(unknown)}",
            )
        act = _Activity(str(uuid.uuid4()), kind, server["id"], serials, _now_iso())
        self.activities[act.id] = act
        return Reply(
            201, {"data": self._activity_resource(act), "links": {"self": f"{self.base_url}/v1/orgDeviceActivities"}}
        )

    def _complete(self, act: _Activity) -> None:
        failed = [s for s in act.serials if s in self.faults.fail_serials]
        for s in act.serials:
            if s in failed:
                continue
            if act.kind == "ASSIGN_DEVICES":
                self.assigned[s] = act.server_id
            elif self.assigned.get(s) == act.server_id:
                del self.assigned[s]
            else:
                continue
            if self.on_assign is not None:
                self.on_assign(s, self.assigned.get(s))
        act.status = "COMPLETED"
        act.sub_status = "COMPLETED_WITH_FAILURE" if failed else "COMPLETED_WITH_SUCCESS"
        act.completed = _now_iso()

    def _activity_resource(self, act: _Activity) -> dict[str, Any]:
        attrs: dict[str, Any] = {"status": act.status, "subStatus": act.sub_status, "createdDateTime": act.created}
        if act.completed:
            attrs["completedDateTime"] = act.completed
        return {
            "type": "orgDeviceActivities",
            "id": act.id,
            "attributes": attrs,
            "links": {"self": f"{self.base_url}/v1/orgDeviceActivities/{act.id}"},
        }
