"""Android Enterprise QR provisioning: the payload from a blueprint, checked, drawn with segno.

A device at the welcome screen (tap six times) reads a QR code holding a JSON object of
``android.app.extra.PROVISIONING_*`` extras, downloads the admin (MDM agent) APK, checks it and
makes it Device Owner. Required: ``DEVICE_ADMIN_COMPONENT_NAME``,
``DEVICE_ADMIN_PACKAGE_DOWNLOAD_LOCATION`` and a checksum -- ``DEVICE_ADMIN_SIGNATURE_CHECKSUM``
(URL-safe base64 SHA-256 of the signing certificate, unpadded; preferred because it survives
agent updates) or ``DEVICE_ADMIN_PACKAGE_CHECKSUM`` (the same over the APK file).

The Wi-Fi password is a secret: it is given to :func:`build_payload` at run time and never
written to the log. A QR image that contains it is written with owner-only permissions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segno

from kitstation.android.apk import b64url_nopad, check_signature
from kitstation.android.apksig import SDK_V2_REQUIRED
from kitstation.blueprints.android import AndroidOptions
from kitstation.blueprints.model import Blueprint
from kitstation.domain.model import PermanentError
from kitstation.i18n import Text
from kitstation.paths import write_private

P = "android.app.extra.PROVISIONING_"
ADMIN_COMPONENT = P + "DEVICE_ADMIN_COMPONENT_NAME"
DOWNLOAD_LOCATION = P + "DEVICE_ADMIN_PACKAGE_DOWNLOAD_LOCATION"
SIGNATURE_CHECKSUM = P + "DEVICE_ADMIN_SIGNATURE_CHECKSUM"
PACKAGE_CHECKSUM = P + "DEVICE_ADMIN_PACKAGE_CHECKSUM"
WIFI_SSID = P + "WIFI_SSID"
WIFI_SECURITY_TYPE = P + "WIFI_SECURITY_TYPE"
WIFI_PASSWORD = P + "WIFI_PASSWORD"
WIFI_HIDDEN = P + "WIFI_HIDDEN"
LEAVE_ALL_SYSTEM_APPS_ENABLED = P + "LEAVE_ALL_SYSTEM_APPS_ENABLED"
SKIP_ENCRYPTION = P + "SKIP_ENCRYPTION"
SKIP_EDUCATION_SCREENS = P + "SKIP_EDUCATION_SCREENS"
USE_MOBILE_DATA = P + "USE_MOBILE_DATA"
LOCALE = P + "LOCALE"
TIME_ZONE = P + "TIME_ZONE"
ADMIN_EXTRAS_BUNDLE = P + "ADMIN_EXTRAS_BUNDLE"

KNOWN_KEYS = frozenset(
    {
        ADMIN_COMPONENT,
        DOWNLOAD_LOCATION,
        SIGNATURE_CHECKSUM,
        PACKAGE_CHECKSUM,
        WIFI_SSID,
        WIFI_SECURITY_TYPE,
        WIFI_PASSWORD,
        WIFI_HIDDEN,
        LEAVE_ALL_SYSTEM_APPS_ENABLED,
        SKIP_ENCRYPTION,
        SKIP_EDUCATION_SCREENS,
        USE_MOBILE_DATA,
        LOCALE,
        TIME_ZONE,
        ADMIN_EXTRAS_BUNDLE,
    }
)


class QrPayloadError(ValueError):
    """The payload lacks something a device needs; ``problems`` says what, in both languages."""

    def __init__(self, problems: list[Text]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.en for p in problems))


def validate_payload(payload: dict[str, Any]) -> list[Text]:
    """What is wrong with a provisioning payload (empty list: a device can use it)."""
    problems: list[Text] = []
    component = str(payload.get(ADMIN_COMPONENT, ""))
    if "/" not in component or component.startswith("/") or component.endswith("/"):
        problems.append(
            Text(
                "the admin component (package/receiver) is missing or malformed",
                "管理コンポーネント（パッケージ/レシーバー）がないか形式が不正です",
            )
        )
    url = str(payload.get(DOWNLOAD_LOCATION, ""))
    if not url.startswith(("https://", "http://")):
        problems.append(
            Text(
                "the agent download URL (http/https) is missing",
                "エージェントのダウンロード URL（http/https）がありません",
            )
        )
    if not (payload.get(SIGNATURE_CHECKSUM) or payload.get(PACKAGE_CHECKSUM)):
        problems.append(
            Text(
                "no signature or package checksum: give the agent APK (--apk) or qr.signature_checksum",
                "署名またはパッケージのチェックサムがありません: エージェント APK（--apk）または qr.signature_checksum を指定してください",
            )
        )
    for key in (SIGNATURE_CHECKSUM, PACKAGE_CHECKSUM):
        value = payload.get(key)
        if value and ("+" in str(value) or "/" in str(value) or "=" in str(value)):
            problems.append(
                Text(
                    f"{key.removeprefix(P)} must be URL-safe base64 without padding",
                    f"{key.removeprefix(P)} はパディングなしの URL セーフ base64 で指定してください",
                )
            )
    if payload.get(WIFI_PASSWORD) and not payload.get(WIFI_SSID):
        problems.append(Text("a Wi-Fi password without an SSID", "SSID のない Wi-Fi パスワードです"))
    unknown = sorted(k for k in payload if k not in KNOWN_KEYS)
    if unknown:
        problems.append(Text(f"unknown keys: {', '.join(unknown)}", f"不明なキー: {', '.join(unknown)}"))
    return problems


def _pinned_checksum(android: AndroidOptions) -> str:
    """The signature checksum the blueprint pins (QR section, KME profile or agent), if any."""
    if android.qr is not None and android.qr.signature_checksum:
        return android.qr.signature_checksum
    if android.kme is not None and android.kme.signature_checksum:
        return android.kme.signature_checksum
    if android.agent is not None and android.agent.signature_checksum:
        return android.agent.signature_checksum
    return ""


def build_payload(
    blueprint: Blueprint,
    *,
    apk: bytes | None = None,
    wifi_password: str | None = None,
) -> dict[str, Any]:
    """The provisioning extras for the blueprint's ``[android.qr]`` (validated; raises QrPayloadError)."""
    android = blueprint.android
    if android is None:
        raise QrPayloadError(
            [Text("the blueprint has no [android] section", "ブループリントに [android] がありません")]
        )
    qr = android.qr
    payload: dict[str, Any] = {
        ADMIN_COMPONENT: android.admin_component(),
        DOWNLOAD_LOCATION: android.download_url(),
    }
    if apk is not None:
        try:
            # Unsigned, v1 only (QR provisioning is Android 11+ nowadays: the phone refuses a
            # v1-only agent that targets API 30+) or not the pinned signer: three different reasons.
            checksum = check_signature(apk, device_sdk=SDK_V2_REQUIRED, pinned=_pinned_checksum(android))
        except PermanentError as exc:
            raise QrPayloadError([exc.reason]) from exc
        payload[SIGNATURE_CHECKSUM] = checksum
    elif qr is not None and qr.signature_checksum:
        payload[SIGNATURE_CHECKSUM] = qr.signature_checksum
    elif android.kme is not None and android.kme.signature_checksum:
        payload[SIGNATURE_CHECKSUM] = android.kme.signature_checksum
    elif android.agent is not None and android.agent.sha256:
        # The pinned SHA-256 of the APK file is exactly what the package checksum encodes.
        payload[PACKAGE_CHECKSUM] = b64url_nopad(bytes.fromhex(android.agent.sha256))
    if qr is not None:
        if qr.wifi is not None:
            payload[WIFI_SSID] = qr.wifi.ssid
            payload[WIFI_SECURITY_TYPE] = qr.wifi.security
            if qr.wifi.hidden:
                payload[WIFI_HIDDEN] = True
            if qr.wifi.security != "NONE" and wifi_password:
                payload[WIFI_PASSWORD] = wifi_password
        if qr.locale:
            payload[LOCALE] = qr.locale
        if qr.time_zone:
            payload[TIME_ZONE] = qr.time_zone
        if qr.leave_system_apps:
            payload[LEAVE_ALL_SYSTEM_APPS_ENABLED] = True
        if qr.skip_encryption:
            payload[SKIP_ENCRYPTION] = True
        if qr.skip_education_screens:
            payload[SKIP_EDUCATION_SCREENS] = True
        if qr.use_mobile_data:
            payload[USE_MOBILE_DATA] = True
    elif android.kme is not None and android.kme.system_apps == "keep":
        payload[LEAVE_ALL_SYSTEM_APPS_ENABLED] = True
    extras: dict[str, Any] = {}
    if android.kme is not None and android.kme.custom_json.strip():
        # KME hands its custom JSON to the agent in the admin extras bundle: the QR does the same.
        loaded = json.loads(android.kme.custom_json)
        if isinstance(loaded, dict):
            extras.update(loaded)
    if qr is not None:
        extras.update(qr.admin_extras)
    if extras:
        payload[ADMIN_EXTRAS_BUNDLE] = extras
    problems = validate_payload(payload)
    if problems:
        raise QrPayloadError(problems)
    return payload


