"""The Prepare wizard: Apple Configurator's *Prepare* flow page by page (CLOMO guide), plus Galaxy.

Each page validates what was typed on it with the blueprint's own pydantic models and shows the
reason next to the fields; the last page writes the blueprint TOML with
:func:`kitstation.blueprints.loader.save_blueprint` (the file ``kitstation blueprint validate``
accepts). Secrets are never written: the blueprint names them (``*_secret``) and the station asks
for their values at run time.
"""

from __future__ import annotations

import re
import ssl
import threading
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from kitstation import paths
from kitstation.blueprints.android import AgentApk, KmeProfile
from kitstation.blueprints.ios import MDMServer, Organization, SupervisionIdentity, Wifi
from kitstation.blueprints.loader import BlueprintError, dumps_blueprint, save_blueprint, validate_data
from kitstation.blueprints.model import Blueprint
from kitstation.i18n import current_language
from kitstation.ui.qt import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QImage,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QObject,
    QPixmap,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    Qt,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
    Signal,
)
from kitstation.ui.skipkeys import panes

P_METHOD, P_OPTIONS, P_SERVER, P_ORG, P_IDENTITY, P_SKIP, P_NETWORK, P_ANDROID, P_SUMMARY = range(9)


def blueprints_dir() -> Path:
    return paths.data_dir() / "blueprints"


def slug(name: str) -> str:
    s = re.sub(r"[^\w.-]+", "-", name.strip(), flags=re.UNICODE).strip("-").lower()
    return s or "blueprint"


def pydantic_problems(exc: ValidationError | BlueprintError) -> list[str]:
    """Field-level reasons in the UI language (through the loader's bilingual messages)."""
    from kitstation.blueprints.loader import problems_from  # one source of messages

    lang = current_language()
    problems = problems_from(exc) if isinstance(exc, ValidationError) else exc.problems
    return [f"{loc or '—'}: {msg.get(lang)}" for loc, msg in problems]


def check(model: type[BaseModel], data: dict[str, Any]) -> list[str]:
    try:
        model.model_validate(data)
    except ValidationError as exc:
        return pydantic_problems(exc)
    return []


class ErrorLabel(QLabel):
    """Red text under a page's fields: why Next does not go on."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet("color:#c62828")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def show_problems(self, problems: list[str]) -> bool:
        self.setText("\n".join(problems))
        return not problems


class ChainFetcher(QObject):
    """Fetches a server's certificate chain on a worker thread; ``finished`` arrives on the GUI thread."""

    finished = Signal(object, str)  # list of (subject, pem) , error text

    def fetch(self, url: str) -> None:
        threading.Thread(target=self._run, args=(url,), daemon=True, name="fetch-chain").start()

    def _run(self, url: str) -> None:
        try:
            chain = fetch_chain(url)
        except Exception as exc:  # any network failure is shown on the page, not raised
            reason = getattr(exc, "reason", None)
            text = reason.get(current_language()) if reason is not None else str(exc) or type(exc).__name__
            self.finished.emit([], text)
            return
        self.finished.emit(chain, "")


def fetch_chain(url: str) -> list[tuple[str, str]]:
    """(subject, PEM) of every certificate the server presents (blocking: call it off the GUI thread)."""
    try:
        from kitstation.ios.certs import fetch_chain as ios_fetch_chain
    except ImportError:  # an installation without the iOS adapter: the leaf certificate only
        pass
    else:
        return [(c.subject, c.pem.decode("ascii")) for c in ios_fetch_chain(url)]
    m = re.match(r"https?://([^/:]+)(?::(\d+))?", url)
    if not m:
        raise ValueError(url)
    host, port = m.group(1), int(m.group(2) or 443)
    pem = ssl.get_server_certificate((host, port), timeout=10)
    from cryptography import x509

    cert = x509.load_pem_x509_certificate(pem.encode())
    return [(cert.subject.rfc4514_string(), pem)]


