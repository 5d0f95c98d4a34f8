"""The Android part of a blueprint: Knox Mobile Enrollment profile, Device Owner over adb, QR.

Three methods (``[android] method``):

* ``kme`` -- Knox Mobile Enrollment. ``[android.kme]`` mirrors the KME console's *Device Owner*
  profile (profile name, MDM "Other" + agent APK URL, custom JSON, system apps disabled or kept,
  legal agreements, company name, support contact, skip setup wizard). The station records each
  device for the KME bulk upload (layout in ``[android.kme_export]``); uploading, approving and
  assigning the profile happen in the KME console, outside the station.
* ``device_owner`` -- for devices with USB debugging on: install ``[android.agent]`` and make it
  Device Owner with ``dpm set-device-owner``, then optional ``settings`` and ``disable_packages``.
* ``qr`` -- an Android Enterprise provisioning QR code (``[android.qr]``) for devices at the
  welcome screen (tap it six times to open the QR reader).
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from kitstation.blueprints.apps import PACKAGE_NAME, AndroidApps, names_matching
from kitstation.blueprints.base import Section

AndroidMethod = Literal["kme", "device_owner", "qr"]

_COMPONENT = re.compile(r"^[A-Za-z_][\w.]*/[\w.$]+$")


def _http_url(value: str) -> str:
    """An APK location a device or the station downloads from: http(s) only (or empty)."""
    if value and not value.startswith(("https://", "http://")):
        raise ValueError("must be an http(s) URL")
    return value


class LegalAgreement(Section):
    title: str = Field(min_length=1)
    text: str = ""
    url: str = ""


class KmeProfile(Section):
    """A KME *Device Owner* profile as defined in the KME console."""

    profile_name: str = Field(min_length=1)
    description: str = ""
    mdm: str = "Other"
    agent_apk_url: str = ""
    admin_component: str = ""
    signature_checksum: str = ""
    mdm_server_uri: str = ""
    custom_json: str = ""
    system_apps: Literal["disable", "keep"] = "disable"
    legal_agreements: list[LegalAgreement] = Field(default_factory=list)
    company_name: str = ""
    support_email: str = ""
    support_phone: str = ""
    skip_setup_wizard: bool = False
    allow_cancel: bool = False

    _url = field_validator("agent_apk_url")(_http_url)

    @field_validator("custom_json")
    @classmethod
    def _json(cls, value: str) -> str:
        if value.strip():
            try:
                json.loads(value)
            except json.JSONDecodeError as exc:
                raise ValueError(f"custom_json is not valid JSON: {exc.msg} (line {exc.lineno})") from exc
        return value


class AgentApk(Section):
    """The MDM agent APK made Device Owner: from a URL or a file, pinned by SHA-256.

    ``signature_checksum`` (optional) pins the signer instead of the file: the URL-safe base64
    SHA-256 of the signing certificate, as in the QR code and the KME profile; a new build by the
    same vendor keeps it, another key does not.
    """

    url: str = ""
    file: str = ""
    sha256: str = ""
    signature_checksum: str = ""
    package: str = Field(min_length=1)
    admin_receiver: str = Field(min_length=1)  # "pkg/.Receiver" or "pkg/pkg.Receiver"

    _url = field_validator("url")(_http_url)

    @field_validator("package")
    @classmethod
    def _package(cls, value: str) -> str:
        if not PACKAGE_NAME.match(value):
            raise ValueError("must be an Android package name like 'com.example.agent'")
        return value

    @field_validator("admin_receiver")
    @classmethod
    def _component(cls, value: str) -> str:
        if not _COMPONENT.match(value):
            raise ValueError("must look like 'com.example.agent/.AdminReceiver'")
        return value

    @field_validator("sha256")
    @classmethod
    def _sha(cls, value: str) -> str:
        if value and not re.fullmatch(r"[0-9a-fA-F]{64}", value):
            raise ValueError("must be 64 hexadecimal digits")
        return value.lower()

    @field_validator("signature_checksum")
    @classmethod
    def _checksum(cls, value: str) -> str:
        if value and not re.fullmatch(r"[A-Za-z0-9_-]{43}", value):
            raise ValueError("must be the URL-safe base64 SHA-256 of the signing certificate (43 characters, no '=')")
        return value

    @model_validator(mode="after")
    def _source(self) -> AgentApk:
        if not (self.url or self.file):
            raise ValueError("give 'url' or 'file'")
        return self


class SettingPut(Section):
    namespace: Literal["global", "secure", "system"] = "global"
    key: str = Field(min_length=1)
    value: str


class QrWifi(Section):
    ssid: str = Field(min_length=1)
    security: Literal["NONE", "WPA", "WEP", "EAP"] = "WPA"
    password_secret: str | None = None
    hidden: bool = False


class QrOptions(Section):
    """Android Enterprise QR provisioning options (for devices at the welcome screen).

    ``download_url`` and ``admin_component`` default to the agent's (``[android.agent]`` url /
    admin_receiver) or the KME profile's. ``signature_checksum`` is only needed when the station
    cannot compute it from the agent APK (an APK without a v1 signature block).
    """

    download_url: str = ""
    admin_component: str = ""
    signature_checksum: str = ""
    wifi: QrWifi | None = None
    locale: str = ""
    time_zone: str = ""
    leave_system_apps: bool = False
    skip_encryption: bool = False
    skip_education_screens: bool = False
    use_mobile_data: bool = False
    admin_extras: dict[str, Any] = Field(default_factory=dict)

    _url = field_validator("download_url")(_http_url)


class BenchWifi(Section):
    """A Wi-Fi network the phone joins over adb; the password is a secret's name, never the password."""

    ssid: str = Field(min_length=1, max_length=32)
    security: Literal["open", "owe", "wpa2", "wpa3"] = "wpa2"
    password_secret: str | None = None

    @model_validator(mode="after")
    def _password(self) -> BenchWifi:
        if self.security in ("wpa2", "wpa3") and not self.password_secret:
            raise ValueError(
                f"a {self.security} network needs password_secret (the name of the secret holding the password;"
                " the password itself never goes into a blueprint)"
            )
        if self.security in ("open", "owe") and self.password_secret:
            raise ValueError(f"an {self.security} network has no password: drop password_secret")
        return self


