"""The CLI's last link of the secrets chain: a prompt on the terminal, or a clear reason when there is none.

``getpass`` asks on the controlling terminal (``/dev/tty``), also when stdin is a pipe. Without
one it would fall back to reading stdin with echo (``GetPassWarning``) or raise ``EOFError``; a
scheduled or piped run gets a one-line reason naming the environment variable to set instead.
"""

from __future__ import annotations

import getpass
import warnings

from kitstation.core.secrets import SecretsChain, SecretUnavailable, missing
from kitstation.i18n import Text

NO_TTY = Text("no terminal to ask on", "入力できる端末がありません")


class NoTerminal(SecretUnavailable):
    """Nobody can be asked: the process has no terminal."""


def ask_on_terminal(name: str, prompt: Text) -> str:
    """Ask for secret ``name`` without echo; SecretUnavailable when there is no terminal or no answer."""
    with warnings.catch_warnings():
        # getpass's fallback would read the secret from stdin *with echo*: refuse instead.
        warnings.simplefilter("error", getpass.GetPassWarning)
        try:
            value = getpass.getpass(f"{prompt}: ")
        except (getpass.GetPassWarning, EOFError, OSError):
            raise NoTerminal(missing(name, prompt, NO_TTY).reason) from None
    if not value:
        raise SecretUnavailable(Text(f"No secret given: {prompt.en}", f"秘密情報が入力されませんでした: {prompt.ja}"))
    return value


async def terminal_prompt(name: str, prompt: Text) -> str:
    import asyncio

    # getpass blocks: off the loop, so the other devices keep going while the technician types.
    return await asyncio.get_running_loop().run_in_executor(None, ask_on_terminal, name, prompt)


def cli_secrets() -> SecretsChain:
    """The chain a CLI run uses: memo, ``KITSTATION_SECRET_<NAME>``, then the terminal."""
    return SecretsChain(terminal_prompt)
