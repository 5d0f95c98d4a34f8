"""An HTTPS session for a cloud API: a cached bearer token, retries with backoff, paging.

Both Apple's and Samsung's APIs use OAuth 2 client-credentials tokens with a lifetime
(``expires_in``), answer 429 with ``Retry-After`` when they rate-limit, and may answer 5xx for a
moment (docs/FIDELITY.md, Cloud table). The policy here: 429 and 5xx (and a connection that
fails) are retried with exponential backoff, at least ``Retry-After`` seconds; a 401 on an API
call drops the cached token and tries once more with a fresh one; anything else is the
service's answer and stands.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import Any, Self, TypedDict, TypeVar

import httpx

from kitstation.i18n import Text

log = logging.getLogger(__name__)

T = TypeVar("T")


class CloudError(Exception):
    """A request a cloud service refused or could not answer; ``reason`` is bilingual."""

    def __init__(self, reason: Text, code: str, status: int = 0, *, transient: bool = False) -> None:
        super().__init__(reason.en)
        self.reason = reason
        self.code = code
        self.status = status
        self.transient = transient


def retry_after_seconds(value: str | None, default: float) -> float:
    """``Retry-After`` as seconds (delta-seconds form; an HTTP date or garbage falls back to ``default``)."""
    if value is None:
        return default
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        return default


def json_body(response: httpx.Response) -> Any:
    """The response's JSON, or ``None`` when it has none (an HTML error page, an empty body)."""
    try:
        return response.json()
    except ValueError:
        return None


def pick_named(items: Sequence[T], ref: str, id_of: Callable[[T], str], name_of: Callable[[T], str]) -> list[T]:
    """The items a blueprint's reference names: the one with that id, else those with that name
    (exactly, else ignoring case). The caller says what none or several mean for its service."""
    by_id = [i for i in items if id_of(i) == ref]
    if by_id:
        return by_id[:1]
    return [i for i in items if name_of(i) == ref] or [i for i in items if name_of(i).casefold() == ref.casefold()]


def one_named(
    items: Sequence[T],
    ref: str,
    id_of: Callable[[T], str],
    name_of: Callable[[T], str],
    *,
    none: Callable[[str], CloudError],
    several: CloudError,
) -> T:
    """The one item ``ref`` names (see :func:`pick_named`); raises ``none(names)`` (``names``: every
    item's name, for the technician to pick from) when none does and ``several`` when several do."""
    matches = pick_named(items, ref, id_of, name_of)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise none(", ".join(name_of(i) for i in items) or "-")
    raise several


def status_kind(status: int) -> tuple[str, bool]:
    """What an HTTP error status means to both services: the last part of the error's code
    (``abm_forbidden``, ``kme_rate_limited``...) and whether the request is worth repeating."""
    if status == 401:
        return "unauthorized", False
    if status == 403:
        return "forbidden", False
    if status == 404:
        return "not_found", False
    if status == 409:
        return "conflict", False
    if status == 429:
        return "rate_limited", True
    if status >= 500 or status == 0:
        return "unavailable", True
    return "rejected", False


def service_said(who: str, code: str, detail: str) -> Text:
    """What the service said, as the tail of a reason: `` (Apple: CODE: detail)`` (empty if nothing)."""
    if not code and not detail:
        return Text("", "")
    said = f"{code}{': ' + detail if detail else ''}"
    return Text(f" ({who}: {said})", f"（{who} の応答: {said}）")


E = TypeVar("E", bound=CloudError)


def status_error(error: type[E], prefix: str, reasons: Mapping[str, Text], status: int, said: Text) -> E:
    """The service's error for an HTTP status: ``reasons[kind]`` ({s}: the status) and what the
    service said, code ``prefix_kind``; a kind the service has no reason for is ``rejected``."""
    kind, transient = status_kind(status)
    if kind not in reasons:
        kind, transient = "rejected", False
    return error(reasons[kind].format(s=status) + said, f"{prefix}_{kind}", status, transient=transient)


class SessionOptions(TypedDict, total=False):
    """The retry policy and transport of a session (tests shorten the backoff and record the sleeps)."""

    max_retries: int
    backoff: float
    max_backoff: float
    sleep: Callable[[float], Awaitable[None]]
    transport: httpx.AsyncBaseTransport | None


