"""POSIX-ish basics of the device's toybox shell: echo, true/false, id, whoami, sleep, cat, ls, rm, mkdir, grep."""

from __future__ import annotations

import asyncio
import posixpath
import re
from typing import TYPE_CHECKING

from kitstation.simulator.android.shell.result import ShellResult, err, ok

if TYPE_CHECKING:
    from kitstation.simulator.android.device import SimulatedGalaxy


def echo_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    newline = True
    if args and args[0] == "-n":
        newline, args = False, args[1:]
    return ok(" ".join(args) + ("\n" if newline else ""))


def true_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    return ok()


def false_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    return ok(code=1)


def id_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    return ok(
        "uid=2000(shell) gid=2000(shell) groups=2000(shell),1004(input),1007(log),1011(adb),1015(sdcard_rw),3003(inet) context=u:r:shell:s0\n"
    )


def whoami_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    return ok("shell\n")


async def sleep_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    try:
        await asyncio.sleep(float(args[0]) / d.speed if args else 0)
    except ValueError:
        return err(f"sleep: invalid number '{args[0]}'\n")
    return ok()


def cat_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    if not args:
        return ShellResult(stdout=stdin)
    out = bytearray()
    for p in args:
        data = d.read_file(p)
        if data is None:
            return ShellResult(stdout=bytes(out), stderr=f"cat: {p}: No such file or directory\n".encode(), code=1)
        out.extend(data)
    return ShellResult(stdout=bytes(out))


def ls_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    paths = [a for a in args if not a.startswith("-")] or ["/"]
    long = any(a.startswith("-") and "l" in a for a in args)
    out, code, err = [], 0, []
    for p in paths:
        st = d.stat(p)
        if st is None:
            err.append(f"ls: {p}: No such file or directory\n")
            code = 1
            continue
        entries = d.listdir(p) if st[0] & 0o40000 else [(p, *st)]
        for name, mode, size, _mtime in entries or []:
            if name in (".", ".."):
                continue
            out.append(
                f"{'d' if mode & 0o40000 else '-'}rw-rw---- 1 shell shell {size:>8} 2025-01-01 00:00 {name}"
                if long
                else name
            )
    return ShellResult(
        stdout=("\n".join(out) + ("\n" if out else "")).encode(), stderr="".join(err).encode(), code=code
    )


def rm_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    force = any(a.startswith("-") and "f" in a for a in args)
    code, err = 0, []
    for p in (a for a in args if not a.startswith("-")):
        path = d.norm(p)
        with d._lock:
            if path in d.files and d.writable(path):
                del d.files[path]
            elif path in d.dirs and d.writable(path):
                d.dirs = {x for x in d.dirs if x != path and not x.startswith(path + "/")}
                d.files = {k: v for k, v in d.files.items() if not k.startswith(path + "/")}
            elif not force:
                err.append(f"rm: {p}: {'Permission denied' if path in d.files else 'No such file or directory'}\n")
                code = 1
    return ShellResult(stderr="".join(err).encode(), code=code)


def mkdir_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    for p in (a for a in args if not a.startswith("-")):
        path = d.norm(p)
        if not d.writable(path):
            return err(f"mkdir: '{p}': Permission denied\n")
        with d._lock:
            while path not in d.dirs:
                d.dirs.add(path)
                path = posixpath.dirname(path)
    return ok()


def grep_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    flags = [a for a in args if a.startswith("-")]
    words = [a for a in args if not a.startswith("-")]
    if not words:
        return err("usage: grep [-iv] PATTERN\n", 2)
    pattern = re.compile(words[0], re.I if any("i" in f for f in flags) else 0)
    invert = any("v" in f for f in flags)
    lines = [ln for ln in stdin.decode(errors="replace").splitlines() if bool(pattern.search(ln)) != invert]
    return ok("".join(ln + "\n" for ln in lines), 0 if lines else 1)