def payload_text(payload: dict[str, Any]) -> str:
    """The JSON the QR code holds (compact: a smaller code scans more reliably)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class ProvisioningQr:
    """A rendered provisioning code: ``matrix[row][col]`` is True for a dark module."""

    payload: dict[str, Any]
    text: str
    matrix: tuple[tuple[bool, ...], ...]
    version: int

    @property
    def has_secret(self) -> bool:
        return WIFI_PASSWORD in self.payload

    def save(self, path: Path, scale: int = 8) -> Path:
        """Write a PNG or SVG (by extension). Codes with a Wi-Fi password are owner-readable only."""
        suffix = path.suffix.lower()
        if suffix not in (".png", ".svg"):
            raise ValueError("the QR file must end in .png or .svg")
        code = segno.make_qr(self.text, error="m")
        import io

        buf = io.BytesIO()
        code.save(buf, kind=suffix[1:], scale=scale, border=4)
        if self.has_secret:
            write_private(path, buf.getvalue())
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(buf.getvalue())
        return path


def render(payload: dict[str, Any]) -> ProvisioningQr:
    """Encode the payload as a QR code (error correction M, raised where it fits) for the GUI or a file."""
    text = payload_text(payload)
    code = segno.make_qr(text, error="m")
    matrix = tuple(tuple(bool(m) for m in row) for row in code.matrix)
    version = int(code.version) if isinstance(code.version, int) else 0
    return ProvisioningQr(payload, text, matrix, version)


__all__ = [
    "ADMIN_COMPONENT",
    "ADMIN_EXTRAS_BUNDLE",
    "DOWNLOAD_LOCATION",
    "PACKAGE_CHECKSUM",
    "SIGNATURE_CHECKSUM",
    "ProvisioningQr",
    "QrPayloadError",
    "build_payload",
    "payload_text",
    "render",
    "validate_payload",
]
