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
from kitstation.blueprints.wizard import Battery, field_problems, slug
from kitstation.i18n import current_language
from kitstation.ui.qt import QCheckBox, QFormLayout, QGroupBox, QLabel, QSpinBox, Qt, QWidget

# In the order a both-platform blueprint visits them (QWizard's default next page is the next id).
(P_METHOD, P_OPTIONS, P_SERVER, P_ORG, P_IDENTITY, P_SKIP, P_NETWORK, P_IOS_APPS, P_ANDROID, P_GALAXY,
 P_ANDROID_APPS, P_NAMES, P_SUMMARY) = range(13)

__all__ = [
    "P_ANDROID", "P_ANDROID_APPS", "P_GALAXY", "P_IDENTITY", "P_IOS_APPS", "P_METHOD", "P_NAMES", "P_NETWORK",
    "P_OPTIONS", "P_ORG", "P_SERVER", "P_SKIP", "P_SUMMARY", "BatteryBox", "ErrorLabel", "blueprints_dir", "check", "fetch_chain", "generate_identity", "identity_exists",
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


class BatteryBox(QGroupBox):
    """The battery gate: the run waits on the cable until the charge reaches the minimum (or gives up)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Battery"))
        form = QFormLayout(self)
        self.enabled = QCheckBox(self.tr("Wait until the battery is charged enough before preparing"), self)
        self.percent = QSpinBox(self)
        self.percent.setRange(1, 100)
        self.percent.setValue(50)
        self.percent.setSuffix(" %")
        self.minutes = QSpinBox(self)
        self.minutes.setRange(1, 1440)
        self.minutes.setValue(120)
        self.minutes.setSuffix(self.tr(" min"))
        form.addRow(self.enabled)
        form.addRow(self.tr("Minimum charge:"), self.percent)
        form.addRow(self.tr("Wait at most:"), self.minutes)
        self.enabled.toggled.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        self.percent.setEnabled(self.enabled.isChecked())
        self.minutes.setEnabled(self.enabled.isChecked())

    def answers(self) -> Battery:
        return Battery(self.percent.value() if self.enabled.isChecked() else None, self.minutes.value())

    def load(self, b: Battery) -> None:
        self.enabled.setChecked(b.min_percent is not None)
        if b.min_percent is not None:
            self.percent.setValue(b.min_percent)
        self.minutes.setValue(b.wait_minutes)


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
