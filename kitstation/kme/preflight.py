"""Before a batch starts: is the customer's Knox API client there and usable?

The bench runs the same offline check (:meth:`KmeHandoff.preflight`) through the core's
preflight; :func:`preflight_online` is for ``kitstation kme`` scripting and tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kitstation.core.preflight import Problem
from kitstation.kme.credentials import KmeCredentialStore
from kitstation.kme.steps import KmeHandoff

if TYPE_CHECKING:
    from kitstation.blueprints.model import Blueprint


def preflight(blueprint: Blueprint, store: KmeCredentialStore | None = None) -> list[Problem]:
    """Offline: a customer is named and has a stored, unexpired Knox API client (nothing is sent)."""
    return KmeHandoff(store).credential_problems(blueprint)


async def preflight_online(blueprint: Blueprint, store: KmeCredentialStore | None = None) -> list[Problem]:
    """Also asks Knox for a token and looks for the named KME profile."""
    handoff = KmeHandoff(store)
    try:
        return await handoff.preflight_online(blueprint)
    finally:
        await handoff.aclose()