def identity_exists(name: str) -> bool:
    """True when the station's identity store (the iOS adapter's) holds ``name``."""
    try:
        from kitstation.ios.identities import IdentityStore
    except ImportError:
        return False
    try:
        IdentityStore().get(name)
    except Exception:  # IdentityError: not there (or unreadable: generating a new one is the fix)
        return False
    return True


def generate_identity(name: str, organization: str) -> None:
    """Configurator's "Generate a new supervision identity": a key pair kept in the station's store."""
    try:
        from kitstation.ios.identities import IdentityStore
    except ImportError:
        return
    IdentityStore().generate(name, organization or name)


class MethodPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Preparation method"))
        self.setSubTitle(self.tr("Choose the platforms and how the devices come under MDM."))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.tr("e.g. CLOMO batch for ACME"))
        form.addRow(self.tr("Blueprint name:"), self.name)
        self.customer = QLineEdit(self)
        form.addRow(self.tr("Customer:"), self.customer)
        self.order_ref = QLineEdit(self)
        form.addRow(self.tr("Order reference:"), self.order_ref)
        layout.addLayout(form)
        self.ios = QCheckBox(self.tr("iPhone / iPad"), self)
        self.ios.setChecked(True)
        self.android = QCheckBox(self.tr("Samsung Galaxy (Android)"), self)
        layout.addWidget(self.ios)
        layout.addWidget(self.android)
        self.group = QButtonGroup(self)
        self.methods: dict[str, QRadioButton] = {}
        for key, text in (
            ("manual_dep", self.tr("Manual configuration: make the device DEP (Add to DEP, supervise)")),
            ("dep", self.tr("Already a DEP device: check and record its cloud configuration")),
            ("supervise", self.tr("Supervise only (not DEP); the device enrolls via Remote Management")),
            ("direct_profile", self.tr("Direct MDM profile install (unsupervised; user confirms)")),
        ):
            rb = QRadioButton(text, self)
            self.group.addButton(rb)
            self.methods[key] = rb
            layout.addWidget(rb)
        self.methods["manual_dep"].setChecked(True)
        self.ios.toggled.connect(self._ios_toggled)
        self.errors = ErrorLabel(self)
        layout.addWidget(self.errors)
        layout.addStretch(1)

    def _ios_toggled(self, on: bool) -> None:
        for b in self.methods.values():
            b.setEnabled(on)

    def method(self) -> str:
        return next(k for k, b in self.methods.items() if b.isChecked())

    def validatePage(self) -> bool:
        problems = []
        if not self.name.text().strip():
            problems.append(self.tr("Blueprint name: must not be empty"))
        if not (self.ios.isChecked() or self.android.isChecked()):
            problems.append(self.tr("Choose at least one platform"))
        return self.errors.show_problems(problems)

    def nextId(self) -> int:
        if self.ios.isChecked():
            return P_OPTIONS
        return P_ANDROID


class OptionsPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Prepare options"))
        self.setSubTitle(self.tr("As in Apple Configurator's Prepare. Prepare erases the device."))
        layout = QVBoxLayout(self)
        self.add_to_dep = QCheckBox(self.tr("Add to Device Enrollment Program (DEP)"), self)
        self.activate = QCheckBox(self.tr("Activate and complete enrollment"), self)
        self.supervise = QCheckBox(self.tr("Supervise devices"), self)
        self.allow_pairing = QCheckBox(self.tr("Allow devices to pair with other computers"), self)
        self.shared_ipad = QCheckBox(self.tr("Enable Shared iPad"), self)
        self.erase = QCheckBox(self.tr("Erase the device first"), self)
        for w in (self.add_to_dep, self.activate, self.supervise, self.allow_pairing, self.shared_ipad, self.erase):
            layout.addWidget(w)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("MDM enrollment profile (.mobileconfig):"), self))
        self.enrollment_profile = QLineEdit(self)
        row.addWidget(self.enrollment_profile, 1)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        row.addWidget(browse)
        layout.addLayout(row)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.errors = ErrorLabel(self)
        layout.addWidget(self.errors)
        layout.addStretch(1)

    def _browse(self) -> None:
        dlg = QFileDialog(self, self.tr("MDM enrollment profile"), "", "*.mobileconfig")
        dlg.fileSelected.connect(self.enrollment_profile.setText)
        dlg.open()

    def initializePage(self) -> None:
        method = self.wizard().page(P_METHOD).method()  # type: ignore[attr-defined]
        dep = method == "manual_dep"
        self.add_to_dep.setChecked(dep)
        self.supervise.setChecked(method in ("manual_dep", "supervise"))
        self.allow_pairing.setChecked(True)
        self.activate.setChecked(False)
        self.shared_ipad.setChecked(False)
        self.erase.setChecked(method != "direct_profile" and method != "dep")
        self.enrollment_profile.setEnabled(method == "direct_profile")
        notes = {
            "manual_dep": self.tr(
                "The station does the device side exactly as Configurator does. Assigning the serial to your MDM "
                "server in Apple Business Manager is done there afterwards: the device is recorded as awaiting ABM "
                "assignment."
            ),
            "dep": self.tr("Nothing is written to the device: the station reads and records its cloud configuration."),
            "supervise": self.tr("On the device, the Remote Management pane then applies the configuration."),
            "direct_profile": self.tr("The user confirms the profile installation on the device."),
        }
        self.note.setText(notes[method])

    def data(self, method: str) -> dict[str, Any]:
        d: dict[str, Any] = {
            "method": method,
            "erase": self.erase.isChecked(),
            "add_to_dep": self.add_to_dep.isChecked(),
            "activate_and_complete_enrollment": self.activate.isChecked(),
            "supervise": self.supervise.isChecked(),
            "allow_pairing": self.allow_pairing.isChecked(),
            "shared_ipad": self.shared_ipad.isChecked(),
        }
        if method == "direct_profile" and self.enrollment_profile.text().strip():
            d["enrollment_profile"] = self.enrollment_profile.text().strip()
        return d

    def validatePage(self) -> bool:
        method = self.wizard().page(P_METHOD).method()  # type: ignore[attr-defined]
        problems = []
        if method == "manual_dep" and not self.add_to_dep.isChecked():
            problems.append(self.tr("Manual configuration needs “Add to Device Enrollment Program”"))
        if method == "manual_dep" and not self.supervise.isChecked():
            problems.append(self.tr("Manual configuration needs “Supervise devices”"))
        if method == "direct_profile":
            p = self.enrollment_profile.text().strip()
            if not p:
                problems.append(self.tr("Direct MDM profile install needs the enrollment profile file"))
            elif not Path(p).is_file():
                problems.append(self.tr("Enrollment profile: file not found"))
        return self.errors.show_problems(problems)

    def nextId(self) -> int:
        method = self.wizard().page(P_METHOD).method()  # type: ignore[attr-defined]
        if method in ("manual_dep", "supervise"):
            return P_SERVER
        if method == "direct_profile":
            return P_NETWORK
        return P_ANDROID if self.wizard().page(P_METHOD).android.isChecked() else P_SUMMARY  # type: ignore[attr-defined]


