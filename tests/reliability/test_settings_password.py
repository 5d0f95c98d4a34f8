"""The GUI settings file never holds a database password (issue 16)."""

from __future__ import annotations

import json
import stat

import pytest

from kitstation.ui.settings import PASSWORD_ENV, Settings

URL = "postgresql+psycopg://kit:Sup3r%40secret@db.example.jp:5432/kitlog"


def test_password_is_stripped_on_save_and_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    path = Settings(database=URL).save()
    text = path.read_text(encoding="utf-8")
    assert "Sup3r" not in text and "secret" not in text
    assert json.loads(text)["database"] == "postgresql+psycopg://kit@db.example.jp:5432/kitlog"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Settings.load().database == "postgresql+psycopg://kit@db.example.jp:5432/kitlog"  # libpq: PGPASSWORD/.pgpass
    monkeypatch.setenv(PASSWORD_ENV, "Sup3r@secret")
    assert Settings.load().database == URL  # in memory only
    assert "Sup3r" not in path.read_text(encoding="utf-8")


def test_a_file_written_by_an_older_version_loses_its_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    path = Settings.path()
    path.write_text(json.dumps({"database": URL, "technician": "Sato"}), encoding="utf-8")
    loaded = Settings.load()
    assert loaded.database == URL and loaded.technician == "Sato"  # this session still connects
    assert "Sup3r" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "value", ["", "/var/lib/kitstation/log.sqlite3", "sqlite:////tmp/x.db", "postgresql://kit@h/db", "not a url ://"]
)
def test_urls_without_a_password_are_kept_as_typed(value: str) -> None:
    Settings(database=value).save()
    assert json.loads(Settings.path().read_text(encoding="utf-8"))["database"] == value
