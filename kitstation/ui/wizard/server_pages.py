"""The supervision pages: MDM server (with the certificate fetch off the GUI thread), organization, identity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kitstation.blueprints.ios import MDMServer, Organization, SupervisionIdentity
from kitstation.blueprints.wizard import IOSAnswers, server_url
from kitstation.i18n import current_language
from kitstation.ui.ops import Op
from kitstation.ui.qt import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    Qt,
    QVBoxLayout,
    QWizardPage,
    Signal,
)
from kitstation.ui.wizard.common import ErrorLabel, check, fetch_chain, identity_exists


class ServerPage(QWizardPage):
    """Name and URL of the MDM server; "Fetch certificates" lists the chain it presents to tick anchors."""

    fetched = Signal(object, str)  # the chain [(subject, pem)], the error text ("" when fetched)

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("MDM server"))
        self.setSubTitle(self.tr("The server definition: a name for you and the MDM vendor's enrollment URL."))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.tr("e.g. CLOMO MDM"))
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("https://mdm.example.com/customer/")
        form.addRow(self.tr("Name:"), self.name)
        form.addRow(self.tr("Host name or URL:"), self.url)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.fetch_button = QPushButton(self.tr("Fetch certificates"), self)
        self.fetch_button.clicked.connect(self.fetch)
        row.addWidget(self.fetch_button)
        self.fetch_status = QLabel(self)
        # The whole reason, wrapped (a clipped "[Errno -2]…" helped nobody); also in the tooltip.
        self.fetch_status.setWordWrap(True)
        self.fetch_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.fetch_status, 1)
        layout.addLayout(row)
        layout.addWidget(QLabel(self.tr("Trust anchor certificates (tick the ones the devices must trust):"), self))
        self.certs = QListWidget(self)
        layout.addWidget(self.certs, 1)
        self.errors = ErrorLabel(self)
        layout.addWidget(self.errors)

    def fetch(self) -> None:
        url = server_url(self.url.text())
        if not self.errors.show_problems(check(MDMServer, {"name": self.name.text() or "-", "url": url}, "ios.mdm_server")):
            return
        self.fetch_button.setEnabled(False)
        self.fetch_status.setText(self.tr("Fetching…"))
        Op(self, lambda: fetch_chain(url)).success(lambda chain: self._fetched(chain, "")).failure(
            lambda exc: self._fetched([], _reason(exc))
        ).run()

    def _fetched(self, chain: list[tuple[str, str]], error: str) -> None:
        self.fetch_button.setEnabled(True)
        if error:
            text = self.tr("Could not fetch the certificates: %1").replace("%1", error)
            self.fetch_status.setText(text)
            self.fetch_status.setToolTip(text)
        else:
            self.fetch_status.setText(self.tr("%1 certificates").replace("%1", str(len(chain))))
            self.fetch_status.setToolTip("")
            self.set_chain(chain)
        self.fetched.emit(chain, error)

    def set_chain(self, chain: list[tuple[str, str]]) -> None:
        self.certs.clear()
        for subject, pem in chain:
            item = QListWidgetItem(subject, self.certs)
            item.setData(Qt.ItemDataRole.UserRole, pem)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)

    def chosen(self) -> list[str]:
        out: list[str] = []
        for i in range(self.certs.count()):
            item = self.certs.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def data(self) -> dict[str, Any]:
        return {"name": self.name.text().strip(), "url": server_url(self.url.text())}

    def fill(self, a: IOSAnswers) -> None:
        a.server_name = self.name.text().strip()
        a.server_url = self.url.text().strip()
        a.anchors = self.chosen()

    def validatePage(self) -> bool:
        return self.errors.show_problems(check(MDMServer, self.data(), "ios.mdm_server"))


def _reason(exc: BaseException) -> str:
    """A failure's full text in the UI language (the adapter's bilingual reason when it has one)."""
    reason = getattr(exc, "reason", None)
    if reason is not None and hasattr(reason, "get"):
        return str(reason.get(current_language()))
    return str(exc) or type(exc).__name__


class OrgPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Organization"))
        self.setSubTitle(self.tr("Shown on the device as the organization that manages it."))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        for key, label in (
            ("name", self.tr("Name:")),
            ("department", self.tr("Department:")),
            ("phone", self.tr("Phone:")),
            ("email", self.tr("Email:")),
            ("address", self.tr("Address:")),
        ):
            e = QLineEdit(self)
            self.fields[key] = e
            form.addRow(label, e)
        layout.addLayout(form)
        self.errors = ErrorLabel(self)
        layout.addWidget(self.errors)
        layout.addStretch(1)

    def data(self) -> dict[str, Any]:
        return {k: e.text().strip() for k, e in self.fields.items() if e.text().strip() or k == "name"}

    def fill(self, a: IOSAnswers) -> None:
        a.organization = self.data()

    def validatePage(self) -> bool:
        return self.errors.show_problems(check(Organization, self.data(), "ios.organization"))


class IdentityPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Supervision identity"))
        self.setSubTitle(self.tr("Generate a new supervision identity or choose an existing one."))
        layout = QVBoxLayout(self)
        self.generate = QRadioButton(self.tr("Generate a new supervision identity (kept in the station's store)"), self)
        self.existing = QRadioButton(self.tr("Choose an existing supervision identity (.p12 file)"), self)
        self.generate.setChecked(True)
        layout.addWidget(self.generate)
        form = QFormLayout()
        self.identity_name = QLineEdit(self)
        self.identity_name.setPlaceholderText(self.tr("e.g. acme-supervision"))
        form.addRow(self.tr("Identity name:"), self.identity_name)
        layout.addLayout(form)
        self.store_note = QLabel(self)
        self.store_note.setWordWrap(True)
        layout.addWidget(self.store_note)
        self.identity_name.textChanged.connect(self._store_state)
        layout.addWidget(self.existing)
        row = QHBoxLayout()
        self.file = QLineEdit(self)
        row.addWidget(self.file, 1)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        row.addWidget(browse)
        layout.addLayout(row)
        form2 = QFormLayout()
        self.secret = QLineEdit("supervision_passphrase", self)
        form2.addRow(self.tr("Passphrase secret name:"), self.secret)
        layout.addLayout(form2)
        note = QLabel(
            self.tr("The passphrase is never saved: the station asks for it when the batch starts."), self
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.errors = ErrorLabel(self)
        layout.addWidget(self.errors)
        layout.addStretch(1)
        self.generate.toggled.connect(self._sync)
        self._sync()

    def _store_state(self, name: str) -> None:
        if not name.strip():
            self.store_note.setText("")
        elif identity_exists(name.strip()):
            self.store_note.setText(self.tr("This identity is in the station's store: it will be used."))
        else:
            self.store_note.setText(self.tr("A new identity with this name is generated when the blueprint is saved."))

    def _sync(self) -> None:
        gen = self.generate.isChecked()
        self.identity_name.setEnabled(gen)
        self.file.setEnabled(not gen)
        self.secret.setEnabled(not gen)

    def _browse(self) -> None:
        dlg = QFileDialog(self, self.tr("Supervision identity"), "", "*.p12 *.pfx *.pem")
        dlg.fileSelected.connect(self.file.setText)
        dlg.open()

    def data(self) -> dict[str, Any]:
        if self.generate.isChecked():
            return {"name": self.identity_name.text().strip() or None}
        d: dict[str, Any] = {"file": self.file.text().strip() or None}
        if self.secret.text().strip():
            d["passphrase_secret"] = self.secret.text().strip()
        return d

    def fill(self, a: IOSAnswers) -> None:
        d = self.data()
        a.identity_name = d.get("name") or ""
        a.identity_file = d.get("file") or ""
        a.passphrase_secret = d.get("passphrase_secret") or ""

    def validatePage(self) -> bool:
        data = self.data()
        problems = check(SupervisionIdentity, data)
        if problems:
            problems = [self.tr("Give an identity name or choose a file")]
        elif data.get("file") and not Path(data["file"]).is_file():
            problems = [self.tr("Supervision identity: file not found")]
        return self.errors.show_problems(problems)


