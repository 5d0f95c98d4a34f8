"""Configuration profiles: the Wi-Fi (network) profile built here, and checks on imported ones.

Profiles are built with plistlib and a fresh UUID each time (pymobiledevice3's
``install_managed_profile`` fixes its default UUID at import, so every profile a process made that
way would share one). Imported profiles are checked the way a device reads them; signed (CMS)
profiles are accepted as they are, since re-encoding would break the signature.
"""

from __future__ import annotations

import plistlib
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kitstation.domain.model import PermanentError
from kitstation.i18n import Text

_ENCRYPTION = {"None": "None", "WEP": "WEP", "WPA": "WPA", "WPA2": "WPA2", "WPA3": "WPA3", "Any": "Any"}


class ProfileInvalid(PermanentError):
    """An imported .mobileconfig a device would refuse."""


@dataclass(frozen=True, slots=True)
class ProfileInfo:
    identifier: str | None  # None for a signed profile whose content could not be read here
    uuid: str | None
    display_name: str
    signed: bool
    payload_types: tuple[str, ...] = field(default_factory=tuple)


def new_uuid() -> str:
    return str(uuid.uuid4()).upper()


def wifi_profile(
    ssid: str,
    security: str = "WPA2",
    password: str | None = None,
    *,
    hidden: bool = False,
    auto_join: bool = True,
    proxy_type: str = "none",
    proxy_host: str = "",
    proxy_port: int | None = None,
    proxy_pac_url: str = "",
    organization: str = "",
    identifier: str | None = None,
) -> bytes:
    """A Wi-Fi profile (``com.apple.wifi.managed``) as .mobileconfig bytes.

    The identifier is stable per SSID (so re-installing replaces, not duplicates); UUIDs are new.
    """
    if security not in _ENCRYPTION:
        raise ValueError(f"unknown security {security!r}")
    ident = identifier or f"jp.kitstation.wifi.{ssid}"
    payload: dict[str, Any] = {
        "PayloadType": "com.apple.wifi.managed",
        "PayloadVersion": 1,
        "PayloadIdentifier": f"{ident}.payload",
        "PayloadUUID": new_uuid(),
        "PayloadDisplayName": f"Wi-Fi ({ssid})",
        "SSID_STR": ssid,
        "HIDDEN_NETWORK": hidden,
        "AutoJoin": auto_join,
        "EncryptionType": _ENCRYPTION[security],
    }
    if password and security != "None":
        payload["Password"] = password
    if proxy_type == "manual":
        payload["ProxyType"] = "Manual"
        payload["ProxyServer"] = proxy_host
        if proxy_port is not None:
            payload["ProxyServerPort"] = proxy_port
    elif proxy_type == "auto":
        payload["ProxyType"] = "Auto"
        if proxy_pac_url:
            payload["ProxyPACURL"] = proxy_pac_url
    return build_profile([payload], identifier=ident, display_name=f"Wi-Fi ({ssid})", organization=organization)


def build_profile(
    payloads: list[dict[str, Any]],
    *,
    identifier: str,
    display_name: str,
    organization: str = "",
    removal_disallowed: bool = False,
) -> bytes:
    top: dict[str, Any] = {
        "PayloadType": "Configuration",
        "PayloadVersion": 1,
        "PayloadIdentifier": identifier,
        "PayloadUUID": new_uuid(),
        "PayloadDisplayName": display_name,
        "PayloadContent": payloads,
        "PayloadRemovalDisallowed": removal_disallowed,
    }
    if organization:
        top["PayloadOrganization"] = organization
    return plistlib.dumps(top)


def _invalid(source: str, why_en: str, why_ja: str) -> ProfileInvalid:
    return ProfileInvalid(
        Text(f"The profile {source} is not valid: {why_en}", f"プロファイル {source} は無効です: {why_ja}"),
        code="profile_invalid",
    )


