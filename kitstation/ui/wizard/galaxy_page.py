"""The *Galaxy settings* page: ``[android.setup]`` (bench Wi-Fi, time zone, screen) and the battery gate.

The station applies these over adb after the Device Owner and reads each back, so the page is
only on the path of Device Owner over USB. The Wi-Fi password is never asked for here: the
blueprint names the secret that holds it, and the station asks for its value when the batch starts.
"""

from __future__ import annotations

import zoneinfo

from kitstation.blueprints.android import AndroidSetup
from kitstation.blueprints.wizard import GalaxySetupAnswers
from kitstation.ui.qt import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWizardPage,
)
from kitstation.ui.wizard.common import P_ANDROID_APPS, BatteryBox, ErrorLabel, check

# The choices of Settings > Display > Screen timeout on a Galaxy (seconds).
SCREEN_TIMEOUTS = (15, 30, 60, 120, 300, 600, 1800)


class GalaxySettingsPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Galaxy settings"))
        self.setSubTitle(self.tr("Set over USB after the Device Owner, then read back from each phone."))
        layout = QVBoxLayout(self)
        self.wifi = QGroupBox(self.tr("Join a Wi-Fi network"), self)
        self.wifi.setCheckable(True)
        self.wifi.setChecked(False)
        wform = QFormLayout(self.wifi)
        self.ssid = QLineEdit(self.wifi)
        self.security = QComboBox(self.wifi)
        for label, key in ((self.tr("WPA2 Personal"), "wpa2"), (self.tr("WPA3 Personal"), "wpa3"),
                           (self.tr("Open (no password)"), "open"), (self.tr("Enhanced Open (OWE)"), "owe")):
            self.security.addItem(label, key)
        self.secret = QLineEdit("bench_wifi_password", self.wifi)
        wform.addRow(self.tr("Network name (SSID):"), self.ssid)
        wform.addRow(self.tr("Security:"), self.security)
        wform.addRow(self.tr("Password secret name:"), self.secret)
        note = QLabel(self.tr("The Wi-Fi password is not written into the blueprint: it is asked for when the batch "
                              "starts and kept only in memory."), self.wifi)
        note.setWordWrap(True)
        wform.addRow(note)
        layout.addWidget(self.wifi)
        form = QFormLayout()
        # Editable: any IANA zone may be typed; the list is filled when the page is first shown
        # (about 600 names that a wizard opened for an iOS blueprint never needs).
        self.time_zone = QComboBox(self)
        self.time_zone.setEditable(True)
        self.time_zone.setMinimumContentsLength(24)
        form.addRow(self.tr("Time zone (empty: do not change):"), self.time_zone)
        self.timeout = QComboBox(self)
        self.timeout.addItem(self.tr("Do not change"), None)
        for s in SCREEN_TIMEOUTS:
            text = self.tr("%1 seconds").replace("%1", str(s)) if s < 60 else \
                self.tr("%1 minutes").replace("%1", str(s // 60))
            self.timeout.addItem(text, s)
        form.addRow(self.tr("Screen timeout:"), self.timeout)
        self.stay_awake = QComboBox(self)
        self.stay_awake.addItem(self.tr("Do not change"), None)
        self.stay_awake.addItem(self.tr("On"), True)
        self.stay_awake.addItem(self.tr("Off"), False)
        form.addRow(self.tr("Stay awake while charging:"), self.stay_awake)
        layout.addLayout(form)
        self.battery = BatteryBox(self)
        layout.addWidget(self.battery)
        self.errors = ErrorLabel(self)
        layout.addWidget(self.errors)
        layout.addStretch(1)
        self.security.currentIndexChanged.connect(self._sync)
        self._sync()

    def initializePage(self) -> None:
        if self.time_zone.count() == 0:
            typed = self.time_zone.currentText()
            self.time_zone.addItem("")
            self.time_zone.addItems(sorted(zoneinfo.available_timezones()))
            self.time_zone.setCurrentText(typed)

    def _sync(self) -> None:
        # Open and OWE networks have no password: the field would only be refused.
        self.secret.setEnabled(self.security.currentData() in ("wpa2", "wpa3"))

    def answers(self) -> GalaxySetupAnswers:
        wifi = self.wifi.isChecked()
        timeout = self.timeout.currentData()
        awake = self.stay_awake.currentData()
        return GalaxySetupAnswers(
            ssid=self.ssid.text() if wifi else "",
            security=str(self.security.currentData()),
            password_secret=self.secret.text() if self.secret.isEnabled() else "",
            time_zone=self.time_zone.currentText(),
            screen_timeout_seconds=int(timeout) if timeout is not None else None,
            stay_awake=bool(awake) if awake is not None else None,
        )

    def load(self, s: GalaxySetupAnswers) -> None:
        self.wifi.setChecked(bool(s.ssid))
        self.ssid.setText(s.ssid)
        self.security.setCurrentIndex(max(0, self.security.findData(s.security)))
        if s.password_secret:
            self.secret.setText(s.password_secret)
        self.time_zone.setCurrentText(s.time_zone)
        if s.screen_timeout_seconds is not None and self.timeout.findData(s.screen_timeout_seconds) < 0:
            # A value typed into the TOML by hand stays what it was.
            n = s.screen_timeout_seconds
            self.timeout.addItem(self.tr("%1 seconds").replace("%1", str(n)), n)
        self.timeout.setCurrentIndex(max(0, self.timeout.findData(s.screen_timeout_seconds)))
        self.stay_awake.setCurrentIndex(max(0, self.stay_awake.findData(s.stay_awake)))

    def validatePage(self) -> bool:
        a = self.answers()
        problems: list[str] = []
        if self.wifi.isChecked() and not a.ssid.strip():
            problems.append(self.tr("Network name (SSID): give the network's name, or untick “Join a Wi-Fi network”"))
        data = a.data()
        if data and not problems:
            problems = check(AndroidSetup, data, "android.setup")
        return self.errors.show_problems(problems)

    def nextId(self) -> int:
        return P_ANDROID_APPS
