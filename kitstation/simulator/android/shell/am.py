"""Activity and window managers: ``am`` (start, broadcast, force-stop), ``wm``, ``reboot``, ``input``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kitstation.simulator.android.shell.result import ShellResult, err, ok, opt_user

if TYPE_CHECKING:
    from kitstation.simulator.android.device import SimulatedGalaxy

FACTORY_RESET_ACTIONS = {"android.intent.action.FACTORY_RESET", "android.intent.action.MASTER_CLEAR"}


def am_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    if not args:
        return err("usage: am [start|broadcast|force-stop] ...\n", 255)
    verb, rest = args[0], opt_user(args[1:])
    opts: dict[str, str] = {}
    i = 0
    while i < len(rest):
        if rest[i] in ("-a", "-n", "-p", "-d", "-c") and i + 1 < len(rest):
            opts[rest[i]] = rest[i + 1]
            i += 2
        else:
            i += 1
    parts = []
    if "-a" in opts:
        parts.append(f"act={opts['-a']}")
    if "-n" in opts:
        parts.append(f"cmp={opts['-n']}")
    if verb in ("start", "start-activity"):
        intent = "Intent { " + " ".join(parts) + " }"
        if "-n" in opts:
            pkg = opts["-n"].split("/")[0]
            with d._lock:
                known = pkg in d.installed_packages
            if not known:
                return ShellResult(
                    stdout=f"Starting: {intent}\n".encode(),
                    stderr=f"Error type 3\nError: Activity class {{{opts['-n']}}} does not exist.\n".encode(),
                    code=1,
                )
        return ok(f"Starting: {intent}\n")
    if verb == "broadcast":
        intent = "Intent { " + " ".join([*parts, "flg=0x400000"]) + " }"
        r = ok(f"Broadcasting: {intent}\nBroadcast completed: result=0\n")
        if opts.get("-a") in FACTORY_RESET_ACTIONS:
            r.action = "factory-reset"
        return r
    if verb in ("force-stop", "kill"):
        return ok()
    if verb == "get-current-user":
        return ok("0\n")
    return err(f"Error: Unknown command: {verb}\n", 255)


def wm_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    w, h = d.catalog.screen
    if args and args[0] == "size":
        with d._lock:
            if len(args) > 1:
                d.wm_size = None if args[1] == "reset" else args[1]
                return ok()
            extra = f"Override size: {d.wm_size}\n" if d.wm_size else ""
        return ok(f"Physical size: {w}x{h}\n{extra}")
    if args and args[0] == "density":
        with d._lock:
            if len(args) > 1:
                d.wm_density = None if args[1] == "reset" else int(args[1]) if args[1].isdigit() else d.wm_density
                return ok()
            extra = f"Override density: {d.wm_density}\n" if d.wm_density else ""
        return ok(f"Physical density: {d.catalog.density}\n{extra}")
    return err("usage: wm [size|density] ...\n", 255)


def reboot_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    return ShellResult(action="reboot")


def input_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    return ok()

