"""The wizard itself and its last page: a readable summary, then the save (off the GUI thread).

:meth:`PrepareWizard.answers` collects every visited page into
:class:`~kitstation.blueprints.wizard.WizardAnswers`; the summary page shows
:func:`~kitstation.blueprints.wizard.summary` of the validated blueprint (the TOML is one click
away), and Finish runs :func:`~kitstation.blueprints.wizard.save` (plus, when asked, the
identity store's key generation) through an :class:`~kitstation.ui.ops.Op`. Escape or Cancel
with answers typed asks before throwing them away.
"""

from __future__ import annotations

from pathlib import Path

from kitstation.blueprints import wizard as answers_mod
from kitstation.blueprints.loader import BlueprintError, dumps_blueprint
from kitstation.blueprints.model import Blueprint
from kitstation.blueprints.wizard import SUPERVISING, WITH_NETWORK, IOSAnswers, WizardAnswers
from kitstation.i18n import current_language
from kitstation.ui.ops import Op
from kitstation.ui.qt import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    Qt,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
    Signal,
)
from kitstation.ui.wizard.android_page import AndroidPage
from kitstation.ui.wizard.apps_pages import AndroidAppsPage, IOSAppsPage
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
    ErrorLabel,
    blueprints_dir,
    generate_identity,
    identity_exists,
    pydantic_problems,
    slug,
)
from kitstation.ui.wizard.galaxy_page import GalaxySettingsPage
from kitstation.ui.wizard.method_pages import MethodPage, OptionsPage
from kitstation.ui.wizard.names_page import NamesPage
from kitstation.ui.wizard.server_pages import IdentityPage, OrgPage, ServerPage
from kitstation.ui.wizard.setup_pages import NetworkPage, SkipPage


def summary_html(bp: Blueprint) -> str:
    """The summary lines as a two-column table in the UI language."""
    lang = current_language()
    rows = "".join(
        f"<tr><td style='padding-right:14px'><b>{_esc(k.get(lang))}</b></td><td>{_esc(v.get(lang))}</td></tr>"
        for k, v in answers_mod.summary(bp)
    )
    return f"<table>{rows}</table>"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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
        self.readable = QLabel(self)
        self.readable.setWordWrap(True)
        layout.addWidget(self.readable)
        self.show_toml = QCheckBox(self.tr("Show the blueprint file (TOML)"), self)
        layout.addWidget(self.show_toml)
        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        self.preview.setVisible(False)
        self.show_toml.toggled.connect(self.preview.setVisible)
        layout.addWidget(self.preview, 1)
        self.errors = ErrorLabel(self)
        layout.addWidget(self.errors)
        self._saved = False
        self._saving = False

    def _wizard(self) -> PrepareWizard:
        wiz = self.wizard()
        assert isinstance(wiz, PrepareWizard)
        return wiz

    def initializePage(self) -> None:
        wiz = self._wizard()
        name = wiz.method_page.name.text().strip()
        if not self.path.text():
            self.path.setText(str(blueprints_dir() / f"{slug(name)}.toml"))
        self._saved = False
        try:
            bp = answers_mod.build(wiz.answers(), Path(self.path.text()))
        except BlueprintError as exc:
            self.errors.show_problems(pydantic_problems(exc))
            self.readable.setText("")
            self.preview.setPlainText("")
            return
        self.errors.show_problems([])
        self.readable.setText(summary_html(bp))
        self.preview.setPlainText(dumps_blueprint(bp))

    def validatePage(self) -> bool:
        if self._saved:
            return True
        if self._saving:
            return False
        wiz = self._wizard()
        target = Path(self.path.text().strip())
        if not self.path.text().strip() or target.suffix.lower() != ".toml":
            return self.errors.show_problems([self.tr("Save as: give a file name ending in .toml")])
        answers = wiz.answers()
        try:
            answers_mod.build(answers, target)  # cheap and offline: say what is wrong at once
        except BlueprintError as exc:
            return self.errors.show_problems(pydantic_problems(exc))
        generate = wiz.identity_page.generate.isChecked()
        self._saving = True
        wiz.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.errors.show_problems([self.tr("Saving…")])
        Op(self, lambda: _save(answers, target, generate)).success(lambda _bp: self._done(target)).failure(
            self._failed
        ).run()
        return False  # the Op finishes the wizard when the files are written

    def _done(self, target: Path) -> None:
        self._saving = False
        self._saved = True
        self.errors.show_problems([])
        wiz = self._wizard()
        wiz.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        wiz.saved_path = target
        wiz.saved.emit(str(target))
        wiz.accept()

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        self._wizard().button(QWizard.WizardButton.FinishButton).setEnabled(True)
        if isinstance(exc, BlueprintError):
            self.errors.show_problems(pydantic_problems(exc))
        else:
            self.errors.show_problems([self.tr("Cannot write the file: %1").replace("%1", str(exc))])