class ServerPage(QWizardPage):
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
        row.addWidget(self.fetch_status, 1)
        layout.addLayout(row)
        layout.addWidget(QLabel(self.tr("Trust anchor certificates (tick the ones the devices must trust):"), self))
        self.certs = QListWidget(self)
        layout.addWidget(self.certs, 1)
        self.errors = ErrorLabel(self)
        layout.addWidget(self.errors)
        self.fetcher = ChainFetcher(self)
        self.fetcher.finished.connect(self._fetched)

    def fetch(self) -> None:
        url = self.url.text().strip()
        if not self.errors.show_problems(check(MDMServer, {"name": self.name.text() or "-", "url": url})):
            return
        self.fetch_button.setEnabled(False)
        self.fetch_status.setText(self.tr("Fetching…"))
        self.fetcher.fetch(url)

    def _fetched(self, chain: list[tuple[str, str]], error: str) -> None:
        self.fetch_button.setEnabled(True)
        if error:
            self.fetch_status.setText(self.tr("Could not fetch the certificates: %1").replace("%1", error))
            return
        self.fetch_status.setText(self.tr("%1 certificates").replace("%1", str(len(chain))))
        self.set_chain(chain)

    def set_chain(self, chain: list[tuple[str, str]]) -> None:
        self.certs.clear()
        for subject, pem in chain:
            item = QListWidgetItem(subject, self.certs)
            item.setData(Qt.ItemDataRole.UserRole, pem)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)

    def chosen(self) -> list[str]:
        out = []
        for i in range(self.certs.count()):
            item = self.certs.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def data(self) -> dict[str, Any]:
        return {"name": self.name.text().strip(), "url": self.url.text().strip()}

    def validatePage(self) -> bool:
        return self.errors.show_problems(check(MDMServer, self.data()))


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

    def validatePage(self) -> bool:
        return self.errors.show_problems(check(Organization, self.data()))


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

    def validatePage(self) -> bool:
        data = self.data()
        problems = check(SupervisionIdentity, data)
        if problems:
            problems = [self.tr("Give an identity name or choose a file")]
        elif data.get("file") and not Path(data["file"]).is_file():
            problems = [self.tr("Supervision identity: file not found")]
        return self.errors.show_problems(problems)


class SkipPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Setup Assistant"))
        self.setSubTitle(self.tr("Untick the panes the user should see; ticked panes are skipped."))
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        show_all = QPushButton(self.tr("Show all"), self)
        skip_all = QPushButton(self.tr("Skip all"), self)
        show_all.clicked.connect(lambda: self.set_all(False))
        skip_all.clicked.connect(lambda: self.set_all(True))
        row.addWidget(show_all)
        row.addWidget(skip_all)
        row.addStretch(1)
        layout.addLayout(row)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels([self.tr("Pane"), self.tr("Key"), self.tr("iOS")])
        self.tree.setRootIsDecorated(False)
        lang = current_language()
        for pane in panes():
            item = QTreeWidgetItem(self.tree, [pane.ja if lang == "ja" else pane.en, pane.key,
                                               f"{pane.ios}+" if pane.ios else ""])
            item.setData(0, Qt.ItemDataRole.UserRole, pane.key)
            item.setToolTip(0, f"{pane.en} / {pane.ja}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked)
        self.tree.resizeColumnToContents(0)
        layout.addWidget(self.tree, 1)

    def items(self) -> list[QTreeWidgetItem]:
        return [it for i in range(self.tree.topLevelItemCount()) if (it := self.tree.topLevelItem(i)) is not None]

    def set_all(self, skip: bool) -> None:
        state = Qt.CheckState.Checked if skip else Qt.CheckState.Unchecked
        for item in self.items():
            item.setCheckState(0, state)

    def skipped(self) -> list[str]:
        out = []
        for item in self.items():
            if item.checkState(0) == Qt.CheckState.Checked:
                out.append(str(item.data(0, Qt.ItemDataRole.UserRole)))
        return out


class NetworkPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Network profile"))
        self.setSubTitle(self.tr("The Wi-Fi the devices join during setup."))
        layout = QVBoxLayout(self)
        self.none = QRadioButton(self.tr("No network profile"), self)
        self.wifi = QRadioButton(self.tr("Wi-Fi network:"), self)
        self.imported = QRadioButton(self.tr("Import a network profile (.mobileconfig):"), self)
        self.none.setChecked(True)
        layout.addWidget(self.none)
        layout.addWidget(self.wifi)
        form = QFormLayout()
        self.ssid = QLineEdit(self)
        self.security = QComboBox(self)
        self.security.addItems(["WPA2", "WPA3", "WPA", "WEP", "Any", "None"])
        self.secret = QLineEdit("wifi_password", self)
        self.hidden = QCheckBox(self.tr("Hidden network"), self)
        self.auto_join = QCheckBox(self.tr("Join automatically"), self)
        self.auto_join.setChecked(True)
        form.addRow(self.tr("Network name (SSID):"), self.ssid)
        form.addRow(self.tr("Security:"), self.security)
        form.addRow(self.tr("Password secret name:"), self.secret)
        form.addRow("", self.hidden)
        form.addRow("", self.auto_join)
        layout.addLayout(form)
        note = QLabel(self.tr("The Wi-Fi password is not written into the blueprint: it is asked for when the batch "
                              "starts and kept only in memory."), self)
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.imported)
        row = QHBoxLayout()
        self.profile = QLineEdit(self)
        row.addWidget(self.profile, 1)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        row.addWidget(browse)
        layout.addLayout(row)
        self.errors = ErrorLabel(self)
        layout.addWidget(self.errors)
        layout.addStretch(1)

    def _browse(self) -> None:
        dlg = QFileDialog(self, self.tr("Network profile"), "", "*.mobileconfig")
        dlg.fileSelected.connect(self.profile.setText)
        dlg.open()

    def data(self) -> dict[str, Any]:
        if self.wifi.isChecked():
            w: dict[str, Any] = {
                "ssid": self.ssid.text(),
                "security": self.security.currentText(),
                "hidden": self.hidden.isChecked(),
                "auto_join": self.auto_join.isChecked(),
            }
            if self.secret.text().strip() and self.security.currentText() != "None":
                w["password_secret"] = self.secret.text().strip()
            return {"wifi": w}
        if self.imported.isChecked():
            return {"wifi_profile": self.profile.text().strip()}
        return {}

    def validatePage(self) -> bool:
        d = self.data()
        if "wifi" in d:
            return self.errors.show_problems(check(Wifi, d["wifi"]))
        if "wifi_profile" in d and not Path(d["wifi_profile"]).is_file():
            return self.errors.show_problems([self.tr("Network profile: file not found")])
        return self.errors.show_problems([])

    def nextId(self) -> int:
        return P_ANDROID if self.wizard().page(P_METHOD).android.isChecked() else P_SUMMARY  # type: ignore[attr-defined]


class AndroidPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Samsung Galaxy"))
        self.setSubTitle(self.tr("Device Owner over USB, a Knox Mobile Enrollment profile, or a QR code."))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.method = QComboBox(self)
        self.method.addItem(self.tr("Device Owner over USB (adb)"), "device_owner")
        self.method.addItem(self.tr("Knox Mobile Enrollment (KME)"), "kme")
        self.method.addItem(self.tr("QR code at the welcome screen"), "qr")
        form.addRow(self.tr("Method:"), self.method)
        self.apk_url = QLineEdit(self)
        self.apk_url.setPlaceholderText("https://mdm.example.com/agent.apk")
        self.apk_file = QLineEdit(self)
        self.package = QLineEdit(self)
        self.package.setPlaceholderText("com.example.agent")
        self.receiver = QLineEdit(self)
        self.receiver.setPlaceholderText("com.example.agent/.AdminReceiver")
        self.sha256 = QLineEdit(self)
        form.addRow(self.tr("Agent APK URL:"), self.apk_url)
        file_row = QHBoxLayout()
        file_row.addWidget(self.apk_file, 1)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        file_row.addWidget(browse)
        form.addRow(self.tr("or agent APK file:"), file_row)
        form.addRow(self.tr("Agent package:"), self.package)
        form.addRow(self.tr("Admin receiver:"), self.receiver)
        form.addRow(self.tr("APK SHA-256 (optional):"), self.sha256)
        self.profile_name = QLineEdit(self)
        self.company = QLineEdit(self)
        self.custom_json = QLineEdit(self)
        form.addRow(self.tr("KME profile name:"), self.profile_name)
        form.addRow(self.tr("Company name:"), self.company)
        form.addRow(self.tr("Custom JSON:"), self.custom_json)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.preview_button = QPushButton(self.tr("Preview QR code"), self)
        self.preview_button.clicked.connect(self.preview)
        row.addWidget(self.preview_button)
        self.qr = QLabel(self)
        self.qr.setMinimumSize(160, 160)
        row.addWidget(self.qr)
        row.addStretch(1)
        layout.addLayout(row)
        self.errors = ErrorLabel(self)
        layout.addWidget(self.errors)
        self.method.currentIndexChanged.connect(self._sync)
        self._sync()

    def _browse(self) -> None:
        dlg = QFileDialog(self, self.tr("Agent APK"), "", "*.apk")
        dlg.fileSelected.connect(self.apk_file.setText)
        dlg.open()

    def _sync(self) -> None:
        kme = self.method.currentData() == "kme"
        self.profile_name.setEnabled(kme)
        self.company.setEnabled(kme)
        self.custom_json.setEnabled(kme)
        self.preview_button.setEnabled(self.method.currentData() == "qr")

    def data(self) -> dict[str, Any]:
        method = str(self.method.currentData())
        d: dict[str, Any] = {"method": method}
        if self.package.text().strip() or method != "kme":
            agent: dict[str, Any] = {"package": self.package.text().strip(), "admin_receiver": self.receiver.text().strip()}
            for key, w in (("url", self.apk_url), ("file", self.apk_file), ("sha256", self.sha256)):
                if w.text().strip():
                    agent[key] = w.text().strip()
            d["agent"] = agent
        if method == "kme":
            kme: dict[str, Any] = {"profile_name": self.profile_name.text().strip(),
                                   "agent_apk_url": self.apk_url.text().strip(),
                                   "company_name": self.company.text().strip(),
                                   "custom_json": self.custom_json.text()}
            d["kme"] = kme
        if method == "qr":
            d["qr"] = {}
        return d

    def problems(self) -> list[str]:
        d = self.data()
        out: list[str] = []
        if "agent" in d:
            out += [f"agent.{p}" for p in check(AgentApk, d["agent"])]
            f = d["agent"].get("file")
            if f and not Path(f).is_file():
                out.append(self.tr("Agent APK: file not found"))
        if "kme" in d:
            out += [f"kme.{p}" for p in check(KmeProfile, d["kme"])]
        if not out:
            try:
                validate_data({"name": "probe", "android": d})
            except BlueprintError as exc:
                out += pydantic_problems(exc)
        return out

    def preview(self) -> None:
        problems = self.problems()
        if not self.errors.show_problems(problems):
            return
        try:
            from kitstation.android.qr import build_payload, render

            bp = validate_data({"name": "preview", "android": self.data()})
            apk = None
            f = self.apk_file.text().strip()
            if f:
                apk = Path(f).read_bytes()
            code = render(build_payload(bp, apk=apk))
        except Exception as exc:  # the payload helper explains what is missing
            problems_attr = getattr(exc, "problems", None)
            lang = current_language()
            msgs = [p.get(lang) for p in problems_attr] if isinstance(problems_attr, list) else [str(exc)]
            self.errors.show_problems([str(m) for m in msgs])
            return
        n = len(code.matrix)
        scale = max(2, 160 // (n + 8))
        img = QImage((n + 8) * scale, (n + 8) * scale, QImage.Format.Format_RGB32)
        img.fill(0xFFFFFF)
        for r, row in enumerate(code.matrix):
            for c, dark in enumerate(row):
                if dark:
                    for dy in range(scale):
                        for dx in range(scale):
                            img.setPixel((c + 4) * scale + dx, (r + 4) * scale + dy, 0x000000)
        self.qr.setPixmap(QPixmap.fromImage(img))

    def validatePage(self) -> bool:
        return self.errors.show_problems(self.problems())


class SummaryPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Summary"))
        self.setSubTitle(self.tr("Check the blueprint, then save it."))
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Save as:"), self))
        self.path = QLineEdit(self)
        row.addWidget(self.path, 1)
        layout.addLayout(row)
        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        layout.addWidget(self.preview, 1)
        self.errors = ErrorLabel(self)
        layout.addWidget(self.errors)

    def initializePage(self) -> None:
        wiz = self.wizard()
        assert isinstance(wiz, PrepareWizard)
        name = wiz.method_page.name.text().strip()
        if not self.path.text():
            self.path.setText(str(blueprints_dir() / f"{slug(name)}.toml"))
        try:
            bp = wiz.build(Path(self.path.text()), write_files=False)
        except BlueprintError as exc:
            self.errors.show_problems(pydantic_problems(exc))
            self.preview.setPlainText("")
            return
        self.errors.show_problems([])
        self.preview.setPlainText(dumps_blueprint(bp))

    def validatePage(self) -> bool:
        wiz = self.wizard()
        assert isinstance(wiz, PrepareWizard)
        target = Path(self.path.text().strip())
        if not self.path.text().strip() or target.suffix.lower() != ".toml":
            return self.errors.show_problems([self.tr("Save as: give a file name ending in .toml")])
        try:
            bp = wiz.build(target, write_files=True)
            save_blueprint(bp, target)
        except BlueprintError as exc:
            return self.errors.show_problems(pydantic_problems(exc))
        except OSError as exc:
            return self.errors.show_problems([self.tr("Cannot write the file: %1").replace("%1", str(exc))])
        wiz.saved_path = target
        wiz.saved.emit(str(target))
        return True


class PrepareWizard(QWizard):
    """The pages in Configurator's order; ``saved(path)`` when the blueprint was written."""

    saved = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Prepare — new blueprint"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.resize(860, 640)
        self.saved_path: Path | None = None
        self.method_page = MethodPage()
        self.options_page = OptionsPage()
        self.server_page = ServerPage()
        self.org_page = OrgPage()
        self.identity_page = IdentityPage()
        self.skip_page = SkipPage()
        self.network_page = NetworkPage()
        self.android_page = AndroidPage()
        self.summary_page = SummaryPage()
        for pid, page in (
            (P_METHOD, self.method_page),
            (P_OPTIONS, self.options_page),
            (P_SERVER, self.server_page),
            (P_ORG, self.org_page),
            (P_IDENTITY, self.identity_page),
            (P_SKIP, self.skip_page),
            (P_NETWORK, self.network_page),
            (P_ANDROID, self.android_page),
            (P_SUMMARY, self.summary_page),
        ):
            self.setPage(pid, page)
        self.setStartId(P_METHOD)

    def build(self, target: Path, write_files: bool) -> Blueprint:
        """The blueprint from every visited page (validated; raises BlueprintError)."""
        m = self.method_page
        data: dict[str, Any] = {"name": m.name.text().strip()}
        if m.customer.text().strip() or m.order_ref.text().strip():
            data["customer"] = {"name": m.customer.text().strip(), "order_ref": m.order_ref.text().strip()}
        if m.ios.isChecked():
            method = m.method()
            ios = self.options_page.data(method)
            if method in ("manual_dep", "supervise"):
                server = self.server_page.data()
                anchors = self.server_page.chosen()
                if anchors:
                    folder = target.with_suffix("").name + "-anchors"
                    names = [f"{folder}/anchor-{i + 1}.pem" for i in range(len(anchors))]
                    if write_files:
                        for rel, pem in zip(names, anchors, strict=True):
                            p = target.parent / rel
                            p.parent.mkdir(parents=True, exist_ok=True)
                            p.write_text(pem, encoding="ascii")
                    server["anchor_certificates"] = names
                ios["mdm_server"] = server
                ios["organization"] = self.org_page.data()
                ios["supervision_identity"] = {k: v for k, v in self.identity_page.data().items() if v is not None}
                name = ios["supervision_identity"].get("name")
                if write_files and name and self.identity_page.generate.isChecked() and not identity_exists(name):
                    generate_identity(name, ios["organization"].get("name", ""))
                skipped = self.skip_page.skipped()
                ios["skip_setup"] = "all" if len(skipped) == self.skip_page.tree.topLevelItemCount() else skipped
            if method in ("manual_dep", "supervise", "direct_profile"):
                ios.update(self.network_page.data())
            data["ios"] = ios
        if m.android.isChecked():
            data["android"] = self.android_page.data()
        return validate_data(data, str(target), target.resolve())
