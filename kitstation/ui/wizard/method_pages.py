"""The wizard's first pages: the preparation method and Configurator's Prepare options."""

from __future__ import annotations

from pathlib import Path

from kitstation.blueprints.wizard import IOSAnswers, IOSMethodName
from kitstation.ui.qt import (
    QButtonGroup,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWizardPage,
)
from kitstation.ui.wizard.common import P_ANDROID, P_METHOD, P_NAMES, P_NETWORK, P_OPTIONS, P_SERVER, ErrorLabel


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

    def method(self) -> IOSMethodName:
        key = next(k for k, b in self.methods.items() if b.isChecked())
        return key  # type: ignore[return-value]  # the keys above are exactly IOSMethodName's

    def validatePage(self) -> bool:
        problems: list[str] = []
        if not self.name.text().strip():
            problems.append(self.tr("Blueprint name: must not be empty"))
        if not (self.ios.isChecked() or self.android.isChecked()):
            problems.append(self.tr("Choose at least one platform"))
        return self.errors.show_problems(problems)

    def nextId(self) -> int:
        if self.ios.isChecked():
            return P_OPTIONS
        return P_ANDROID


def method_page(page: QWizardPage) -> MethodPage:
    """The wizard's first page, whose answers decide where the later pages lead."""
    first = page.wizard().page(P_METHOD)
    assert isinstance(first, MethodPage)
    return first


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
        self.preset: IOSAnswers | None = None  # set by the wizard when editing a saved blueprint

    def _browse(self) -> None:
        dlg = QFileDialog(self, self.tr("MDM enrollment profile"), "", "*.mobileconfig")
        dlg.fileSelected.connect(self.enrollment_profile.setText)
        dlg.open()

    def initializePage(self) -> None:
        method = method_page(self).method()
        preset, self.preset = self.preset, None
        if preset is not None and preset.method == method:  # editing a saved blueprint: its options, once
            for box, on in ((self.add_to_dep, preset.add_to_dep), (self.supervise, preset.supervise),
                            (self.allow_pairing, preset.allow_pairing), (self.shared_ipad, preset.shared_ipad),
                            (self.activate, preset.activate_and_complete_enrollment), (self.erase, preset.erase)):
                box.setChecked(on)
            self.enrollment_profile.setText(preset.enrollment_profile)
            self.enrollment_profile.setEnabled(method == "direct_profile")
            self.note.setText(self._notes()[method])
            return
        dep = method == "manual_dep"
        self.add_to_dep.setChecked(dep)
        self.supervise.setChecked(method in ("manual_dep", "supervise"))
        self.allow_pairing.setChecked(True)
        self.activate.setChecked(False)
        self.shared_ipad.setChecked(False)
        self.erase.setChecked(method != "direct_profile" and method != "dep")
        self.enrollment_profile.setEnabled(method == "direct_profile")
        self.note.setText(self._notes()[method])

    def _notes(self) -> dict[str, str]:
        return {
            "manual_dep": self.tr(
                "The station does the device side exactly as Configurator does. Assigning the serial to your MDM "
                "server in Apple Business Manager is done there afterwards: the device is recorded as awaiting ABM "
                "assignment."
            ),
            "dep": self.tr("Nothing is written to the device: the station reads and records its cloud configuration."),
            "supervise": self.tr("On the device, the Remote Management pane then applies the configuration."),
            "direct_profile": self.tr("The user confirms the profile installation on the device."),
        }

    def fill(self, a: IOSAnswers) -> None:
        """Copy the ticked options into the answers."""
        a.erase = self.erase.isChecked()
        a.add_to_dep = self.add_to_dep.isChecked()
        a.activate_and_complete_enrollment = self.activate.isChecked()
        a.supervise = self.supervise.isChecked()
        a.allow_pairing = self.allow_pairing.isChecked()
        a.shared_ipad = self.shared_ipad.isChecked()
        a.enrollment_profile = self.enrollment_profile.text().strip() if a.method == "direct_profile" else ""

    def validatePage(self) -> bool:
        method = method_page(self).method()
        problems: list[str] = []
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
        method = method_page(self).method()
        if method in ("manual_dep", "supervise"):
            return P_SERVER
        if method == "direct_profile":
            return P_NETWORK
        return P_ANDROID if method_page(self).android.isChecked() else P_NAMES


