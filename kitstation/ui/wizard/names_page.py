"""The *Names* page: each device renamed from a pattern, with a live preview and an optional CSV of names.

Variables are inserted with buttons (a person rarely types ``{n:03}`` right the first time); the
preview shows what a sample device — or the CSV's first row — would be called as the pattern is
typed. A CSV is read on a worker (:class:`~kitstation.ui.ops.Op`) and shown in a table with its
key column to choose; whatever makes a device fail later (a column the pattern names that the CSV
lacks, repeated or empty keys) is said here, under the field's label.
"""

from __future__ import annotations

from kitstation.blueprints.naming import Naming
from kitstation.blueprints.wizard import (
    SAMPLE_DEVICE,
    CsvTable,
    NamingAnswers,
    NamingError,
    field_problems,
    naming_problems,
    preview_name,
    read_csv,
    variable_columns,
)
from kitstation.i18n import current_language
from kitstation.ui.ops import Op
from kitstation.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
    Signal,
)
from kitstation.ui.wizard.common import P_SUMMARY, ErrorLabel, check

PREVIEW_ROWS = 20  # the table shows the CSV's first rows; the whole file is checked


class NamesPage(QWizardPage):
    csv_read = Signal()  # an imported CSV was read (or explained)

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Device names"))
        self.setSubTitle(self.tr("Rename each device from a pattern; leave it empty to keep the devices' names."))
        self.table_data: CsvTable | None = None
        self.reading = False
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.pattern = QLineEdit(self)
        form.addRow(self.tr("Name pattern:"), self.pattern)
        self.variables = QHBoxLayout()
        self.variable_buttons: dict[str, QPushButton] = {}
        for label, var in ((self.tr("Serial number"), "{serial}"), (self.tr("IMEI"), "{imei}"),
                           (self.tr("Slot"), "{slot}"), (self.tr("Model"), "{model}"),
                           (self.tr("Running number (001)"), "{n:03}")):
            self._variable_button(label, var)
        self.columns = QHBoxLayout()  # a button per CSV column, after an import
        self.variables.addLayout(self.columns)
        self.variables.addStretch(1)
        form.addRow(self.tr("Insert:"), self.variables)
        self.start = QSpinBox(self)
        self.start.setRange(0, 10**9)
        self.start.setValue(1)
        form.addRow(self.tr("First number:"), self.start)
        self.preview = QLabel(self)
        self.preview.setWordWrap(True)
        form.addRow(self.tr("Preview:"), self.preview)
        csv_row = QHBoxLayout()
        self.csv = QLineEdit(self)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        self.import_button = QPushButton(self.tr("Import"), self)
        self.import_button.clicked.connect(lambda: self.import_csv(self.csv.text()))
        csv_row.addWidget(self.csv, 1)
        csv_row.addWidget(browse)
        csv_row.addWidget(self.import_button)
        form.addRow(self.tr("Names CSV (optional):"), csv_row)
        self.key = QComboBox(self)
        form.addRow(self.tr("Key column (the device's serial number or IMEI):"), self.key)
        layout.addLayout(form)
        self.rows = QTableWidget(0, 0, self)
        self.rows.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.rows, 1)
        self.errors = ErrorLabel(self)
        layout.addWidget(self.errors)
        self.pattern.textChanged.connect(self.update_preview)
        self.start.valueChanged.connect(self.update_preview)
        self.key.currentIndexChanged.connect(self.update_preview)
        self.csv.textEdited.connect(self._csv_edited)
        self.update_preview()

    def _variable_button(self, label: str, var: str, row: QHBoxLayout | None = None) -> QPushButton:
        b = QPushButton(label, self)
        b.setToolTip(var)
        b.clicked.connect(lambda: self.insert(var))
        (row or self.variables).addWidget(b)
        self.variable_buttons[var] = b
        return b

    def insert(self, var: str) -> None:
        """Put a variable where the cursor is (replacing a selection), as typing it would."""
        self.pattern.insert(var)
        self.pattern.setFocus()

    def _browse(self) -> None:
        dlg = QFileDialog(self, self.tr("Names CSV"), "", "*.csv")
        dlg.fileSelected.connect(self._chosen)
        dlg.open()

    def _chosen(self, path: str) -> None:
        self.csv.setText(path)
        self.import_csv(path)

    def _csv_edited(self) -> None:
        # A different path typed: what was imported no longer describes the field.
        self._show_table(None)

    def import_csv(self, path: str) -> None:
        if not path.strip():
            self._show_table(None)
            self.errors.show_problems([self.tr("Names CSV: choose a file first")])
            self.csv_read.emit()
            return
        self.reading = True
        Op(self, lambda: read_csv(path.strip())).success(self._imported).failure(self._not_imported).run()

    def _imported(self, table: CsvTable) -> None:
        self.reading = False
        self._show_table(table)
        self.errors.show_problems(self._csv_problems())
        self.csv_read.emit()

    def _not_imported(self, exc: BaseException) -> None:
        self.reading = False
        self._show_table(None)
        text = exc.reason.get(current_language()) if isinstance(exc, NamingError) else str(exc)
        self.errors.show_problems([self.tr("Names CSV: %1").replace("%1", text)])
        self.csv_read.emit()

    def _show_table(self, table: CsvTable | None) -> None:
        self.table_data = table
        while (item := self.columns.takeAt(0)) is not None:
            w = item.widget()
            if w is not None:
                self.variable_buttons.pop(w.toolTip(), None)
                w.deleteLater()
        current = self.key.currentText() or "serial"
        self.key.blockSignals(True)
        self.key.clear()
        if table is None:
            self.rows.setRowCount(0)
            self.rows.setColumnCount(0)
        else:
            self.key.addItems(table.headers)
            if current in table.headers:
                self.key.setCurrentText(current)
            self.rows.setColumnCount(len(table.headers))
            self.rows.setHorizontalHeaderLabels(table.headers)
            shown = table.rows[:PREVIEW_ROWS]
            self.rows.setRowCount(len(shown))
            for r, values in enumerate(shown):
                for c, h in enumerate(table.headers):
                    self.rows.setItem(r, c, QTableWidgetItem(values[h]))
            for h in variable_columns(table):
                self._variable_button(h, "{" + h + "}", self.columns)
        self.key.blockSignals(False)
        self.update_preview()

    def answers(self) -> NamingAnswers:
        has_csv = bool(self.csv.text().strip())
        return NamingAnswers(self.pattern.text(), self.start.value(), self.csv.text().strip() if has_csv else "",
                             self.key.currentText() or "serial")

    def load(self, a: NamingAnswers) -> None:
        self.pattern.setText(a.pattern)
        self.start.setValue(a.start)
        self.csv.setText(a.csv)
        if a.csv:
            self.key.addItem(a.csv_key)  # until the import reads the file's own columns
            self.import_csv(a.csv)

    def _sample(self) -> tuple[dict[str, str] | None, dict[str, str]]:
        """The CSV's first row (if any) and a sample device that row belongs to."""
        device = dict(SAMPLE_DEVICE)
        t = self.table_data
        if t is None or not t.rows:
            return None, device
        row = t.rows[0]
        key = self.key.currentText()
        if key in row and key in ("serial", "imei"):
            device[key] = row[key]
        return row, device

    def update_preview(self) -> None:
        pattern = self.pattern.text()
        if not pattern.strip():
            self.preview.setText(self.tr("(the devices keep their names)"))
            return
        row, device = self._sample()
        try:
            name = preview_name(pattern, self.start.value(), row, device)
        except KeyError as exc:
            self.preview.setText(self.tr("unknown variable: %1").replace("%1", str(exc.args[0])))
            return
        except ValueError as exc:
            self.preview.setText(str(exc))
            return
        who = device["serial"]
        self.preview.setText(self.tr("%1 → %2 (the batch's first device)").replace("%1", who).replace("%2", name))

    def _csv_problems(self) -> list[str]:
        lang = current_language()
        return [t.get(lang) for t in field_problems(naming_problems(self.answers(), self.table_data))]

    def validatePage(self) -> bool:
        if self.reading:
            return self.errors.show_problems([self.tr("Still reading the chosen files…")])
        a = self.answers()
        data = a.data()
        if data is None:
            return self.errors.show_problems([])
        problems = check(Naming, data, "naming")
        if not problems and a.csv and self.table_data is None:
            problems.append(self.tr("Names CSV: press Import to read the file (or clear the field)"))
        if not problems:
            problems = self._csv_problems()
        return self.errors.show_problems(problems)

    def nextId(self) -> int:
        return P_SUMMARY


__all__ = ["NamesPage"]
