"""The command line interpreter: ``/system/bin/sh -c`` as far as kitting tools use it.

Tokens, ``;`` ``&&`` ``||`` ``&`` ``|``, redirections, ``exit``, ``$?``, and ``cmd SERVICE`` mapped
onto the command families in the sibling modules.
"""

from __future__ import annotations

import asyncio
import posixpath
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kitstation.simulator.android.shell import am, basics, bench, dpm, pm, props, services
from kitstation.simulator.android.shell.result import ShellResult

if TYPE_CHECKING:
    from kitstation.simulator.android.device import SimulatedGalaxy


async def run_shell(d: SimulatedGalaxy, command: str, stdin: bytes = b"") -> ShellResult:
    """Run one command line as ``/system/bin/sh -c`` would (uid shell)."""
    delay = d._shell_delay()
    if delay:
        await asyncio.sleep(delay)
    try:
        tokens = list(_tokenize(command))
    except ValueError as exc:
        return ShellResult(stderr=f"/system/bin/sh: syntax error: {exc}\n".encode(), code=2)
    result = ShellResult()
    last = 0
    pipeline: list[list[str]] = [[]]
    op = ";"
    pending_stdin = stdin
    out = bytearray()
    err = bytearray()
    merged = bytearray()

    async def flush(cmd_op: str) -> bool:
        """Run the collected pipeline if the previous operator allows; False on `exit`."""
        nonlocal last, pending_stdin
        skip = (cmd_op == "&&" and last != 0) or (cmd_op == "||" and last == 0)
        stages = [s for s in pipeline if s]
        if not stages or skip:
            return True
        data = pending_stdin
        for i, argv in enumerate(stages):
            argv = [a.replace("$?", str(last)) for a in argv]
            argv, red = _redirections(argv)
            if argv and argv[0] == "exit":
                last = int(argv[1]) if len(argv) > 1 and argv[1].lstrip("-").isdigit() else last
                return False
            r = await _command(d, argv, data)
            if red.err_to_out:
                r.stdout, r.stderr = r.stdout + r.stderr, b""
            if red.out_to_err:
                r.stdout, r.stderr = b"", r.stderr + r.stdout
            if red.stderr_file is not None:
                if red.stderr_file != "/dev/null":
                    d.write_file(red.stderr_file, r.stderr)
                r.stderr = b""
            if red.stdout_file is not None:
                if red.stdout_file != "/dev/null":
                    before = (d.read_file(red.stdout_file) or b"") if red.append else b""
                    d.write_file(red.stdout_file, before + r.stdout)
                r.stdout = b""
            if i < len(stages) - 1:
                data = r.stdout
            else:
                out.extend(r.stdout)
                merged.extend(r.stdout)
            err.extend(r.stderr)
            merged.extend(r.stderr)
            last = r.code & 0xFF
            if r.action:
                result.action = r.action
        pending_stdin = b""
        return True

    for tok in tokens:
        if tok in (";", "&&", "||", "&"):
            if not await flush(op):
                break
            pipeline = [[]]
            op = tok if tok != "&" else ";"
        elif tok == "|":
            pipeline.append([])
        else:
            pipeline[-1].append(tok)
    else:
        await flush(op)
    result.stdout, result.stderr, result.code = bytes(out), bytes(err), last
    result.merged = bytes(merged)
    return result


async def _command(d: SimulatedGalaxy, argv: list[str], stdin: bytes) -> ShellResult:
    if not argv:
        return ShellResult()
    name, args = argv[0], argv[1:]
    handler = _COMMANDS.get(posixpath.basename(name))
    if name == "cmd" and args:
        sub = {"package": "pm", "device_policy": "dpm", "settings": "settings", "activity": "am", "window": "wm"}
        sub |= {"wifi": "cmd-wifi", "time_zone_detector": "cmd-time_zone_detector"}
        target = sub.get(args[0])
        if target is None:
            return ShellResult(stderr=f"cmd: Can't find service: {args[0]}\n".encode(), code=20)
        handler, args = _COMMANDS[target], args[1:]
    if handler is None:
        return ShellResult(stderr=f"/system/bin/sh: {name}: inaccessible or not found\n".encode(), code=127)
    r = handler(d, args, stdin)
    if asyncio.iscoroutine(r):
        r = await r
    assert isinstance(r, ShellResult)
    return r


def _tokenize(command: str) -> list[str]:
    lex = shlex.shlex(command, posix=True, punctuation_chars=";&|<>")
    lex.whitespace_split = True
    lex.commenters = ""
    return list(lex)


@dataclass
class _Redirect:
    stdout_file: str | None = None
    stderr_file: str | None = None
    err_to_out: bool = False
    out_to_err: bool = False
    append: bool = False


def _redirections(argv: list[str]) -> tuple[list[str], _Redirect]:
    """Strip ``> FILE``, ``>> FILE``, ``2> FILE``, ``2>&1``, ``>&2`` and ``< FILE`` from argv.

    The tokenizer splits ``2>&1`` into ``2``, ``>&``, ``1``: a lone 1 or 2 right before a redirection
    operator is taken as its file descriptor (as in ``cmd 2>/dev/null``).
    """
    out: list[str] = []
    red = _Redirect()
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in (">", ">>", ">&", "<", "&>"):
            fd = int(out.pop()) if out and out[-1] in ("1", "2") and a != "<" else 1
            target = argv[i + 1] if i + 1 < len(argv) else ""
            i += 2
            if a == ">&":
                if fd == 2 and target == "1":
                    red.err_to_out = True
                elif fd == 1 and target == "2":
                    red.out_to_err = True
            elif a == "&>":
                red.stdout_file = red.stderr_file = target
            elif a != "<":
                red.append = a == ">>"
                if fd == 2:
                    red.stderr_file = target
                else:
                    red.stdout_file = target
            continue
        out.append(a)
        i += 1
    return out, red


_COMMANDS: dict[str, Callable[[SimulatedGalaxy, list[str], bytes], Any]] = {
    "echo": basics.echo_command,
    "true": basics.true_command,
    "false": basics.false_command,
    "id": basics.id_command,
    "whoami": basics.whoami_command,
    "sleep": basics.sleep_command,
    "cat": basics.cat_command,
    "ls": basics.ls_command,
    "rm": basics.rm_command,
    "mkdir": basics.mkdir_command,
    "grep": basics.grep_command,
    "getprop": props.getprop_command,
    "setprop": props.setprop_command,
    "pm": pm.pm_command,
    "dpm": dpm.dpm_command,
    "dumpsys": services.dumpsys_command,
    "service": services.service_command,
    "settings": props.settings_command,
    "am": am.am_command,
    "wm": am.wm_command,
    "reboot": am.reboot_command,
    "input": am.input_command,
    # Only through `cmd`: there is no /system/bin/wifi binary.
    "cmd-wifi": bench.wifi_command,
    "cmd-time_zone_detector": bench.time_zone_detector_command,
}
