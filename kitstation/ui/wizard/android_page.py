"""The Samsung Galaxy page: Device Owner over USB, Knox Mobile Enrollment, or a QR code (with a preview)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kitstation.blueprints.android import AgentApk, KmeProfile
from kitstation.blueprints.loader import BlueprintError, validate_data
from kitstation.blueprints.wizard import AndroidAnswers
from kitstation.i18n import current_language
from kitstation.ui.qt import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QImage,
    QLabel,
    QLineEdit,
    QPixmap,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)
from kitstation.ui.wizard.common import P_GALAXY, P_NAMES, ErrorLabel, check, pydantic_problems


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

    def answers(self) -> AndroidAnswers:
        return AndroidAnswers(
            method=self.method.currentData(),
            package=self.package.text(),
            admin_receiver=self.receiver.text(),
            apk_url=self.apk_url.text(),
            apk_file=self.apk_file.text(),
            sha256=self.sha256.text(),
            kme_profile_name=self.profile_name.text(),
            kme_company_name=self.company.text(),
            kme_custom_json=self.custom_json.text(),
        )

    def data(self) -> dict[str, Any]:
        return self.answers().data()

    def problems(self) -> list[str]:
        d = self.data()
        out: list[str] = []
        if "agent" in d:
            out += check(AgentApk, d["agent"], "android.agent")
            f = d["agent"].get("file")
            if f and not Path(f).is_file():
                out.append(self.tr("Agent APK: file not found"))
        if "kme" in d:
            out += check(KmeProfile, d["kme"], "android.kme")
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

    def nextId(self) -> int:
        # Settings and apps go over adb, which the station has only with Device Owner over USB.
        return P_GALAXY if self.method.currentData() == "device_owner" else P_NAMES


