"""Before a batch starts: is the customer's Apple Business API account there and usable?

The bench runs the same offline check (:meth:`AbmHandoff.preflight`) through the core's
preflight; :func:`preflight_online` is for ``kitstation abm`` scripting and tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kitstation.abm.credentials import AbmCredentialStore
from kitstation.abm.steps import AbmHandoff
from kitstation.core.preflight import Problem

if TYPE_CHECKING:
    from kitstation.blueprints.model import Blueprint


def preflight(blueprint: Blueprint, store: AbmCredentialStore | None = None) -> list[Problem]:
    """Offline: a customer is named and has a stored, unexpired API account (nothing is sent)."""
    return AbmHandoff(store).credential_problems(blueprint)


async def preflight_online(blueprint: Blueprint, store: AbmCredentialStore | None = None) -> list[Problem]:
    """Also asks Apple for a token and looks for the named MDM server."""
    handoff = AbmHandoff(store)
    try:
        return await handoff.preflight_online(blueprint)
    finally:
        await handoff.aclose()
