"""The Prepare wizard's answers → a validated blueprint, without any Qt (the GUI pages only collect them).

``answers`` holds the answers and :func:`build` / :func:`save`; ``apps`` what the station reads
from an ``.ipa``; ``naming`` the names preview and CSV import; ``summary`` the readable last page;
``problems`` the validators' messages under the wizard's field labels; ``edit`` a saved blueprint
back into answers. Everything the UI used from the single module before is importable from here.
"""

from __future__ import annotations

from kitstation.blueprints.wizard.answers import (
    SUPERVISING,
    WITH_NETWORK,
    AndroidAnswers,
    AndroidMethodName,
    Battery,
    GalaxySetupAnswers,
    IOSAnswers,
    IOSMethodName,
    WizardAnswers,
    anchor_names,
    build,
    ios_data,
    save,
    server_url,
    slug,
    to_data,
    to_toml,
)
from kitstation.blueprints.wizard.apps import (
    AndroidAppFiles,
    AndroidAppsAnswers,
    AppFileError,
    IOSAppFile,
    IOSAppsAnswers,
    file_sha256,
    read_ipa,
    split_names,
)
from kitstation.blueprints.wizard.edit import answers_from, duplicate
from kitstation.blueprints.wizard.naming import (
    SAMPLE_DEVICE,
    CsvTable,
    NamingAnswers,
    NamingError,
    check_key,
    naming_problems,
    preview_name,
    read_csv,
    variable_columns,
)
from kitstation.blueprints.wizard.problems import FIELD_LABELS, MESSAGES, explain, field_label, field_problems
from kitstation.blueprints.wizard.summary import summary

__all__ = [
    "FIELD_LABELS", "MESSAGES", "SAMPLE_DEVICE", "SUPERVISING", "WITH_NETWORK", "AndroidAnswers", "AndroidAppFiles",
    "AndroidAppsAnswers", "AndroidMethodName", "AppFileError", "Battery", "CsvTable", "GalaxySetupAnswers",
    "IOSAnswers", "IOSAppFile", "IOSAppsAnswers", "IOSMethodName", "NamingAnswers", "NamingError", "WizardAnswers",
    "anchor_names", "answers_from", "build", "check_key", "duplicate", "explain", "field_label", "field_problems", "file_sha256",
    "ios_data", "naming_problems", "preview_name", "read_csv", "read_ipa", "save", "server_url", "slug", "split_names",
    "summary", "to_data", "to_toml", "variable_columns",
]  # fmt: skip
