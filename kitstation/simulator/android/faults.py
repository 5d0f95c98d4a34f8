"""The Android simulator's fault grammar: ``DEVICE:KIND[=ARG]``.

``DEVICE`` is the device's plug index among the simulated Galaxy phones (0 = first plugged), its
serial (``ro.serialno``), its adb serial (``127.0.0.1:PORT``), or ``*`` for every device.

Kinds (one-shot kinds fire once per spec: give the spec twice to fail twice):

- ``unauthorized`` — the device is plugged with the "Allow USB debugging?" dialog unanswered.
- ``offline-mid-install`` — one-shot: the next install loses the connection halfway (the device
  goes offline, is not installed, and comes back after a short re-seat delay).
- ``install-fail=CODE`` — one-shot: the next install fails with ``Failure [CODE]``, e.g.
  ``INSTALL_FAILED_INSUFFICIENT_STORAGE``, ``INSTALL_PARSE_FAILED_NO_CERTIFICATES``.
- ``slow-shell=SECONDS`` — every shell/exec command takes SECONDS longer (divided by ``--speed``).
- ``unplug-after=SECONDS`` — the cable is pulled SECONDS (simulated) after the device is plugged.
- ``replug-after=SECONDS`` — with ``unplug-after``: plugged back into the same slot SECONDS later.
- ``account[=TYPE]`` — an account (default ``com.google``; Samsung's is ``com.osp.app.signin``) is
  on the device: dpm refuses, as the setup wizard is finished.
- ``users=N`` — N users on the device (N > 1: dpm refuses; Secure Folder counts as a user).
- ``setup-wizard`` — the setup wizard has not been finished although USB debugging is on (not
  possible on a retail phone; some engineering units): adb's dpm then ignores accounts and users.
- ``battery=PERCENT`` — the phone reaches the bench at PERCENT charge (default 80); it rises while
  plugged, faster with ``--speed``.
- ``no-charge`` — the port or cable gives no power: the level stays where it is (``status: 3``).
- ``unplug-at-request=N`` — one-shot: the cable comes out as the device's N-th adb request (a
  shell, exec or sync service) arrives; the request is not carried out (``requests.py``).
- ``lose-answer-at=N`` — one-shot: the N-th request is carried out, then the cable comes out
  before its answer leaves.
- ``wifi-ap=SSID/PASSPHRASE`` — a Wi-Fi network in range of the phone (``SSID/`` for an open one);
  without one, ``cmd wifi connect-network`` saves the network but the phone never joins it.

The same ``--fault`` list also reaches the iOS simulator, so ``AndroidSimulator`` skips kinds it does
not know; ``parse_faults(specs, strict=True)`` rejects them (for an Android-only check).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

KINDS_WITH_ARG = {
    "install-fail",
    "slow-shell",
    "users",
    "unplug-after",
    "replug-after",
    "battery",
    "wifi-ap",
    "unplug-at-request",
    "lose-answer-at",
}
KINDS_OPTIONAL_ARG = {"account"}
KINDS_NO_ARG = {"unauthorized", "offline-mid-install", "setup-wizard", "no-charge"}
ANDROID_KINDS = KINDS_WITH_ARG | KINDS_OPTIONAL_ARG | KINDS_NO_ARG

_SPEC = re.compile(r"^(?P<device>\*|[^:\s]+(?::\d+)?):(?P<kind>[a-z][a-z0-9-]*)(?:=(?P<arg>.+))?$")


class FaultError(ValueError):
    """A fault spec that does not parse, or an Android kind with a bad argument."""


@dataclass(frozen=True)
class Fault:
    """One parsed fault: which device, what kind, its argument."""

    device: str
    kind: str
    arg: str | None = None

    def matches(self, index: int, serial: str, adb_serial: str) -> bool:
        return self.device in ("*", str(index), serial, adb_serial)


def parse_fault(spec: str) -> Fault:
    """Parse one ``DEVICE:KIND[=ARG]`` spec (any kind; see ``parse_faults`` for validation)."""
    m = _SPEC.match(spec.strip())
    if not m:
        raise FaultError(
            f"bad fault spec {spec!r}: expected DEVICE:KIND[=ARG], e.g. 0:install-fail=INSTALL_FAILED_INSUFFICIENT_STORAGE"
        )
    device, kind, arg = m.group("device"), m.group("kind"), m.group("arg")
    if kind in ANDROID_KINDS:
        if kind in KINDS_WITH_ARG and not arg:
            raise FaultError(f"fault {kind!r} needs an argument: {spec!r}")
        if kind in KINDS_NO_ARG and arg:
            raise FaultError(f"fault {kind!r} takes no argument: {spec!r}")
        if kind in ("slow-shell", "unplug-after", "replug-after"):
            try:
                if float(arg or "") < 0:
                    raise ValueError
            except ValueError:
                raise FaultError(f"{kind} needs seconds >= 0: {spec!r}") from None
        if kind == "battery" and not ((arg or "").isdigit() and 0 <= int(arg or "0") <= 100):
            raise FaultError(f"battery needs a percentage 0-100: {spec!r}")
        if kind == "wifi-ap" and "/" not in (arg or ""):
            raise FaultError(f"wifi-ap needs SSID/PASSPHRASE (SSID/ for an open network): {spec!r}")
        if kind in ("unplug-at-request", "lose-answer-at") and not ((arg or "").isdigit() and int(arg or "0") > 0):
            raise FaultError(f"{kind} needs a request number (1, 2, ...): {spec!r}")
        if kind == "users" and not (arg or "").isdigit():
            raise FaultError(f"users needs a count: {spec!r}")
        if kind == "install-fail" and not re.fullmatch(r"[A-Z0-9_]+", arg or ""):
            raise FaultError(f"install-fail needs a code like INSTALL_FAILED_INSUFFICIENT_STORAGE: {spec!r}")
    return Fault(device, kind, arg)


def parse_faults(specs: Iterable[str], *, strict: bool = False) -> list[Fault]:
    """Parse specs; keep the Android kinds. ``strict``: an unknown kind is an error, not skipped."""
    out = []
    for spec in specs:
        # ``kitstation simulate`` hands every --fault to both simulators: "ios:..." is the
        # iOS simulator's, "android:..." names this one explicitly.
        platform, sep, rest = spec.strip().partition(":")
        if sep and platform == "ios":
            continue
        if sep and platform == "android":
            spec = rest
        fault = parse_fault(spec)
        if fault.kind not in ANDROID_KINDS:
            if strict:
                raise FaultError(
                    f"unknown Android fault kind {fault.kind!r} in {spec!r}; known: {', '.join(sorted(ANDROID_KINDS))}"
                )
            continue
        out.append(fault)
    return out
