"""One chain for the secrets a run needs (a .p12 passphrase, a Wi-Fi password): memo, environment, prompt.

The CLI and the GUI both use :class:`SecretsChain`; only the last link differs -- a terminal
prompt in the CLI, a password dialog in the GUI. Values stay in this process's memory: they are
never written to the log, a report, a settings file or a command line.

Order: a value already given in this run, then ``KITSTATION_SECRET_<NAME>`` in the environment,
then the prompt. Many devices asking for the same secret at once share one prompt (a batch of 40
iPhones asks for the .p12 passphrase once), and prompts for different names come one at a time.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Mapping

from kitstation.domain.model import PermanentError
from kitstation.i18n import Text

# ``prompt(name, text)``: ask the person at the station; raise SecretUnavailable if nobody can answer.
Prompt = Callable[[str, Text], Awaitable[str]]

ENV_PREFIX = "KITSTATION_SECRET_"


def env_name(name: str) -> str:
    """The environment variable that can hold secret ``name`` (``kitting_wifi`` -> ``KITSTATION_SECRET_KITTING_WIFI``)."""
    return ENV_PREFIX + name.upper()


class SecretUnavailable(PermanentError):
    """No value for a secret and no way to ask for one: the step fails with this reason."""

    def __init__(self, reason: Text) -> None:
        super().__init__(reason, code="secret_missing")


def missing(name: str, prompt: Text, why: Text | None = None) -> SecretUnavailable:
    """The reason given when secret ``name`` cannot be had, naming the variable that would provide it."""
    var = env_name(name)
    base = Text(
        f"Secret '{name}' needed ({prompt.en}): set {var} or run interactively",
        f"秘密情報 '{name}' が必要です（{prompt.ja}）: 環境変数 {var} を設定するか対話的に実行してください",
    )
    return SecretUnavailable(base if why is None else why + Text(": ", "：") + base)


async def no_prompt(name: str, prompt: Text) -> str:
    """The last link where nobody can be asked (a service, a test): fail with what to set."""
    raise missing(name, prompt)


class SecretsChain:
    """Implements the core's ``Secrets`` protocol: memo, then environment, then ``prompt``."""

    def __init__(self, prompt: Prompt = no_prompt, environ: Mapping[str, str] | None = None) -> None:
        self._prompt = prompt
        self._environ = os.environ if environ is None else environ
        self._values: dict[str, str] = {}
        self._pending: dict[str, asyncio.Future[str]] = {}
        self._lock: asyncio.Lock | None = None

    def remember(self, name: str, value: str) -> None:
        """Give a value up front (e.g. the simulated bench's demo values)."""
        self._values[name] = value

    def forget(self) -> None:
        self._values.clear()

    async def get(self, name: str, prompt: Text) -> str:
        if name in self._values:
            return self._values[name]
        env = self._environ.get(env_name(name))
        if env is not None:
            self._values[name] = env
            return env
        pending = self._pending.get(name)
        if pending is None:
            pending = asyncio.get_running_loop().create_future()
            self._pending[name] = pending
            asyncio.get_running_loop().create_task(self._ask(name, prompt, pending))
        # Shield: one device giving up (cancelled) must not cancel the prompt the others wait on.
        return await asyncio.shield(pending)

    async def _ask(self, name: str, prompt: Text, future: asyncio.Future[str]) -> None:
        if self._lock is None:
            self._lock = asyncio.Lock()
        try:
            async with self._lock:  # one prompt on the screen at a time
                value = await self._prompt(name, prompt)
            self._values[name] = value
            future.set_result(value)
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # retrieved here too: nobody waiting must not warn "never retrieved"
        finally:
            self._pending.pop(name, None)


__all__ = ["ENV_PREFIX", "Prompt", "SecretUnavailable", "SecretsChain", "env_name", "missing", "no_prompt"]
