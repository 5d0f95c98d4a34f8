"""MCInstall refusals as real devices answer them, read back from pymobiledevice3 and turned into reasons.

A device refuses a request either with ``Status: Error`` and an ``ErrorChain`` (each link an
``ErrorDomain``/``ErrorCode``/``LocalizedDescription``, the first the device's own, later ones
underlying causes) or with a ``Status`` of its own and no chain (``CertificateRejected``,
``SignedRequestRejected``, ``CommandFormatError``, ``ErrorPayloadEmpty``...). pymobiledevice3 keeps
the answer only inside its ``ProfileError`` message (14002 aside, which it maps to
``CloudConfigurationAlreadyPresentError``), so :func:`parse` reads it back from there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kitstation.i18n import Text

_STATUS = re.compile(r"""['"]Status['"]:\s*['"]([A-Za-z]+)['"]""")
_LINK = re.compile(r"\{[^{}]*\}")
_DOMAIN = re.compile(r"""['"]ErrorDomain['"]:\s*['"]([^'"]+)['"]""")
_CODE = re.compile(r"""['"]ErrorCode['"]:\s*(-?\d+)""")
_TEXT = re.compile(r"""['"](?:USEnglishDescription|LocalizedDescription)['"]:\s*['"]([^'"]*)['"]""")

CLOUD_CONFIG_DOMAIN = "MCCloudConfigErrorDomain"
CLOUD_CONFIGURATION_DOMAIN = "MCCloudConfigurationErrorDomain"
PROFILE_DOMAIN = "MCProfileErrorDomain"
URL_DOMAIN = "NSURLErrorDomain"
ERR_ALREADY_PRESENT = 14002
ERR_NOT_ACTIVATED = 33003


@dataclass(frozen=True, slots=True)
class Link:
    domain: str
    code: int
    text: str = ""


@dataclass(frozen=True, slots=True)
class Reply:
    """A device's refusal: its ``Status`` and the error chain (first link first)."""

    status: str | None
    chain: tuple[Link, ...] = field(default=())

    def has(self, domain: str, code: int | None = None) -> bool:
        return any(link.domain == domain and (code is None or link.code == code) for link in self.chain)


def parse(message: str) -> Reply:
    """The Status and ErrorChain inside a pymobiledevice3 ``ProfileError`` message."""
    m = _STATUS.search(message)
    links = []
    for part in _LINK.findall(message):
        d, c = _DOMAIN.search(part), _CODE.search(part)
        if d and c:
            t = _TEXT.search(part)
            links.append(Link(d.group(1), int(c.group(1)), t.group(1) if t else ""))
    return Reply(m.group(1) if m else None, tuple(links))


_BY_STATUS: dict[str, tuple[str, Text]] = {
    "CertificateRejected": (
        "certificate_rejected",
        Text(
            "The device rejected the supervision certificate: it is not supervised, or supervised by"
            " another identity (use the identity that supervised it, or erase it)",
            "デバイスが監視証明書を拒否しました。監視対象ではないか、別の監視識別情報で監視されています"
            "（監視した識別情報を使うか、消去してください）",
        ),
    ),
    "SignedRequestRejected": (
        "signed_request_rejected",
        Text(
            "The device rejected the supervision identity's signature (the key does not match the certificate)",
            "デバイスが監視識別情報の署名を拒否しました（鍵と証明書が一致しません）",
        ),
    ),
    "CommandFormatError": (
        "command_format_error",
        Text(
            "The device did not understand the request (its iOS version may not support it)",
            "デバイスが要求を理解できませんでした（このiOSバージョンでは対応していない可能性があります）",
        ),
    ),
    "ErrorPayloadEmpty": (
        "payload_empty",
        Text("The device received an empty profile", "デバイスが空のプロファイルを受け取りました"),
    ),
}

NOT_ACTIVATED = Text(
    "The device is not activated (error 33003): it must be activated before Prepare can configure it",
    "デバイスがアクティベートされていません（エラー33003）。準備の前にアクティベーションが必要です",
)
DEVICE_OFFLINE = Text(
    "The device could not reach Apple (no internet connection on the device): {e}",
    "デバイスがAppleに接続できません（デバイスにインターネット接続がありません）: {e}",
)
PROFILE_REJECTED = Text("The device rejected the profile: {e}", "デバイスがプロファイルを拒否しました: {e}")
REFUSED = Text("The device refused the request: {e}", "デバイスが要求を拒否しました: {e}")


def reason(message: str) -> tuple[str, Text]:
    """(error code, bilingual reason) for a refusal, actionable where the answer says what to do."""
    reply = parse(message)
    if reply.status in _BY_STATUS:
        return _BY_STATUS[reply.status]
    if reply.has(CLOUD_CONFIG_DOMAIN, ERR_NOT_ACTIVATED):
        return "not_activated", NOT_ACTIVATED
    words = "; ".join(f"{link.text or link.domain} ({link.domain} {link.code})" for link in reply.chain) or message
    if reply.has(URL_DOMAIN):
        return "device_no_network", DEVICE_OFFLINE.format(e=words[:300])
    if reply.has(PROFILE_DOMAIN):
        return "profile_rejected", PROFILE_REJECTED.format(e=words[:300])
    return "device_refused", REFUSED.format(e=words[:400])