def _save(answers: WizardAnswers, target: Path, generate: bool) -> Blueprint:
    """On a worker: the identity (when "Generate" was chosen and the store lacks it), then the files."""
    ios = answers.ios
    if generate and ios is not None and ios.method in SUPERVISING and ios.identity_name:
        if not identity_exists(ios.identity_name):
            generate_identity(ios.identity_name, ios.organization.get("name", ""))
    return answers_mod.save(answers, target)


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
        self.confirm: QMessageBox | None = None
        self.method_page = MethodPage()
        self.options_page = OptionsPage()
        self.server_page = ServerPage()
        self.org_page = OrgPage()
        self.identity_page = IdentityPage()
        self.skip_page = SkipPage()
        self.network_page = NetworkPage()
        self.ios_apps_page = IOSAppsPage()
        self.android_page = AndroidPage()
        self.galaxy_page = GalaxySettingsPage()
        self.android_apps_page = AndroidAppsPage()
        self.names_page = NamesPage()
        self.summary_page = SummaryPage()
        for pid, page in (
            (P_METHOD, self.method_page),
            (P_OPTIONS, self.options_page),
            (P_SERVER, self.server_page),
            (P_ORG, self.org_page),
            (P_IDENTITY, self.identity_page),
            (P_SKIP, self.skip_page),
            (P_NETWORK, self.network_page),
            (P_IOS_APPS, self.ios_apps_page),
            (P_ANDROID, self.android_page),
            (P_GALAXY, self.galaxy_page),
            (P_ANDROID_APPS, self.android_apps_page),
            (P_NAMES, self.names_page),
            (P_SUMMARY, self.summary_page),
        ):
            self.setPage(pid, page)
        self.setStartId(P_METHOD)

    def answers(self) -> WizardAnswers:
        """What the visited pages hold (pages not on the chosen path are left out)."""
        m = self.method_page
        a = WizardAnswers(name=m.name.text(), customer=m.customer.text(), order_ref=m.order_ref.text())
        if m.ios.isChecked():
            ios = IOSAnswers(method=m.method())
            self.options_page.fill(ios)
            if ios.method in SUPERVISING:
                self.server_page.fill(ios)
                self.org_page.fill(ios)
                self.identity_page.fill(ios)
                self.skip_page.fill(ios)
            if ios.method in WITH_NETWORK:
                self.network_page.fill(ios)
                ios.apps = self.ios_apps_page.answers()
                ios.battery = self.ios_apps_page.battery.answers()
            a.ios = ios
        if m.android.isChecked():
            a.android = self.android_page.answers()
            # Kept only for Device Owner over USB (AndroidAnswers.data): the other methods have no adb.
            a.android.setup = self.galaxy_page.answers()
            a.android.battery = self.galaxy_page.battery.answers()
            a.android.apps = self.android_apps_page.answers()
        a.naming = self.names_page.answers()
        return a

    def set_answers(self, a: WizardAnswers, path: Path) -> None:
        """Fill every page from saved answers (the library's Edit); Finish saves over ``path``."""
        self.setWindowTitle(self.tr("Prepare — edit blueprint"))
        m = self.method_page
        m.name.setText(a.name)
        m.customer.setText(a.customer)
        m.order_ref.setText(a.order_ref)
        m.ios.setChecked(a.ios is not None)
        m.android.setChecked(a.android is not None)
        if a.ios is not None:
            ios = a.ios
            m.methods[ios.method].setChecked(True)
            self.options_page.preset = ios
            self.server_page.name.setText(ios.server_name)
            self.server_page.url.setText(ios.server_url)
            self.server_page.set_chain([(f"anchor-{i + 1}.pem", pem) for i, pem in enumerate(ios.anchors)])
            for i in range(self.server_page.certs.count()):
                cert = self.server_page.certs.item(i)
                if cert is not None:
                    cert.setCheckState(Qt.CheckState.Checked)
            for key, field in self.org_page.fields.items():
                field.setText(ios.organization.get(key, ""))
            ip = self.identity_page
            (ip.generate if ios.identity_name or not ios.identity_file else ip.existing).setChecked(True)
            ip.identity_name.setText(ios.identity_name)
            ip.file.setText(ios.identity_file)
            if ios.passphrase_secret:
                ip.secret.setText(ios.passphrase_secret)
            keys = set(ios.skipped)
            for item in self.skip_page.items():
                skip = ios.all_panes == -1 or str(item.data(0, Qt.ItemDataRole.UserRole)) in keys
                item.setCheckState(0, Qt.CheckState.Checked if skip else Qt.CheckState.Unchecked)
            n = self.network_page
            if ios.wifi is not None:
                n.wifi.setChecked(True)
                n.ssid.setText(str(ios.wifi.get("ssid", "")))
                n.security.setCurrentText(str(ios.wifi.get("security", "WPA2")))
                n.secret.setText(str(ios.wifi.get("password_secret") or ""))
                n.hidden.setChecked(bool(ios.wifi.get("hidden")))
                n.auto_join.setChecked(bool(ios.wifi.get("auto_join", True)))
            elif ios.wifi_profile:
                n.imported.setChecked(True)
                n.profile.setText(ios.wifi_profile)
        if a.android is not None:
            ap, an = self.android_page, a.android
            ap.method.setCurrentIndex(max(0, ap.method.findData(an.method)))
            for w, value in ((ap.package, an.package), (ap.receiver, an.admin_receiver), (ap.apk_url, an.apk_url),
                             (ap.apk_file, an.apk_file), (ap.sha256, an.sha256), (ap.profile_name, an.kme_profile_name),
                             (ap.company, an.kme_company_name), (ap.custom_json, an.kme_custom_json)):
                w.setText(value)
            self.galaxy_page.load(an.setup)
            self.galaxy_page.battery.load(an.battery)
            self.android_apps_page.load(an.apps)
        if a.ios is not None:
            self.ios_apps_page.load(a.ios.apps)
            self.ios_apps_page.battery.load(a.ios.battery)
        self.names_page.load(a.naming)
        self.summary_page.path.setText(str(path))

    def build(self, target: Path) -> Blueprint:
        """The validated blueprint (raises BlueprintError); writes nothing."""
        return answers_mod.build(self.answers(), target)

    # --- Escape / Cancel: ask before discarding typed answers ------------------------------------
    def has_answers(self) -> bool:
        return bool(self.method_page.name.text().strip()) or self.currentId() != P_METHOD

    def reject(self) -> None:
        if self.summary_page._saved or not self.has_answers():
            super().reject()
            return
        if self.confirm is not None and self.confirm.isVisible():
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Discard this blueprint?"),
            self.tr("The answers typed in the wizard are not saved. Discard them?"),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        self.discard_button = box.addButton(self.tr("Discard"), QMessageBox.ButtonRole.DestructiveRole)
        self.keep_button = box.addButton(self.tr("Keep editing"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(self.keep_button)
        self.discard_button.clicked.connect(lambda: self._confirmed(True))
        self.keep_button.clicked.connect(lambda: self._confirmed(False))
        self.confirm = box
        box.open()

    def _confirmed(self, discard: bool) -> None:
        self.confirm = None
        if discard:
            super().reject()
