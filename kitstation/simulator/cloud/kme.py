"""A local stand-in for Knox's OAuth 2.0 token endpoint and the Knox Mobile Enrollment API.

Strict by default (docs/FIDELITY.md, Cloud rows C10-C16): the token endpoint checks the client id
and secret and the ``kme`` scope and issues 599-second tokens; every API call needs a live bearer
token; a device a reseller uploaded is *pending* until the customer approves it, and only an
approved device takes a profile; identifiers the service does not know come back in a separate
not-found list. Trouble only through :class:`KmeFaults`.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from kitstation.simulator.cloud.server import Reply, Request

PENDING = "Pending"
APPROVED = "Approved"
ASSIGNED = "Profile assigned"


@dataclass
class KmeFaults:
    expire_tokens: int = 0  # the next N tokens stop working after their first API call
    rate_limit: int = 0  # the next N API calls get 429 with Retry-After
    retry_after: int = 1
    fail_devices: set[str] = field(default_factory=set)  # identifiers an assign answers as invalid


def _error(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"code": code, "message": message})


class KmeStandIn:
    def __init__(self, *, page_cap: int = 1000, faults: KmeFaults | None = None) -> None:
        self.base_url = ""
        self.page_cap = page_cap
        self.faults = faults or KmeFaults()
        self._lock = threading.Lock()
        self._clients: dict[str, str] = {}
        self._tokens: dict[str, tuple[float, bool]] = {}
        self.profiles: dict[str, str] = {}
        self.devices: list[dict[str, Any]] = []
        self.calls: list[tuple[str, str]] = []

    def add_client(self, client_id: str, client_secret: str) -> None:
        with self._lock:
            self._clients[client_id] = client_secret

    def revoke_client(self, client_id: str) -> None:
        """As deleting the cloud app (or its secret expiring) does: no more tokens for it."""
        with self._lock:
            self._clients.pop(client_id, None)

    def add_profile(self, name: str, profile_id: str | None = None) -> str:
        pid = profile_id or str(uuid.uuid4().int)[:10]
        with self._lock:
            self.profiles[pid] = name
        return pid

    def add_device(self, imei: str, serial: str, *, approved: bool = False, model: str = "SM-A546E") -> None:
        """A device as a reseller's upload puts it on the customer's list (pending approval)."""
        with self._lock:
            self.devices.append(
                {
                    "id": uuid.uuid4().hex[:16],
                    "imei": imei,
                    "serialNumber": serial,
                    "model": model,
                    "status": APPROVED if approved else PENDING,
                    "profileId": "",
                    "profileName": "",
                    "changedAt": time.time(),
                }
            )

    def device(self, identifier: str) -> dict[str, Any] | None:
        with self._lock:
            return self._find(identifier)

    def _find(self, identifier: str) -> dict[str, Any] | None:
        for d in self.devices:
            if identifier in (d["id"], d["imei"], d["serialNumber"]):
                return d
        return None

    def handle(self, req: Request) -> Reply:
        with self._lock:
            self.calls.append((req.method, req.path))
            if req.path == "/ams/v1/oauth2/token" and req.method == "POST":
                return self._token(req)
            if not req.path.startswith("/kcs/"):
                return _error(404, "404", f"no resource at {req.path}")
            entry = self._tokens.get(req.bearer or "")
            if entry is None or entry[0] < time.time():
                return _error(401, "401", "Invalid or expired access token")
            if entry[1]:
                self._tokens[req.bearer or ""] = (0.0, False)
            if self.faults.rate_limit > 0:
                self.faults.rate_limit -= 1
                reply = _error(429, "429", "Too many requests")
                reply.headers["Retry-After"] = str(self.faults.retry_after)
                return reply
            return self._route(req)

    def _token(self, req: Request) -> Reply:
        form = req.form()
        if form.get("grant_type") != "client_credentials":
            return Reply(400, {"error": "unsupported_grant_type"})
        secret = self._clients.get(form.get("client_id", ""))
        if secret is None or not hmac.compare_digest(secret, form.get("client_secret", "")):
            return Reply(401, {"error": "invalid_client", "error_description": "Client authentication failed"})
        scopes = set(form.get("scope", "").split())
        if not scopes & {"kme", "kme.devices", "kme.devices:write"}:
            return Reply(400, {"error": "invalid_scope", "error_description": "the kme scope is required"})
        token = secrets.token_urlsafe(32)
        dies = self.faults.expire_tokens > 0
        if dies:
            self.faults.expire_tokens -= 1
        self._tokens[token] = (time.time() + 599, dies)
        return Reply(
            200, {"access_token": token, "scope": form.get("scope"), "expires_in": 599, "token_type": "Bearer"}
        )

    def _paged(self, req: Request, key: str, items: list[dict[str, Any]]) -> Reply:
        try:
            page = int(req.query.get("pageNum", "0"))
            size = max(1, min(self.page_cap, int(req.query.get("pageSize", "100"))))
        except ValueError:
            return _error(400, "400", "pageNum and pageSize must be numbers")
        return Reply(200, {key: items[page * size : (page + 1) * size], "totalCount": len(items)})

    def _route(self, req: Request) -> Reply:
        if req.method == "GET" and req.path == "/kcs/v2/kme/profiles/list":
            return self._paged(req, "profileList", [{"id": pid, "name": name} for pid, name in self.profiles.items()])
        if req.method == "GET" and req.path == "/kcs/v1/kme/devices/list":
            items = self.devices
            after = req.query.get("changedAfter")
            if after:
                try:
                    cutoff = dt.datetime.fromisoformat(after.replace("Z", "+00:00")).timestamp()
                except ValueError:
                    return _error(400, "400", "changedAfter must be a date and time")
                items = [d for d in items if d["changedAt"] > cutoff]
            public = [{k: v for k, v in d.items() if k != "changedAt"} for d in items]
            return self._paged(req, "deviceList", public)
        if req.method not in ("POST", "PUT"):
            return _error(404, "404", f"no resource at {req.path}")
        body = req.json()
        ids = body.get("deviceIds") if isinstance(body, dict) else None
        if not isinstance(body, dict) or not isinstance(ids, list) or not ids:
            return _error(400, "400", "deviceIds is required")
        if req.method == "POST" and req.path == "/kcs/v1/kme/devices/approve":
            return self._bulk(ids, self._approve)
        if req.method == "PUT" and req.path == "/kcs/v1/kme/devices/assignProfile":
            pid = str(body.get("profileId", ""))
            if pid not in self.profiles:
                return _error(400, "PROFILE_NOT_FOUND", f"No profile with id {pid}")
            return self._bulk(ids, lambda d, i: self._assign(d, i, pid))
        if req.method == "POST" and req.path == "/kcs/v2/kme/devices/unassignProfile":
            return self._bulk(ids, self._unassign)
        return _error(404, "404", f"no resource at {req.path}")

    def _bulk(self, ids: list[Any], apply: Any) -> Reply:
        valid, missing, invalid = [], [], []
        for raw in ids:
            ident = str(raw)
            d = self._find(ident)
            if d is None:
                missing.append(ident)
            elif apply(d, ident):
                valid.append(ident)
                d["changedAt"] = time.time()
            else:
                invalid.append(ident)
        return Reply(
            200,
            {
                "validDevices": valid,
                "devicesNotFound": missing,
                "invalidDevices": invalid,
                "requestId": str(uuid.uuid4()),
            },
        )

    def _approve(self, d: dict[str, Any], ident: str) -> bool:
        if d["status"] == PENDING:
            d["status"] = APPROVED
        return True

    def _assign(self, d: dict[str, Any], ident: str, pid: str) -> bool:
        if d["status"] == PENDING or ident in self.faults.fail_devices:
            return False  # a pending upload takes no profile until the customer approves it
        d["status"] = ASSIGNED
        d["profileId"] = pid
        d["profileName"] = self.profiles[pid]
        return True

    def _unassign(self, d: dict[str, Any], ident: str) -> bool:
        if d["status"] == ASSIGNED:
            d["status"] = APPROVED
        d["profileId"] = ""
        d["profileName"] = ""
        return True
