"""What ``kitstation abm`` and ``kitstation kme`` share: credential sub-commands, loading, errors.

Both keep per-customer credentials in a :class:`~kitstation.cloudapi.credentials.CredentialStore`
(``credentials import|list|remove``), refuse an expired one with a one-line reason, read the
secret part from a file or stdin (never from the command line, where ``ps`` shows it), and turn
a service's refusal into a one-line error: exit 1 when it is worth trying again, else 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from kitstation.cli.common import EXIT_DEVICE_FAILED, EXIT_OK, EXIT_USAGE, CliError, print_json

if TYPE_CHECKING:  # the cloud clients import httpx: only when a command runs (kitstation --help stays fast)
    from kitstation.cloudapi.credentials import CredentialStore, StoredCredential
from kitstation.i18n import Text

T = TypeVar("T")
C = TypeVar("C", bound="StoredCredential")

IMPORTED_LIST_TAIL = Text(", expires {e}", "、有効期限 {e}")


def add_credentials_commands(
    parent: Any,
    *,
    what: str,
    run_import: Callable[[argparse.Namespace], int],
    run_list: Callable[[argparse.Namespace], int],
    run_remove: Callable[[argparse.Namespace], int],
) -> argparse.ArgumentParser:
    """``credentials import|list|remove``; returns the import parser for the service's own options."""
    cred = parent.add_parser("credentials", help=f"the customers' {what}s (imported once, kept owner-only)")
    cs = cred.add_subparsers(dest="cred_command", metavar="ACTION", required=True)
    imp: argparse.ArgumentParser = cs.add_parser(
        "import", help=f"store a customer's {what} (secret from a file or stdin)"
    )
    imp.add_argument("--customer", required=True)
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(func=run_import)
    ls = cs.add_parser("list", help=f"the stored {what}s (never their secrets)")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=run_list)
    rm = cs.add_parser("remove", help=f"forget a customer's {what}")
    rm.add_argument("--customer", required=True)
    rm.set_defaults(func=run_remove)
    return imp


def add_customer_command(
    parent: Any, name: str, *, help: str, func: Callable[[argparse.Namespace], int]
) -> argparse.ArgumentParser:
    """A sub-command that asks the service about one customer's organization (``--customer``,
    ``--json``); returns its parser for the command's own options."""
    cmd: argparse.ArgumentParser = parent.add_parser(name, help=help)
    cmd.add_argument("--customer", required=True)
    cmd.add_argument("--json", action="store_true")
    cmd.set_defaults(func=func)
    return cmd


def usable(store: CredentialStore[C], customer: str, expired: Text) -> C:
    """The customer's stored credential, or a one-line error (missing, unreadable, ``expired``: {c}, {d})."""
    from kitstation.cloudapi.credentials import CredentialError

    try:
        stored = store.load(customer)
    except CredentialError as exc:
        raise CliError(exc.reason) from exc
    if stored.expired():
        raise CliError(expired.format(c=customer, d=stored.expires))
    return stored


def read_secret(name: str, what: Text) -> bytes:
    """A secret file's bytes (``-``: stdin); ``what`` names it in the error ({f}: the file)."""
    try:
        return sys.stdin.buffer.read() if name == "-" else Path(name).expanduser().read_bytes()
    except OSError as exc:
        raise CliError(what.format(f=name) + Text(": {e}", ": {e}").format(e=exc.strerror or exc)) from exc


def imported(action: Callable[[], C]) -> C:
    """Run an import, a refused one as a one-line error."""
    from kitstation.cloudapi.credentials import CredentialError

    try:
        return action()
    except CredentialError as exc:
        raise CliError(exc.reason) from exc


def list_stored(args: argparse.Namespace, store: CredentialStore[Any], line: Callable[[dict[str, Any]], Text]) -> int:
    rows = [c.public() for c in store.list()]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            text = line(row)
            print(text + IMPORTED_LIST_TAIL.format(e=row["expires"]) if row.get("expires") else text)
    return EXIT_OK


def remove_stored(store: CredentialStore[Any], customer: str, missing: Text) -> int:
    if not store.remove(customer):
        raise CliError(missing.format(c=customer))
    return EXIT_OK


def ask(coro: Coroutine[Any, Any, T]) -> T:
    """Run a request to the service; its refusal is a one-line error (exit 1 when worth a retry)."""
    import asyncio

    from kitstation.cloudapi.http import CloudError

    try:
        return asyncio.run(coro)
    except CloudError as exc:
        raise CliError(exc.reason, EXIT_DEVICE_FAILED if exc.transient else EXIT_USAGE) from exc