class AndroidSetup(Section):
    """``[android.setup]``: settings the station applies over adb and reads back (after the Device Owner).

    ``locale`` is a key only so that asking for it gets the reason: Android has no adb shell command
    for the system locale (it changes through ``ActivityManager.updateConfiguration``, which needs
    CHANGE_CONFIGURATION, given to system apps); the QR code's locale or the MDM's policy can.
    """

    wifi: BenchWifi | None = None
    time_zone: str = ""
    locale: str = ""
    screen_off_timeout_seconds: int | None = Field(default=None, ge=15, le=86400)
    stay_awake_while_charging: bool | None = None

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str) -> str:
        import zoneinfo

        if value and value not in zoneinfo.available_timezones():
            raise ValueError(f"{value!r} is not an IANA time zone (e.g. 'Asia/Tokyo')")
        return value

    @field_validator("locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        if value:
            raise ValueError(
                "the locale cannot be set over adb: Android has no shell command for the system locale (only an app"
                " holding CHANGE_CONFIGURATION, a system app, can change it). Put it in the QR code ([android.qr]"
                " locale), set it from the MDM, or on the phone in Settings > General management > Language"
            )
        return value


class KmeExport(Section):
    """Column layout of the KME bulk device list (configurable: the official one is not confirmed)."""

    identifier: Literal["imei", "serial", "imei_or_serial"] = "imei_or_serial"
    columns: list[str] = Field(default_factory=lambda: ["identifier", "user_id", "password"])
    header: bool = False


class AndroidOptions(Section):
    method: AndroidMethod = "device_owner"
    kme: KmeProfile | None = None
    agent: AgentApk | None = None
    device_owner: bool = True
    settings: list[SettingPut] = Field(default_factory=list)
    disable_packages: list[str] = Field(default_factory=list)
    qr: QrOptions | None = None
    kme_export: KmeExport = Field(default_factory=KmeExport)
    verify: bool = True
    setup: AndroidSetup | None = None
    # The battery gate: the run waits on the cable until the charge reaches this (None: no gate).
    min_battery_percent: int | None = Field(default=None, ge=1, le=100)
    battery_wait_minutes: int = Field(default=120, ge=1, le=1440)
    # Apps installed over adb after the Device Owner (blueprints/apps.py).
    apps: AndroidApps | None = None
    # There is no Galaxy erase the station could run: kept as a key so that asking for one gets
    # the reason and what to do instead (not a generic "unknown key").
    erase: bool = False

    def admin_component(self) -> str:
        """The Device Owner component ``package/receiver``: QR override, agent, then KME profile."""
        if self.qr is not None and self.qr.admin_component:
            return self.qr.admin_component
        if self.agent is not None:
            return self.agent.admin_receiver
        return self.kme.admin_component if self.kme is not None else ""

    def download_url(self) -> str:
        """Where a device downloads the agent: QR override, agent URL, then KME's agent APK URL."""
        if self.qr is not None and self.qr.download_url:
            return self.qr.download_url
        if self.agent is not None and self.agent.url:
            return self.agent.url
        return self.kme.agent_apk_url if self.kme is not None else ""

    @field_validator("erase")
    @classmethod
    def _erase(cls, value: bool) -> bool:
        if value:
            raise ValueError(
                "a Galaxy cannot be erased over adb: Android ignores the shell's factory-reset broadcast"
                " (it needs android.permission.MASTER_CLEAR). Reset it in Settings > General management > Reset >"
                " Factory data reset (sign out of Google first: a reset from recovery triggers Factory Reset"
                " Protection), or from the MDM console when its agent is Device Owner (wipeData); then set it up"
                " with KME or the QR code"
            )
        return value

    @field_validator("disable_packages")
    @classmethod
    def _packages(cls, value: list[str]) -> list[str]:
        return names_matching(value, PACKAGE_NAME, "Android package names")

    @model_validator(mode="after")
    def _method_rules(self) -> AndroidOptions:
        if self.method == "kme" and self.kme is None:
            raise ValueError("method 'kme' needs an [android.kme] profile")
        if self.method == "device_owner" and self.agent is None:
            raise ValueError("method 'device_owner' needs an [android.agent]")
        if self.agent is not None and not self.agent.admin_receiver.startswith(self.agent.package + "/"):
            raise ValueError("agent.admin_receiver must start with the agent's package ('package/.Receiver')")
        if self.method != "device_owner" and (
            self.setup is not None or self.min_battery_percent is not None or self.apps is not None
        ):
            raise ValueError(
                "[android.setup], [android.apps] and min_battery_percent need method 'device_owner' (the station"
                " reaches the phone over adb only then)"
            )
        if self.method == "qr":
            if self.qr is None:
                raise ValueError("method 'qr' needs an [android.qr] section")
            if not self.download_url():
                raise ValueError("method 'qr' needs a download URL ([android.qr] download_url or [android.agent] url)")
            if not self.admin_component():
                raise ValueError("method 'qr' needs an admin component ([android.agent] admin_receiver)")
        for component in (self.qr.admin_component if self.qr else "", self.kme.admin_component if self.kme else ""):
            if component and not _COMPONENT.match(component):
                raise ValueError(f"admin component {component!r} must look like 'com.example.agent/.AdminReceiver'")
        return self
