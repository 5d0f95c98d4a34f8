"""The ``--fault`` grammar of the simulated iOS devices, and the per-step latency model.

Grammar (one spec per ``--fault``; see docs/simulator-ios.md)::

    SPEC   := [ "ios:" ] DEVICE ":" KIND [ "=" ARG ]
    DEVICE := index (0-based, in plug order) | UDID | serial | "*"
    KIND   := unplug-at=STEP|N   pull the cable when STEP starts (or at the device's Nth request)
            | drop=STEP|N        close the connection without answering, once
            | lose-answer=STEP|N the MCInstall request is carried out but its answer is lost, once
            | error=STEP[/CODE]  answer an MCInstall ErrorChain with CODE (default 4001), once
            | trust=pending|refused   (also trust-pending, trust-refused)
            | passcode-locked    (also locked)
            | slow[=FACTOR]      every step FACTOR times slower (default 10)
            | activation-lock    Activation Lock: the activation server asks for the previous
                                 owner's Apple Account (survives an erase)
            | no-network         the activation server (and Apple, for a DEP download) cannot be
                                 reached for this device
            | activation-refused the activation server refuses the device (HTTP 400)
            | allow-unactivated  LENIENT: accept a cloud configuration while unactivated
            | disk-full          no free space: AFC writes answer NO_SPACE_LEFT (an .ipa cannot be staged)

Steps are named after what the device does: see ``STEPS``. ``--fault`` is shared with the Android
simulator, so specs prefixed ``android:`` are skipped here and, unprefixed, a kind this simulator
does not know is skipped by ``parse_faults(strict=False)`` (the simulator's mode) while
``parse_fault`` rejects it (the CLI validates with ``strict=True`` when only iOS is simulated).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field

# Base latencies in seconds at speed 1, modelled on real devices: an erase takes about a
# minute and the first boot into Setup Assistant a little more; Prepare's steps take 1–10 s.
BASE_LATENCY: dict[str, float] = {
    "get-value": 0.01,
    "pair": 0.6,
    "session": 0.1,
    "start-service": 0.2,
    "hello": 0.1,
    "flush": 0.1,
    "get-cloud-config": 0.3,
    "set-cloud-config": 2.0,
    "escalate": 1.0,
    "install-profile": 3.0,
    "install-profile-silent": 3.0,
    "get-profile-list": 0.3,
    "remove-profile": 1.5,
    "store-profile": 1.0,
    "get-stored-profile": 0.3,
    "dep": 8.0,
    "activation-info": 0.2,
    "activate": 3.0,
    "erase": 60.0,
    "boot": 70.0,
    # Apps: AFC requests (one per 4 MB written for afc-write), installd's install and uninstall.
    "afc": 0.01,
    "afc-write": 0.05,
    "install-app": 4.0,
    "uninstall-app": 1.0,
    "lookup-apps": 0.2,
}
STEPS: tuple[str, ...] = tuple(BASE_LATENCY)
# Steps answered by MCInstall (an ErrorChain) or mobileactivationd (an Error), where error= makes sense.
APP_STEPS: frozenset[str] = frozenset({"afc", "afc-write", "install-app", "uninstall-app", "lookup-apps"})
MC_STEPS: frozenset[str] = frozenset(STEPS) - {"get-value", "pair", "session", "start-service", "boot"} - APP_STEPS

KINDS: tuple[str, ...] = (
    "unplug-at",
    "drop",
    "lose-answer",
    "error",
    "trust",
    "passcode-locked",
    "slow",
    "activation-lock",
    "no-network",
    "activation-refused",
    "allow-unactivated",
    "disk-full",
)
# Kinds that describe the device's situation (no argument, never spent).
CONDITIONS: frozenset[str] = frozenset(
    {"activation-lock", "no-network", "activation-refused", "allow-unactivated", "disk-full"}
)
_ALIASES: dict[str, tuple[str, str | None]] = {
    "trust-pending": ("trust", "pending"),
    "trust-refused": ("trust", "refused"),
    "locked": ("passcode-locked", None),
}
DEFAULT_ERROR_CODE = 4001
DEFAULT_SLOW_FACTOR = 10.0


class FaultSpecError(ValueError):
    """A ``--fault`` spec that does not follow the grammar."""


@dataclass
class Fault:
    """One parsed fault: which device, what, and its argument."""

    device: str  # "*", a decimal index, a UDID or a serial
    kind: str
    arg: str | None = None
    spent: bool = field(default=False, compare=False)  # one-shot faults fire once

    def matches_device(self, index: int, udid: str, serial: str) -> bool:
        return self.device in ("*", str(index), udid, serial) or self.device.upper() in (udid.upper(), serial.upper())

    def matches_step(self, step: str, request_no: int) -> bool:
        """True when this fault's STEP|N argument designates ``step`` or request number ``request_no``."""
        target = (self.arg or "").split("/")[0]
        return target == step or (target.isdigit() and int(target) == request_no)


