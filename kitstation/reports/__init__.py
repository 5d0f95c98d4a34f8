"""Kitting reports: the delivery evidence a customer accepts (CSV, XLSX, PDF, JSON, KME/ABM lists).

Qt-free and device-library-free: the GUI's reports dialog and ``kitstation report`` both call
:func:`export_report` and :func:`verify_report`. See docs/REPORTS.md for the columns and formats.
"""

from kitstation.reports.api import export_report
from kitstation.reports.model import (
    CANONICAL_FIELDS,
    COLUMN_IDS,
    COLUMNS,
    ReportFormat,
    ReportOptions,
    ReportResult,
)
from kitstation.reports.verify import Check, VerifyResult, verify_report

__all__ = [
    "CANONICAL_FIELDS",
    "COLUMNS",
    "COLUMN_IDS",
    "Check",
    "ReportFormat",
    "ReportOptions",
    "ReportResult",
    "VerifyResult",
    "export_report",
    "verify_report",
]
