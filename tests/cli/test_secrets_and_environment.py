"""The secrets chain (memo, environment, prompt) and the checks that tell usbmuxd/adb/USB problems apart."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

import pytest

from kitstation.cli.secrets import NoTerminal, ask_on_terminal
from kitstation.core.secrets import SecretsChain, SecretUnavailable, env_name
from kitstation.domain.model import PermanentError
from kitstation.i18n import Text
from kitstation.station import environment as env
from tests.fixtures.waiting import until

PROMPT = Text("Wi-Fi password", "Wi-Fi パスワード")


async def test_memo_then_environment_then_one_shared_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    release = asyncio.Event()

    async def prompt(name: str, text: Text) -> str:
        asked.append(name)
        await release.wait()
        return f"typed-{name}"

    chain = SecretsChain(prompt, environ={env_name("from_env"): "env-value"})
    assert await chain.get("from_env", PROMPT) == "env-value"
    # Forty devices ask at once: one prompt, one answer for all.
    waiters = [asyncio.ensure_future(chain.get("wifi", PROMPT)) for _ in range(40)]
    await until(lambda: asked, "the prompt")  # all forty are waiting on it by then (one loop turn)
    release.set()
    assert set(await asyncio.gather(*waiters)) == {"typed-wifi"}
    assert asked == ["wifi"]
    assert await chain.get("wifi", PROMPT) == "typed-wifi" and asked == ["wifi"]  # remembered


async def test_without_a_prompt_the_reason_names_the_variable() -> None:
    with pytest.raises(SecretUnavailable) as info:
        await SecretsChain(environ={}).get("kitting_wifi", PROMPT)
    assert isinstance(info.value, PermanentError) and info.value.code == "secret_missing"
    assert (
        "KITSTATION_SECRET_KITTING_WIFI" in info.value.reason.en
        and "KITSTATION_SECRET_KITTING_WIFI" in info.value.reason.ja
    )


async def test_a_failed_prompt_fails_every_waiter_and_can_be_asked_again() -> None:
    calls = 0

    async def prompt(name: str, text: Text) -> str:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise SecretUnavailable(Text("no", "いいえ"))
        return "second"

    chain = SecretsChain(prompt, environ={})
    results = await asyncio.gather(chain.get("p", PROMPT), chain.get("p", PROMPT), return_exceptions=True)
    assert all(isinstance(r, SecretUnavailable) for r in results)
    assert await chain.get("p", PROMPT) == "second"


def test_no_terminal_is_a_reason_not_eof(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_tty(prompt: str = "") -> str:
        import getpass
        import warnings

        warnings.warn("Can not control echo on the terminal.", getpass.GetPassWarning, stacklevel=2)
        raise AssertionError("unreachable: the warning is an error here")

    monkeypatch.setattr("getpass.getpass", no_tty)
    with pytest.raises(NoTerminal) as info:
        ask_on_terminal("p12", PROMPT)
    assert "no terminal" in info.value.reason.en and env_name("p12") in info.value.reason.en

    def eof(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr("getpass.getpass", eof)
    with pytest.raises(NoTerminal):
        ask_on_terminal("p12", PROMPT)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("/var/run/usbmuxd", True),
        ("127.0.0.1:27015", True),
        ("a:b:c", False),
        ("host:0", False),
        ("", False),
        (":27015", False),
        ("host:65536", False),
    ],
)
def test_usbmux_address_shapes(value: str, ok: bool) -> None:
    if ok:
        env.parse_usbmux(value)
    else:
        with pytest.raises(env.AddressError):
            env.parse_usbmux(value)


def test_usbmuxd_missing_stopped_and_running_are_told_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("USBMUXD_SOCKET_ADDRESS", raising=False)
    monkeypatch.setattr(env, "DEFAULT_USBMUXD", str(tmp_path / "usbmuxd"))
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("PATH", str(tmp_path))  # no usbmuxd installed
    missing = env.check_usbmux(None)
    assert missing is not None and missing.code == "usbmuxd_missing" and "not installed" in missing.reason.en
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "usbmuxd").write_text("#!/bin/sh\n")  # installed, not running
    (bindir / "usbmuxd").chmod(0o755)
    monkeypatch.setenv("PATH", str(bindir))
    stopped = env.check_usbmux(None)
    assert stopped is not None and stopped.code == "usbmuxd_stopped" and "systemctl start usbmuxd" in stopped.reason.en
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "usbmuxd"))
        server.listen(1)
        assert env.check_usbmux(None) is None


def test_adb_missing_versus_a_server_that_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADBUTILS_ADB_PATH", str(tmp_path / "nothing"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        problem = env.check_adb(port)  # bound, not listening: nothing answers
        assert problem is not None and problem.code == "adb_missing"
        s.listen(1)
        assert env.check_adb(port) is None  # a server answers: adb itself need not be here


def test_usb_permission_problem_names_the_node(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sysfs = tmp_path / "sys"
    dev = tmp_path / "dev"
    for name, vendor, devnum in (("1-1", "04e8", 7), ("1-2", "05ac", 8)):
        (sysfs / name).mkdir(parents=True)
        (sysfs / name / "idVendor").write_text(vendor + "\n")
        (sysfs / name / "busnum").write_text("1\n")
        (sysfs / name / "devnum").write_text(f"{devnum}\n")
    (dev / "001").mkdir(parents=True)
    node = dev / "001" / "007"
    node.write_bytes(b"")
    node.chmod(0o600)
    assert env.check_usb_permissions(sysfs, dev) == []  # readable: no problem
    # As an unprivileged user without the udev rules would find it (root may open every node).
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if str(p) == str(node) else real_access(p, mode))
    problems = env.check_usb_permissions(sysfs, dev)
    assert [p.code for p in problems] == ["usb_permission"] and str(node) in problems[0].reason.en
