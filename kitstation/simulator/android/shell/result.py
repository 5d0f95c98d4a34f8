"""What a simulated shell command answers (``ShellResult``) and the helpers every command uses."""

from __future__ import annotations

from dataclasses import dataclass


class ConnectionDrop(Exception):
    """Raised inside a command when the simulated cable drops (the offline-mid-install fault)."""


@dataclass
class ShellResult:
    """Output of one command line; ``action`` is what the device does after answering."""

    stdout: bytes = b""
    stderr: bytes = b""
    code: int = 0
    action: str | None = None  # "reboot" | "factory-reset"
    merged: bytes | None = None  # stdout and stderr in the order written (what a pty/v1 shell shows)

    @property
    def output(self) -> bytes:
        return self.merged if self.merged is not None else self.stdout + self.stderr



def ok(text: str = "", code: int = 0) -> ShellResult:
    """Output on stdout (exit code 0 unless given)."""
    return ShellResult(stdout=text.encode(), code=code)


def err(text: str, code: int = 1) -> ShellResult:
    """Output on stderr (exit code 1 unless given)."""
    return ShellResult(stderr=text.encode(), code=code)


def opt_user(args: list[str]) -> list[str]:
    """Drop ``--user N`` (and similar value options) that our single-user model ignores."""
    out, i = [], 0
    while i < len(args):
        if args[i] in ("--user", "-i", "--install-location", "--originating-uri", "--referrer", "--abi", "--name"):
            i += 2
            continue
        out.append(args[i])
        i += 1
    return out
