"""The package carries what the station reads at run time, and ``kitstation examples`` copies the examples."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from kitstation import paths
from kitstation.blueprints.loader import load_blueprint
from kitstation.cli.main import main
from kitstation.log.db import alembic_config

ROOT = Path(__file__).resolve().parents[2]
DEMO = ("ios-supervised-dep.toml", "android-device-owner.toml")


def test_examples_are_package_data_and_the_checkout_link_points_there() -> None:
    examples = paths.resource("examples")
    assert examples.is_relative_to(Path(paths.__file__).resolve().parent)
    for name in DEMO:
        assert (examples / name).is_file()
    # The repository's top-level examples/ is the same folder (tests, docs and users' commands use it).
    assert (ROOT / "examples").resolve() == examples.resolve()


def test_demo_blueprints_come_from_the_package() -> None:
    from kitstation.ui.controller import DEMO_BLUEPRINTS

    for path in DEMO_BLUEPRINTS.values():
        assert path.parent == paths.resource("examples")
        load_blueprint(path)


def test_translation_sources_are_package_data() -> None:
    folder = paths.resource("translations")
    assert {p.name for p in folder.glob("*.ts")} == {"kitstation_en.ts", "kitstation_ja.ts"}


def test_migrations_are_found_as_a_package_resource(sqlite_url: str) -> None:
    cfg = alembic_config(sqlite_url)
    assert cfg.get_main_option("script_location") == "kitstation.log:migrations"
    assert ScriptDirectory.from_config(cfg).get_current_head()


def test_examples_out_copies_everything_the_blueprints_use(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "my-blueprints"
    assert main(["examples", "--out", str(out)]) == 0
    assert "my-blueprints" in capsys.readouterr().out
    shipped = sorted(p.relative_to(paths.resource("examples")) for p in paths.resource("examples").rglob("*") if p.is_file())
    copied = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert copied == shipped
    # The copies are editable blueprints whose relative files (the agent APK) resolve in the copy.
    bp = load_blueprint(out / "android-device-owner.toml")
    assert bp.android is not None
    assert main(["blueprint", "validate", *map(str, sorted(out.glob("*.toml")))]) == 0
    assert all(os.access(p, os.W_OK) for p in out.rglob("*"))


def test_examples_out_never_overwrites_an_edited_blueprint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bp"
    assert main(["examples", "--out", str(out)]) == 0
    edited = out / "ios-dep.toml"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# customer edit\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["examples", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "ios-dep.toml" in err and "--force" in err and "Traceback" not in err
    assert "# customer edit" in edited.read_text(encoding="utf-8")
    assert main(["examples", "--out", str(out), "--force"]) == 0
    assert edited.read_bytes() == (paths.resource("examples") / "ios-dep.toml").read_bytes()


def test_examples_out_on_a_file_is_a_one_line_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    assert main(["--lang", "ja", "examples", "--out", str(target)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "フォルダー" in err


def test_examples_lists_the_shipped_blueprints(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["examples"]) == 0
    out = capsys.readouterr().out
    for name in DEMO:
        assert name in out