def _validate_step(kind: str, arg: str | None, spec: str) -> None:
    if not arg:
        raise FaultSpecError(f"{spec!r}: {kind} needs =STEP or =N (steps: {', '.join(STEPS)})")
    target, _, code = arg.partition("/")
    if kind == "error":
        if target not in MC_STEPS:
            raise FaultSpecError(f"{spec!r}: error= takes an MCInstall step ({', '.join(sorted(MC_STEPS))})")
        if code and not code.lstrip("-").isdigit():
            raise FaultSpecError(f"{spec!r}: the error code must be an integer")
        return
    if code:
        raise FaultSpecError(f"{spec!r}: only error= takes /CODE")
    if not (target in STEPS or (target.isdigit() and int(target) > 0)):
        raise FaultSpecError(f"{spec!r}: unknown step {target!r} (steps: {', '.join(STEPS)}, or a request number)")


def parse_fault(spec: str) -> Fault:
    """Parse one ``DEVICE:KIND[=ARG]`` spec; raise ``FaultSpecError`` saying what is wrong."""
    body = spec.strip()
    if body.startswith("ios:"):
        body = body[4:]
    device, sep, rest = body.partition(":")
    if not sep or not device or not rest:
        raise FaultSpecError(f"{spec!r}: expected DEVICE:KIND[=ARG], e.g. 0:unplug-at=erase")
    kind, _, arg_s = rest.partition("=")
    arg: str | None = arg_s or None
    if kind in _ALIASES:
        kind, alias_arg = _ALIASES[kind]
        arg = arg or alias_arg
    if kind not in KINDS:
        raise FaultSpecError(f"{spec!r}: unknown fault {kind!r} (kinds: {', '.join(KINDS)})")
    if kind in ("unplug-at", "drop", "lose-answer", "error"):
        _validate_step(kind, arg, spec)
    elif kind == "trust":
        if arg not in ("pending", "refused"):
            raise FaultSpecError(f"{spec!r}: trust= takes pending or refused")
    elif kind == "passcode-locked" or kind in CONDITIONS:
        if arg is not None:
            raise FaultSpecError(f"{spec!r}: {kind} takes no argument")
    elif kind == "slow":
        try:
            factor = float(arg) if arg else DEFAULT_SLOW_FACTOR
        except ValueError:
            raise FaultSpecError(f"{spec!r}: slow= takes a number") from None
        if factor <= 0:
            raise FaultSpecError(f"{spec!r}: slow= must be positive")
    return Fault(device.strip(), kind, arg)


def parse_faults(specs: Iterable[str], *, strict: bool = True) -> list[Fault]:
    """Parse every spec meant for iOS.

    ``android:``-prefixed specs are skipped. With ``strict=False`` an unprefixed spec whose kind
    is unknown here is skipped too (it may be an Android fault), but malformed iOS kinds still raise.
    """
    out: list[Fault] = []
    for spec in specs:
        s = spec.strip()
        if s.startswith("android:"):
            continue
        if not strict and not s.startswith("ios:"):
            _, _, rest = s.partition(":")
            kind = rest.partition("=")[0]
            if kind not in KINDS and kind not in _ALIASES:
                continue
        out.append(parse_fault(s))
    return out


DEFAULT_JITTER = 0.2


class Timing:
    """Latency of each step for one device: base × jitter × slow factor ÷ speed.

    ``jitter`` is the spread (0.2: each latency drawn in ±20 %) so that a fleet of identical
    devices does not finish in lock-step. A benchmark that divides a batch's time by one device's
    time alone passes 0: with a spread, the slowest of 32 devices draws ~15 % more simulated time
    than a typical one, and that would be counted as the station's overhead.
    """

    def __init__(self, speed: float, rng: random.Random, slow: float = 1.0, jitter: float = DEFAULT_JITTER) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        if not 0 <= jitter < 1:
            raise ValueError("jitter must be in 0..1")
        self.speed = speed
        self.slow = slow
        self.jitter = jitter
        self._rng = rng

    def delay(self, step: str) -> float:
        # Drawn even without jitter, so a device's later draws stay the same for a given seed.
        factor = self._rng.uniform(1 - self.jitter, 1 + self.jitter)
        return BASE_LATENCY.get(step, 0.05) * factor * self.slow / self.speed
