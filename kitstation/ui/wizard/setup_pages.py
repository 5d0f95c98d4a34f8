"""Setup Assistant panes to skip and the network profile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kitstation.blueprints.ios import Wifi
from kitstation.blueprints.wizard import IOSAnswers
from kitstation.i18n import current_language
from kitstation.ui.qt import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    Qt,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWizardPage,
)
from kitstation.ui.skipkeys import panes
from kitstation.ui.wizard.common import P_IOS_APPS, ErrorLabel, check


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
        # Every column as wide as its header and its widest entry (the key column was clipped).
        for col in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(col)
        layout.addWidget(self.tree, 1)

    def items(self) -> list[QTreeWidgetItem]:
        return [it for i in range(self.tree.topLevelItemCount()) if (it := self.tree.topLevelItem(i)) is not None]

    def set_all(self, skip: bool) -> None:
        state = Qt.CheckState.Checked if skip else Qt.CheckState.Unchecked
        for item in self.items():
            item.setCheckState(0, state)

    def fill(self, a: IOSAnswers) -> None:
        a.skipped = self.skipped()
        a.all_panes = self.tree.topLevelItemCount()

    def skipped(self) -> list[str]:
        out: list[str] = []
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

    def fill(self, a: IOSAnswers) -> None:
        d = self.data()
        a.wifi = d.get("wifi")
        a.wifi_profile = d.get("wifi_profile", "")

    def validatePage(self) -> bool:
        d = self.data()
        if "wifi" in d:
            return self.errors.show_problems(check(Wifi, d["wifi"], "ios.wifi"))
        if "wifi_profile" in d and not Path(d["wifi_profile"]).is_file():
            return self.errors.show_problems([self.tr("Network profile: file not found")])
        return self.errors.show_problems([])

    def nextId(self) -> int:
        return P_IOS_APPS


