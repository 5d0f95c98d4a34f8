"""Properties and settings: ``getprop``, ``setprop`` (``ro.*`` is read-only) and ``settings``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kitstation.simulator.android.shell.result import ShellResult, err, ok, opt_user

if TYPE_CHECKING:
    from kitstation.simulator.android.device import SimulatedGalaxy


def getprop_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    with d._lock:
        if args:
            value = d.props.get(args[0], args[1] if len(args) > 1 else "")
            return ok(value + "\n")
        return ok("".join(f"[{k}]: [{v}]\n" for k, v in sorted(d.props.items())))


def setprop_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    if len(args) != 2:
        return err("usage: setprop NAME VALUE\n")
    if args[0].startswith("ro."):
        return err(f"Failed to set property '{args[0]}' to '{args[1]}'.\nSee dmesg for error reason.\n")
    with d._lock:
        d.props[args[0]] = args[1]
    return ok()



def settings_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    args = opt_user(args)
    if len(args) < 2 or args[1] not in ("global", "secure", "system"):
        return err("usage:  settings [--user <USER_ID> | current] get namespace key\n", 255)
    verb, ns = args[0], args[1]
    with d._lock:
        table = d.settings[ns]
        if verb == "get" and len(args) >= 3:
            return ok(table.get(args[2], "null") + "\n")
        if verb == "put" and len(args) >= 4:
            table[args[2]] = args[3]
            return ok()
        if verb == "delete" and len(args) >= 3:
            return ok(f"Deleted {1 if table.pop(args[2], None) is not None else 0} rows\n")
        if verb == "list":
            return ok("".join(f"{k}={v}\n" for k, v in sorted(table.items())))
    return err("Invalid command\n", 255)

