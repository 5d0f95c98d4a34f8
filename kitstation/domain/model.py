"""Domain types: devices, steps, step outcomes and runs, in the bench's own words."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from kitstation.i18n import Text


class Platform(enum.StrEnum):
    IOS = "ios"
    ANDROID = "android"


class Outcome(enum.StrEnum):
    """How one step ended."""

    OK = "ok"
    FAILED = "failed"
    SKIPPED = "skipped"
    # The station did its part; the rest happens elsewhere (ABM assignment, KME console approval).
    WAITING_EXTERNAL = "waiting_external"
    # The device went away or the station stopped while the step ran.
    INTERRUPTED = "interrupted"

    @property
    def is_done(self) -> bool:
        """True when a resumed run need not run this step again."""
        return self in (Outcome.OK, Outcome.SKIPPED, Outcome.WAITING_EXTERNAL)


class RunStatus(enum.StrEnum):
    """The state of one kitting run of a blueprint on one device."""

    RUNNING = "running"
    OK = "ok"
    FAILED = "failed"
    WAITING_EXTERNAL = "waiting_external"  # everything done here; awaiting ABM / KME console
    INTERRUPTED = "interrupted"  # cable pulled or station stopped; resumes on re-plug
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in (RunStatus.OK, RunStatus.FAILED, RunStatus.WAITING_EXTERNAL, RunStatus.CANCELLED)


class UserAction(enum.StrEnum):
    """What the technician must do on or with the device before the station can go on."""

    TAP_TRUST = "tap_trust"
    UNLOCK = "unlock"
    ACCEPT_USB_DEBUGGING = "accept_usb_debugging"
    SCAN_BOX = "scan_box"
    CONFIRM_PROFILE = "confirm_profile"
    ENABLE_USB_DEBUGGING = "enable_usb_debugging"
    RECOVERY_MODE = "recovery_mode"


USER_ACTION_TEXT: dict[UserAction, Text] = {
    UserAction.TAP_TRUST: Text("Tap \u201cTrust\u201d on the device", "デバイスで「信頼」をタップしてください"),
    UserAction.UNLOCK: Text("Unlock the device (enter its passcode)", "デバイスのロックを解除してください"),
    UserAction.ACCEPT_USB_DEBUGGING: Text(
        "Accept the USB debugging prompt on the phone", "端末の「USBデバッグを許可」を承認してください"
    ),
    UserAction.SCAN_BOX: Text(
        "USB debugging is off: scan the box label", "USBデバッグが無効です: 箱のラベルをスキャンしてください"
    ),
    UserAction.CONFIRM_PROFILE: Text(
        "Confirm the profile installation on the device", "デバイス上でプロファイルのインストールを承認してください"
    ),
    UserAction.ENABLE_USB_DEBUGGING: Text("Turn on USB debugging", "USBデバッグを有効にしてください"),
    UserAction.RECOVERY_MODE: Text("The device is in recovery mode", "デバイスがリカバリーモードです"),
}


@dataclass(slots=True)
class Device:
    """One phone or tablet as the station knows it.

    ``key`` is the identity the log files the device under: the UDID on iOS, the serial number
    (``ro.serialno``) on Android, or an IMEI for a device known only from its box label.
    ``connection_id`` is how the adapter reaches it right now (UDID, adb serial); it may change.
    """

    platform: Platform
    key: str
    connection_id: str = ""
    udid: str | None = None
    serial: str | None = None
    imeis: tuple[str, ...] = ()
    ecid: str | None = None
    model_id: str | None = None  # ProductType (iPhone15,2) or model code (SM-A305J)
    marketing_name: str | None = None  # "iPhone 14 Pro", "Galaxy A30"
    os_version: str | None = None
    usb_location: str | None = None
    name: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)  # activation state, supervised, Knox version...

    @property
    def imei(self) -> str | None:
        return self.imeis[0] if self.imeis else None

    @property
    def label(self) -> str:
        """A short human label: model and serial."""
        model = self.marketing_name or self.model_id or self.platform.value
        return f"{model} {self.serial or self.key}"


@dataclass(frozen=True, slots=True)
class StepResult:
    """What a step reports when it returns normally."""

    outcome: Outcome
    reason: Text | None = None
    code: str | None = None
    # The device's answer where useful (e.g. the cloud configuration read back). Never secrets.
    detail: dict[str, Any] | None = None

    @staticmethod
    def ok(reason: Text | None = None, detail: dict[str, Any] | None = None) -> StepResult:
        return StepResult(Outcome.OK, reason, None, detail)

    @staticmethod
    def skipped(reason: Text, code: str | None = None) -> StepResult:
        return StepResult(Outcome.SKIPPED, reason, code)

    @staticmethod
    def waiting_external(reason: Text, code: str, detail: dict[str, Any] | None = None) -> StepResult:
        return StepResult(Outcome.WAITING_EXTERNAL, reason, code, detail)


class StepError(Exception):
    """A step failed. ``transient`` errors are retried with backoff by the pipeline."""

    transient: bool = False

    def __init__(self, reason: Text, code: str = "error", detail: dict[str, Any] | None = None) -> None:
        super().__init__(reason.en)
        self.reason = reason
        self.code = code
        self.detail = detail


class TransientError(StepError):
    """Lost connection, device rebooting, service busy: worth another try."""

    transient = True


class PermanentError(StepError):
    """Wrong passphrase, 14002 without erase permission, dpm refusal: retrying will not help."""


class DeviceGone(TransientError):
    """The device was unplugged (or rebooted) while the station talked to it."""

    def __init__(self, reason: Text | None = None, code: str = "device_gone") -> None:
        super().__init__(reason or Text("The device was disconnected", "デバイスが切断されました"), code)


class UserActionRequired(Exception):
    """The technician must act on the device (tap Trust, accept USB debugging) before going on."""

    def __init__(self, action: UserAction, reason: Text | None = None) -> None:
        self.action = action
        self.reason = reason or USER_ACTION_TEXT[action]
        super().__init__(self.reason.en)
