"""The Prepare wizard: Apple Configurator's *Prepare* flow page by page (CLOMO guide), plus Galaxy.

One module per page group (``method_pages``, ``server_pages``, ``setup_pages``,
``android_page``, ``apps_pages``, ``galaxy_page``, ``names_page``) and ``summary`` for the last page and the wizard. Each page validates what was
typed on it with the blueprint's own pydantic models and shows the reason next to the fields; the
answers become a blueprint in :mod:`kitstation.blueprints.wizard` (no Qt), written off the GUI
thread. Secrets are never written: the blueprint names them (``*_secret``) and the station asks
for their values at run time.
"""

from __future__ import annotations

from kitstation.ui.wizard.common import (
    P_ANDROID,
    P_ANDROID_APPS,
    P_GALAXY,
    P_IDENTITY,
    P_IOS_APPS,
    P_METHOD,
    P_NAMES,
    P_NETWORK,
    P_OPTIONS,
    P_ORG,
    P_SERVER,
    P_SKIP,
    P_SUMMARY,
    blueprints_dir,
    slug,
)
from kitstation.ui.wizard.summary import PrepareWizard

__all__ = [
    "P_ANDROID", "P_ANDROID_APPS", "P_GALAXY", "P_IDENTITY", "P_IOS_APPS", "P_METHOD", "P_NAMES", "P_NETWORK", "P_OPTIONS", "P_ORG", "P_SERVER", "P_SKIP", "P_SUMMARY",
    "PrepareWizard", "blueprints_dir", "slug",
]  # fmt: skip
