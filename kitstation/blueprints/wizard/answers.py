"""The Prepare wizard's answers, turned into a validated blueprint without any Qt.

The GUI's wizard pages only collect what the technician typed into :class:`WizardAnswers`;
everything that decides what the blueprint *is* lives here, so it can be unit-tested and reused
(the CLI could offer the same questions): which sections exist for a method, where the chosen
trust anchors are stored next to the blueprint, "all" for every Setup Assistant pane skipped,
and a host name typed where the label says "Host name or URL" becoming an ``https://`` URL.

:func:`save` is the only function that writes: the anchors and then the TOML, each atomically
(temp file, fsync, rename), so a crash never leaves a half-written blueprint the library lists.
Secrets are never part of the answers: the blueprint names them (``*_secret``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from kitstation.blueprints.loader import dumps_blueprint, validate_data
from kitstation.blueprints.model import Blueprint
from kitstation.blueprints.wizard.apps import AndroidAppsAnswers, IOSAppsAnswers
from kitstation.blueprints.wizard.naming import NamingAnswers
from kitstation.files import write_atomic

IOSMethodName = Literal["manual_dep", "dep", "supervise", "direct_profile"]
AndroidMethodName = Literal["device_owner", "kme", "qr"]

# Methods whose blueprint carries a server, organization, identity and Setup Assistant panes.
SUPERVISING = ("manual_dep", "supervise")
# Methods that join a network during setup (a DEP check writes nothing to the device).
WITH_NETWORK = ("manual_dep", "supervise", "direct_profile")


def slug(name: str) -> str:
    """A file name from a blueprint name (letters of any script kept; the rest become dashes)."""
    s = re.sub(r"[^\w.-]+", "-", name.strip(), flags=re.UNICODE).strip("-").lower()
    return s or "blueprint"


_HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?(?:/.*)?$")


def server_url(text: str) -> str:
    """What the "Host name or URL" field means: a bare host name (``mdm.example.com``) is its https URL.

    Anything with a scheme is kept as typed, so the blueprint's own check still explains a wrong
    scheme; text that is not a host name either is returned unchanged for the same reason.
    """
    t = text.strip()
    if not t or "://" in t or not _HOST.match(t):
        return t
    return f"https://{t}" if "/" in t else f"https://{t}/"


@dataclass
class Battery:
    """The battery gate: wait on the cable until the charge reaches ``min_percent`` (None: no gate)."""

    min_percent: int | None = None
    wait_minutes: int = 120

    def data(self) -> dict[str, Any]:
        if self.min_percent is None:
            return {}
        return {"min_battery_percent": self.min_percent, "battery_wait_minutes": self.wait_minutes}


@dataclass
class GalaxySetupAnswers:
    """``[android.setup]``: the bench Wi-Fi (a secret's *name*, never the password), time zone, screen."""

    ssid: str = ""
    security: str = "wpa2"
    password_secret: str = ""
    time_zone: str = ""
    screen_timeout_seconds: int | None = None
    stay_awake: bool | None = None

    def data(self) -> dict[str, Any] | None:
        d: dict[str, Any] = {}
        if self.ssid.strip():
            wifi: dict[str, Any] = {"ssid": self.ssid.strip(), "security": self.security}
            if self.password_secret.strip():
                wifi["password_secret"] = self.password_secret.strip()
            d["wifi"] = wifi
        if self.time_zone.strip():
            d["time_zone"] = self.time_zone.strip()
        if self.screen_timeout_seconds is not None:
            d["screen_off_timeout_seconds"] = self.screen_timeout_seconds
        if self.stay_awake is not None:
            d["stay_awake_while_charging"] = self.stay_awake
        return d or None


@dataclass
class IOSAnswers:
    """The iPhone / iPad pages: method, Prepare options, server, organization, identity, panes, network."""

    method: IOSMethodName = "manual_dep"
    erase: bool = True
    add_to_dep: bool = True
    activate_and_complete_enrollment: bool = False
    supervise: bool = True
    allow_pairing: bool = True
    shared_ipad: bool = False
    enrollment_profile: str = ""
    server_name: str = ""
    server_url: str = ""
    anchors: list[str] = field(default_factory=list)  # PEM text of each ticked trust anchor
    organization: dict[str, str] = field(default_factory=dict)
    identity_name: str = ""  # an identity in the station's store ...
    identity_file: str = ""  # ... or a .p12 / PEM file
    passphrase_secret: str = ""
    skipped: list[str] = field(default_factory=list)
    all_panes: int = 0  # how many panes were offered: all of them skipped is "all" (-1: "all" as loaded)
    wifi: dict[str, Any] | None = None
    wifi_profile: str = ""
    apps: IOSAppsAnswers = field(default_factory=IOSAppsAnswers)
    battery: Battery = field(default_factory=Battery)


@dataclass
class AndroidAnswers:
    """The Samsung Galaxy page."""

    method: AndroidMethodName = "device_owner"
    package: str = ""
    admin_receiver: str = ""
    apk_url: str = ""
    apk_file: str = ""
    sha256: str = ""
    kme_profile_name: str = ""
    kme_company_name: str = ""
    kme_custom_json: str = ""
    # Only for Device Owner over USB (the station reaches the phone over adb only then).
    setup: GalaxySetupAnswers = field(default_factory=GalaxySetupAnswers)
    apps: AndroidAppsAnswers = field(default_factory=AndroidAppsAnswers)
    battery: Battery = field(default_factory=Battery)

    def data(self) -> dict[str, Any]:
        """The blueprint's ``[android]`` table."""
        d: dict[str, Any] = {"method": self.method}
        if self.package.strip() or self.method != "kme":
            agent: dict[str, Any] = {"package": self.package.strip(), "admin_receiver": self.admin_receiver.strip()}
            for key, value in (("url", self.apk_url), ("file", self.apk_file), ("sha256", self.sha256)):
                if value.strip():
                    agent[key] = value.strip()
            d["agent"] = agent
        if self.method == "kme":
            d["kme"] = {
                "profile_name": self.kme_profile_name.strip(),
                "agent_apk_url": self.apk_url.strip(),
                "company_name": self.kme_company_name.strip(),
                "custom_json": self.kme_custom_json,
            }
        if self.method == "qr":
            d["qr"] = {}
        if self.method == "device_owner":
            setup, apps = self.setup.data(), self.apps.data()
            if setup is not None:
                d["setup"] = setup
            if apps is not None:
                d["apps"] = apps
            d.update(self.battery.data())
        return d


@dataclass
class WizardAnswers:
    """Everything the wizard asked; :func:`build` makes the blueprint from it."""

    name: str = ""
    customer: str = ""
    order_ref: str = ""
    ios: IOSAnswers | None = None
    android: AndroidAnswers | None = None
    naming: NamingAnswers = field(default_factory=NamingAnswers)


def anchor_names(target: Path, count: int) -> list[str]:
    """Where the ticked anchors go, relative to the blueprint: a folder named after it."""
    folder = target.with_suffix("").name + "-anchors"
    return [f"{folder}/anchor-{i + 1}.pem" for i in range(count)]


def ios_data(a: IOSAnswers, target: Path) -> dict[str, Any]:
    """The blueprint's ``[ios]`` table for these answers."""
    d: dict[str, Any] = {
        "method": a.method,
        "erase": a.erase,
        "add_to_dep": a.add_to_dep,
        "activate_and_complete_enrollment": a.activate_and_complete_enrollment,
        "supervise": a.supervise,
        "allow_pairing": a.allow_pairing,
        "shared_ipad": a.shared_ipad,
    }
    if a.method == "direct_profile" and a.enrollment_profile.strip():
        d["enrollment_profile"] = a.enrollment_profile.strip()
    if a.method in SUPERVISING:
        server: dict[str, Any] = {"name": a.server_name.strip(), "url": server_url(a.server_url)}
        if a.anchors:
            server["anchor_certificates"] = anchor_names(target, len(a.anchors))
        d["mdm_server"] = server
        d["organization"] = {k: v.strip() for k, v in a.organization.items() if v.strip() or k == "name"}
        identity: dict[str, Any] = {}
        if a.identity_name.strip():
            identity["name"] = a.identity_name.strip()
        elif a.identity_file.strip():
            identity["file"] = a.identity_file.strip()
            if a.passphrase_secret.strip():
                identity["passphrase_secret"] = a.passphrase_secret.strip()
        d["supervision_identity"] = identity
        every = a.all_panes == -1 or (a.all_panes > 0 and len(a.skipped) == a.all_panes)
        d["skip_setup"] = "all" if every else list(a.skipped)
    if a.method in WITH_NETWORK:
        if a.wifi is not None:
            d["wifi"] = dict(a.wifi)
        elif a.wifi_profile.strip():
            d["wifi_profile"] = a.wifi_profile.strip()
        # Apps and the battery gate need a device the station prepares (a DEP check touches nothing).
        apps = a.apps.data()
        if apps is not None:
            d["apps"] = apps
        d.update(a.battery.data())
    return d


def to_data(answers: WizardAnswers, target: Path) -> dict[str, Any]:
    """The blueprint as TOML-shaped data (not yet validated)."""
    data: dict[str, Any] = {"name": answers.name.strip()}
    if answers.customer.strip() or answers.order_ref.strip():
        data["customer"] = {"name": answers.customer.strip(), "order_ref": answers.order_ref.strip()}
    if answers.ios is not None:
        data["ios"] = ios_data(answers.ios, target)
    if answers.android is not None:
        data["android"] = answers.android.data()
    naming = answers.naming.data()
    if naming is not None:
        data["naming"] = naming
    return data


def build(answers: WizardAnswers, target: Path) -> Blueprint:
    """The validated blueprint that :func:`save` would write to ``target`` (raises BlueprintError)."""
    return validate_data(to_data(answers, target), str(target), target.resolve())


def to_toml(answers: WizardAnswers, target: Path) -> str:
    return dumps_blueprint(build(answers, target))


def save(answers: WizardAnswers, target: Path) -> Blueprint:
    """Validate, then write the trust anchors and the blueprint TOML (blocking: not on the GUI thread).

    Validation comes first, so a blueprint that cannot be used writes nothing at all.
    """
    bp = build(answers, target)
    if answers.ios is not None and answers.ios.method in SUPERVISING:
        for rel, pem in zip(anchor_names(target, len(answers.ios.anchors)), answers.ios.anchors, strict=True):
            write_atomic(target.parent / rel, pem)
    write_atomic(target, dumps_blueprint(bp))
    return bp

