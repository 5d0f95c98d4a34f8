"""The *Apps* pages: iOS ``.ipa`` files and Galaxy APKs installed after Prepare, apps to remove.

The technician chooses files; what a file *is* (bundle id and version from the ``.ipa``'s
Info.plist, package and versionCode from the APK's manifest) and its SHA-256 are read from the file
on a worker (:class:`~kitstation.ui.ops.Op`: an ``.ipa`` can be hundreds of MB), never typed, so
the blueprint pins exactly the bytes that were chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kitstation.blueprints.apps import AndroidApps, IOSApps
from kitstation.blueprints.wizard import (
    AndroidAppFiles,
    AndroidAppsAnswers,
    AppFileError,
    IOSAppFile,
    IOSAppsAnswers,
    file_sha256,
    read_ipa,
    split_names,
)
from kitstation.i18n import Text, current_language
from kitstation.ui.ops import Op
from kitstation.ui.qt import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
    Signal,
)
from kitstation.ui.wizard.common import P_ANDROID, P_NAMES, BatteryBox, ErrorLabel, check
from kitstation.ui.wizard.method_pages import method_page


def _table(parent: QWidget, headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers), parent)
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def _set_row(t: QTableWidget, row: int, values: list[str]) -> None:
    for col, value in enumerate(values):
        item = QTableWidgetItem(value)
        item.setToolTip(value)
        t.setItem(row, col, item)


def read_apk_set(paths: list[str]) -> AndroidAppFiles:
    """One app from a base APK and its splits (blocking: run it through an Op).

    Every file must declare the same package and versionCode: Android parses a split set as one
    cluster and refuses a mix (AOSP ``ApkLiteParseUtils.parseClusterPackageLite``: "Inconsistent
    package …" / "Inconsistent version …", INSTALL_PARSE_FAILED_BAD_MANIFEST), so the wizard
    refuses it before the blueprint is saved rather than on the first phone.
    """
    from kitstation.android.manifest import ManifestError, read_manifest

    read: list[tuple[str, int, str, str]] = []
    for p in paths:
        name = Path(p).name
        try:
            data = Path(p).read_bytes()
            m = read_manifest(data)
        except FileNotFoundError as exc:
            raise AppFileError(Text(f"{name}: file not found", f"{name}: ファイルが見つかりません")) from exc
        except (ManifestError, OSError) as exc:
            raise AppFileError(Text(f"{name}: not an APK: {exc}", f"{name}: APK ではありません: {exc}")) from exc
        read.append((p, m.version_code, m.package, file_sha256(p)))
    packages = sorted({r[2] for r in read})
    if len(packages) != 1:
        raise AppFileError(Text(
            f"the files are of different apps ({', '.join(packages)}): add each app on its own",
            f"別々のアプリのファイルです（{', '.join(packages)}）: アプリごとに追加してください",
        ))
    codes = sorted({r[1] for r in read})
    if len(codes) != 1:
        shown = ", ".join(str(c) for c in codes)
        raise AppFileError(Text(f"the APKs have different version codes ({shown})",
                                f"APK のバージョンコードが一致しません（{shown}）"))
    return AndroidAppFiles(packages[0], codes[0] or None, [(r[0], r[3]) for r in read])


def _reader(path: str) -> Callable[[], IOSAppFile]:
    return lambda: read_ipa(path)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, AppFileError):
        return exc.text.get(current_language())
    return str(exc)


class IOSAppsPage(QWizardPage):
    """Apps installed on each iPhone / iPad after Prepare, apps removed, and the battery gate."""

    read_done = Signal()  # a chosen file was read (or explained): the table and errors are current

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("iPhone / iPad apps"))
        self.setSubTitle(self.tr("Apps installed after Prepare (each file pinned by its SHA-256), and apps removed."))
        self.apps: list[IOSAppFile] = []
        self.reading = 0
        layout = QVBoxLayout(self)
        self.table = _table(self, [self.tr("Bundle ID"), self.tr("Version"), self.tr("SHA-256"), self.tr("File")])
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add app (.ipa)…"), self)
        self.add_button.clicked.connect(self._browse)
        self.remove_button = QPushButton(self.tr("Remove from the list"), self)
        self.remove_button.clicked.connect(self.remove_selected)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)
        form = QFormLayout()
        self.remove = QLineEdit(self)
        form.addRow(self.tr("Bundle IDs to remove from the device (separated by commas):"), self.remove)
        layout.addLayout(form)
        self.battery = BatteryBox(self)
        layout.addWidget(self.battery)
        self.errors = ErrorLabel(self)
        layout.addWidget(self.errors)

    def _browse(self) -> None:
        dlg = QFileDialog(self, self.tr("iOS app"), "", "*.ipa")
        dlg.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dlg.filesSelected.connect(self.add_files)
        dlg.open()

    def add_files(self, paths: list[str]) -> None:
        """Read each chosen ``.ipa`` on a worker; the rows appear when it is read."""
        for p in paths:
            self.reading += 1
            Op(self, _reader(p)).success(self._added).failure(self._not_added).run()

    def _added(self, app: IOSAppFile) -> None:
        self.reading -= 1
        if any(a.bundle_id == app.bundle_id for a in self.apps):
            self.errors.show_problems([self.tr("%1 is in the list already").replace("%1", app.bundle_id)])
        else:
            self.apps.append(app)
            self.errors.show_problems([])
            self._refresh()
        self.read_done.emit()

    def _not_added(self, exc: BaseException) -> None:
        self.reading -= 1
        self.errors.show_problems([_reason(exc)])
        self.read_done.emit()

    def _refresh(self) -> None:
        self.table.setRowCount(len(self.apps))
        for i, a in enumerate(self.apps):
            _set_row(self.table, i, [a.bundle_id, a.version or "–", a.sha256, a.file])

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.apps):
            del self.apps[row]
            self._refresh()

    def answers(self) -> IOSAppsAnswers:
        return IOSAppsAnswers(install=list(self.apps), remove=split_names(self.remove.text()))

    def load(self, a: IOSAppsAnswers) -> None:
        self.apps = list(a.install)
        self._refresh()
        self.remove.setText(", ".join(a.remove))

    def validatePage(self) -> bool:
        if self.reading:
            return self.errors.show_problems([self.tr("Still reading the chosen files…")])
        data = self.answers().data()
        problems = check(IOSApps, data, "ios.apps") if data else []
        problems += [self.tr("%1: file not found").replace("%1", a.file) for a in self.apps
                     if not a.file.startswith("https://") and not Path(a.file).is_file()]
        return self.errors.show_problems(problems)

    def nextId(self) -> int:
        return P_ANDROID if method_page(self).android.isChecked() else P_NAMES


class AndroidAppsPage(QWizardPage):
    """Galaxy apps installed over adb after the Device Owner: base + split APKs, permissions granted."""

    read_done = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Galaxy apps"))
        self.setSubTitle(self.tr("Apps installed over USB after the Device Owner; runtime permissions granted to "
                                 "each; apps removed."))
        self.apps: list[AndroidAppFiles] = []
        self.reading = 0
        layout = QVBoxLayout(self)
        self.table = _table(self, [self.tr("Package"), self.tr("Version code"), self.tr("APK files"),
                                   self.tr("Permissions to grant")])
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add app (APK and its splits)…"), self)
        self.add_button.clicked.connect(self._browse)
        self.remove_button = QPushButton(self.tr("Remove from the list"), self)
        self.remove_button.clicked.connect(self.remove_selected)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)
        form = QFormLayout()
        self.grant = QLineEdit(self)
        self.grant.setEnabled(False)
        self.grant.textEdited.connect(self._grant_edited)
        form.addRow(self.tr("Permissions to grant to the selected app (separated by commas):"), self.grant)
        self.remove = QLineEdit(self)
        form.addRow(self.tr("Packages to remove from the device (separated by commas):"), self.remove)
        layout.addLayout(form)
        hint = QLabel(self.tr("Choose an app's base APK together with its split APKs: they are installed together."),
                      self)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.errors = ErrorLabel(self)
        layout.addWidget(self.errors)
        self.table.currentCellChanged.connect(lambda *_: self._selected())

    def _browse(self) -> None:
        dlg = QFileDialog(self, self.tr("Galaxy app"), "", "*.apk")
        dlg.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dlg.filesSelected.connect(self.add_files)
        dlg.open()

    def add_files(self, paths: list[str]) -> None:
        """The chosen files are one app (a base APK and its splits), read on a worker."""
        if not paths:
            return
        self.reading += 1
        chosen = list(paths)
        Op(self, lambda: read_apk_set(chosen)).success(self._added).failure(self._not_added).run()

    def _added(self, app: AndroidAppFiles) -> None:
        self.reading -= 1
        if any(a.package == app.package for a in self.apps):
            self.errors.show_problems([self.tr("%1 is in the list already").replace("%1", app.package)])
        else:
            self.apps.append(app)
            self.errors.show_problems([])
            self._refresh()
            self.table.selectRow(len(self.apps) - 1)
        self.read_done.emit()

    def _not_added(self, exc: BaseException) -> None:
        self.reading -= 1
        self.errors.show_problems([_reason(exc)])
        self.read_done.emit()

    def _refresh(self) -> None:
        self.table.setRowCount(len(self.apps))
        for i, a in enumerate(self.apps):
            files = ", ".join(Path(f).name for f, _h in a.files)
            _set_row(self.table, i, [a.package, str(a.version_code or "–"), files, ", ".join(a.grant)])

    def _selected(self) -> None:
        row = self.table.currentRow()
        ok = 0 <= row < len(self.apps)
        self.grant.setEnabled(ok)
        self.grant.setText(", ".join(self.apps[row].grant) if ok else "")

    def _grant_edited(self, text: str) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.apps):
            self.apps[row].grant = split_names(text)
            item = QTableWidgetItem(", ".join(self.apps[row].grant))
            self.table.setItem(row, 3, item)

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.apps):
            del self.apps[row]
            self._refresh()
            self._selected()

    def answers(self) -> AndroidAppsAnswers:
        return AndroidAppsAnswers(install=list(self.apps), remove=split_names(self.remove.text()))

    def load(self, a: AndroidAppsAnswers) -> None:
        self.apps = list(a.install)
        self._refresh()
        self.remove.setText(", ".join(a.remove))

    def validatePage(self) -> bool:
        if self.reading:
            return self.errors.show_problems([self.tr("Still reading the chosen files…")])
        data = self.answers().data()
        problems = check(AndroidApps, data, "android.apps") if data else []
        problems += [self.tr("%1: file not found").replace("%1", f) for a in self.apps for f, _h in a.files
                     if not f.startswith("https://") and not Path(f).is_file()]
        return self.errors.show_problems(problems)

    def nextId(self) -> int:
        return P_NAMES