def _der_read(data: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, content start, content end) of the DER element at ``pos``."""
    tag = data[pos]
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        n = length & 0x7F
        if n == 0 or n > 4:
            raise ValueError("unsupported length")
        length = int.from_bytes(data[pos : pos + n], "big")
        pos += n
    end = pos + length
    if end > len(data):
        raise ValueError("truncated")
    return tag, pos, end


def cms_content(data: bytes) -> bytes:
    """The signed content of a DER CMS SignedData (what a signed .mobileconfig wraps); ValueError otherwise."""
    _, p, _ = _der_read(data, 0)  # ContentInfo SEQUENCE
    tag, s, e = _der_read(data, p)  # contentType OID
    if tag != 0x06:
        raise ValueError("not CMS")
    tag, p, _ = _der_read(data, e)  # [0] EXPLICIT
    if tag != 0xA0:
        raise ValueError("not CMS")
    _, p, _ = _der_read(data, p)  # SignedData SEQUENCE
    _, _, e = _der_read(data, p)  # version
    _, _, e = _der_read(data, e)  # digestAlgorithms SET
    _, p, _ = _der_read(data, e)  # encapContentInfo SEQUENCE
    _, _, e = _der_read(data, p)  # eContentType
    tag, p, _ = _der_read(data, e)  # [0] EXPLICIT eContent
    if tag != 0xA0:
        raise ValueError("detached signature")
    tag, s, e = _der_read(data, p)
    if tag == 0x04:
        return data[s:e]
    if tag == 0x24:  # constructed OCTET STRING: concatenate its parts
        out = b""
        while s < e:
            _, cs, ce = _der_read(data, s)
            out += data[cs:ce]
            s = ce
        return out
    raise ValueError("no content")


def _looks_like_plist(data: bytes) -> bool:
    return data.lstrip()[:8].startswith((b"<?xml", b"<plist", b"<!DOCTY", b"bplist"))


def validate_profile(data: bytes, source: str = "<profile>") -> ProfileInfo:
    """Check a .mobileconfig as a device would read it; :class:`ProfileInvalid` says what is wrong."""
    if not data.strip():
        raise _invalid(source, "the file is empty", "ファイルが空です")
    signed = not _looks_like_plist(data)
    content = data
    if signed:
        try:
            content = cms_content(data)
        except (ValueError, IndexError):
            raise _invalid(
                source,
                "neither a property list nor a signed (CMS) profile",
                "プロパティリストでも署名付き（CMS）プロファイルでもありません",
            ) from None
    try:
        doc = plistlib.loads(content)
    except Exception:
        raise _invalid(source, "not a well-formed property list", "プロパティリストの形式が正しくありません") from None
    if not isinstance(doc, dict):
        raise _invalid(source, "the top level is not a dictionary", "最上位が辞書ではありません")
    for key in ("PayloadType", "PayloadUUID", "PayloadIdentifier"):
        if not isinstance(doc.get(key), str) or not doc[key]:
            raise _invalid(source, f"{key} is missing", f"{key} がありません")
    if doc["PayloadType"] != "Configuration":
        raise _invalid(source, "PayloadType is not Configuration", "PayloadType が Configuration ではありません")
    content_list = doc.get("PayloadContent", [])
    if not isinstance(content_list, list):
        raise _invalid(source, "PayloadContent is not an array", "PayloadContent が配列ではありません")
    types = []
    for i, item in enumerate(content_list):
        if not isinstance(item, dict):
            raise _invalid(source, f"payload {i + 1} is not a dictionary", f"ペイロード {i + 1} が辞書ではありません")
        for key in ("PayloadType", "PayloadUUID", "PayloadIdentifier"):
            if not isinstance(item.get(key), str) or not item[key]:
                raise _invalid(source, f"payload {i + 1} has no {key}", f"ペイロード {i + 1} に {key} がありません")
        types.append(item["PayloadType"])
    return ProfileInfo(
        identifier=doc["PayloadIdentifier"],
        uuid=doc["PayloadUUID"],
        display_name=str(doc.get("PayloadDisplayName", doc["PayloadIdentifier"])),
        signed=signed,
        payload_types=tuple(types),
    )


def read_profile(path: Path) -> tuple[bytes, ProfileInfo]:
    """Read and check a .mobileconfig file named in a blueprint."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ProfileInvalid(
            Text("Cannot read the profile {f}: {e}", "プロファイル {f} を読み込めません: {e}").format(
                f=str(path), e=exc.strerror or str(exc)
            ),
            code="profile_unreadable",
        ) from None
    return data, validate_profile(data, path.name)
