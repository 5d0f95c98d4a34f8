"""What every wizard page shares: page ids, error display, validation helpers, the identity store.

The pages only collect answers; turning them into a blueprint is
:mod:`kitstation.blueprints.wizard` (Qt-free). Blocking calls (the certificate fetch, the
identity store's key generation) are functions here that the pages run through
:class:`kitstation.ui.ops.Op`, never on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from kitstation import paths
from kitstation.blueprints.loader import BlueprintError, problems_from
from kitstation.blueprints.wizard import field_problems, slug
from kitstation.i18n import current_language
from kitstation.ui.qt import QLabel, Qt, QWidget

P_METHOD, P_OPTIONS, P_SERVER, P_ORG, P_IDENTITY, P_SKIP, P_NETWORK, P_ANDROID, P_SUMMARY = range(9)

__all__ = [
    "P_ANDROID", "P_IDENTITY", "P_METHOD", "P_NETWORK", "P_OPTIONS", "P_ORG", "P_SERVER", "P_SKIP", "P_SUMMARY",
    "ErrorLabel", "blueprints_dir", "check", "fetch_chain", "generate_identity", "identity_exists",
    "pydantic_problems", "slug",
]  # fmt: skip


def blueprints_dir() -> Path:
    return paths.data_dir() / "blueprints"


def pydantic_problems(exc: ValidationError | BlueprintError, prefix: str = "") -> list[str]:
    """Reasons in the UI language, each under the field's label as the page shows it."""
    lang = current_language()
    problems = problems_from(exc) if isinstance(exc, ValidationError) else exc.problems
    return [t.get(lang) for t in field_problems(problems, prefix)]


def check(model: type[BaseModel], data: dict[str, Any], prefix: str = "") -> list[str]:
    """Validate one page's part of the blueprint; ``prefix`` is where that part sits in it."""
    try:
        model.model_validate(data)
    except ValidationError as exc:
        return pydantic_problems(exc, prefix)
    return []


class ErrorLabel(QLabel):
    """Red text under a page's fields: why Next does not go on (selectable, so it can be copied)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet("color:#c62828")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def show_problems(self, problems: list[str]) -> bool:
        text = "\n".join(problems)
        self.setText(text)
        self.setToolTip(text)
        return not problems


def fetch_chain(url: str) -> list[tuple[str, str]]:
    """(subject, PEM) of every certificate the server presents (blocking: run it through an Op)."""
    from kitstation.ios.certs import fetch_chain as ios_fetch_chain

    return [(c.subject, c.pem.decode("ascii")) for c in ios_fetch_chain(url)]


def identity_exists(name: str) -> bool:
    """True when the station's identity store (the iOS adapter's) holds ``name``."""
    from kitstation.ios.identities import IdentityStore

    try:
        IdentityStore().get(name)
    except Exception:  # IdentityError: not there (or unreadable: generating a new one is the fix)
        return False
    return True


def generate_identity(name: str, organization: str) -> None:
    """Configurator's "Generate a new supervision identity": a key pair kept in the station's store."""
    from kitstation.ios.identities import IdentityStore

    IdentityStore().generate(name, organization or name)