class ApiSession:
    """One account's session with a cloud API. Subclasses say how to get a token and name errors."""

    service = "cloud"  # for the log lines of retries
    token_margin = 60.0  # a cached token is renewed this many seconds before it expires

    def __init__(
        self,
        *,
        ca_file: str | None = None,
        max_retries: int = 5,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._sleep = sleep
        verify: ssl.SSLContext | bool = True
        if ca_file:  # set only for the simulated stand-ins
            verify = ssl.create_default_context(cafile=ca_file)
        self._http = httpx.AsyncClient(verify=verify, timeout=30.0, transport=transport)
        self._token: str | None = None
        self._token_expires = 0.0
        self._token_lock = asyncio.Lock()
        self.requests = 0  # for tests and diagnostics: how many HTTP requests were sent
        self.retries = 0

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- what a service says ------------------------------------------------------------------

    async def _new_token(self) -> tuple[str, float]:
        """Ask the token endpoint (through :meth:`send` with ``token_request=True``): token, lifetime."""
        raise NotImplementedError

    def _error_for(self, status: int, body: Any, *, token: bool) -> CloudError:
        raise NotImplementedError

    def _unreachable(self, exc: httpx.HTTPError) -> CloudError:
        raise NotImplementedError

    # -- token --------------------------------------------------------------------------------

    async def token(self) -> str:
        """A valid access token: the cached one until ``token_margin`` before it expires, else a new one."""
        async with self._token_lock:
            if self._token is not None and time.time() < self._token_expires - self.token_margin:
                return self._token
            token, lifetime = await self._new_token()
            self._token = token
            self._token_expires = time.time() + lifetime
            return token

    def forget_token(self) -> None:
        self._token = None
        self._token_expires = 0.0

    @staticmethod
    def lifetime(body: Any, default: float) -> float:
        value = body.get("expires_in", default) if isinstance(body, dict) else default
        return float(value) if isinstance(value, int | float) else default

    # -- transport ----------------------------------------------------------------------------

    async def send(self, method: str, url: str, *, token_request: bool = False, **kwargs: Any) -> httpx.Response:
        """One request with the retry policy; returns a 2xx response or raises :class:`CloudError`."""
        attempt = 0
        refreshed = False
        while True:
            headers: dict[str, str] = {}
            if not token_request:
                headers["Authorization"] = f"Bearer {await self.token()}"
            self.requests += 1
            response: httpx.Response | None
            try:
                response = await self._http.request(method, url, headers=headers, **kwargs)
            except httpx.HTTPError as exc:
                response = None
                failure = self._unreachable(exc)
            else:
                if response.is_success:
                    return response
                if response.status_code == 401 and not token_request and not refreshed:
                    # An expired or revoked token: one fresh token, then the error stands.
                    refreshed = True
                    self.forget_token()
                    continue
                failure = self._error_for(response.status_code, json_body(response), token=token_request)
            if not failure.transient or attempt >= self.max_retries:
                raise failure
            delay = min(self.max_backoff, self.backoff * (2**attempt))
            if response is not None and response.status_code in (429, 503):
                delay = max(delay, retry_after_seconds(response.headers.get("Retry-After"), delay))
            attempt += 1
            self.retries += 1
            log.info("%s %s %s: %s; retry %d in %.1fs", self.service, method, url, failure.code, attempt, delay)
            await self._sleep(delay)

    async def get_json(self, url: str, params: dict[str, Any] | None = None) -> Any:
        return json_body(await self.send("GET", url, params=params))

    async def follow_next(self, url: str, limit: int) -> AsyncIterator[dict[str, Any]]:
        """Every resource of a JSON:API collection, following ``links.next`` page after page."""
        next_url: str | None = url
        params: dict[str, Any] | None = {"limit": limit}
        while next_url:
            body = await self.get_json(next_url, params)
            params = None  # the next link carries its own cursor and limit
            for item in (body or {}).get("data") or []:
                if isinstance(item, dict):
                    yield item
            nxt = ((body or {}).get("links") or {}).get("next")
            next_url = nxt if isinstance(nxt, str) and nxt else None

    async def numbered_pages(
        self, url: str, list_keys: Sequence[str], page_size: int, extra: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Every item of a ``pageNum``/``pageSize`` listing, until ``totalCount`` items or an empty page."""
        out: list[dict[str, Any]] = []
        page = 0
        while True:
            body = await self.get_json(url, {"pageNum": page, "pageSize": page_size, **(extra or {})})
            body = body if isinstance(body, dict) else {}
            items: list[Any] = next((body[k] for k in list_keys if body.get(k)), [])
            out += [i for i in items if isinstance(i, dict)]
            total = body.get("totalCount")
            page += 1
            if not items or not isinstance(total, int) or len(out) >= total:
                return out
