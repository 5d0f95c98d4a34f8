"""The simulated Galaxy's adb requests, counted, and the faults aimed at the N-th one.

A request is one adb service the host opens on the device (``shell:``/``shell,v2:``, ``exec:``,
``sync:``, ``reboot:``): an install is a ``sync:`` push and a ``shell:pm install``, ``dpm
set-device-owner`` one shell request. Counting them lets a test pull the cable at each request
of a flow in turn, as the iOS simulator's ``unplug-at=N`` does:

* ``unplug-at-request=N`` -- the cable comes out as the N-th request arrives: it is never carried
  out (the phone did nothing).
* ``lose-answer-at=N`` -- the N-th request (a ``shell:`` or ``exec:`` command) is carried out,
  then the cable comes out before its answer leaves (the phone did it; the host never hears so).
  A ``sync:`` request answers as it goes (each file's OKAY), so this fault does not aim at one.

Both are what a cable pulled during a command does on a real phone, depending on when: adbd runs
the command in a child process, sends its exit status only once the child has exited
(``Subprocess::WaitForExit``), and hangs the child up when the host's side dies
(``Subprocess::ProcessThread``: "protocol FD died, sending SIGHUP") -- AOSP adb
``daemon/shell_service.cpp`` (``system/core/adb/`` before it moved to ``packages/modules/adb``).
The host cannot tell the two apart: the station must find out from the phone, not assume.
"""

from __future__ import annotations

import shlex
import threading

from kitstation.simulator.android.faults import Fault

UNPLUG_AT = "unplug-at-request"
LOSE_ANSWER_AT = "lose-answer-at"


def request_name(service: str) -> str:
    """A short name for a service request: ``pm install``, ``dpm set-device-owner``, ``sync``."""
    kind, _, rest = service.partition(":")
    base = kind.split(",")[0]
    if base not in ("shell", "exec"):
        return base
    try:
        words = shlex.split(rest)
    except ValueError:
        words = rest.split()
    if words[:1] == ["cmd"]:
        words = words[1:]  # "cmd package install" is the package service's install
    return " ".join(words[:2]) or base


class RequestLog:
    """Every request the device was asked, in order; the one-shot faults aimed at a request number."""

    def __init__(self, faults: list[Fault], lock: threading.RLock) -> None:
        self._faults = faults  # the device's own list: a fired fault is removed from it
        self._lock = lock
        self.names: list[str] = []  # request N is names[N - 1]

    @property
    def count(self) -> int:
        return len(self.names)

    def opened(self, service: str) -> int:
        """Count a request; its number (1-based)."""
        with self._lock:
            self.names.append(request_name(service))
            return len(self.names)

    def take(self, kind: str, number: int) -> bool:
        """Spend a fault of ``kind`` aimed at request ``number``; True when there was one."""
        with self._lock:
            for f in self._faults:
                if f.kind == kind and f.arg == str(number):
                    self._faults.remove(f)
                    return True
        return False
