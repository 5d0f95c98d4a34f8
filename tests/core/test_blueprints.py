"""Blueprint files: validation errors name the file, the field and the problem, in ja and en."""

from __future__ import annotations

from pathlib import Path

import pytest

from kitstation.blueprints import BlueprintError, load_blueprint, loads_blueprint
from kitstation.blueprints.loader import content_hash, dumps_blueprint, save_blueprint, snapshot
from kitstation.i18n import set_language

GOOD = """
schema_version = 1
name = "Galaxy device owner"
[customer]
name = "ACME"
order_ref = "PO-77"
[android]
method = "device_owner"
[android.agent]
url = "https://mdm.example.jp/agent.apk"
package = "jp.example.agent"
admin_receiver = "jp.example.agent/.AdminReceiver"
"""


def _problems(text: str) -> list[tuple[str, str, str]]:
    with pytest.raises(BlueprintError) as info:
        loads_blueprint(text, "bp.toml")
    return [(loc, m.en, m.ja) for loc, m in info.value.problems]


def test_a_good_blueprint_loads() -> None:
    bp = loads_blueprint(GOOD)
    assert bp.android is not None and bp.android.agent is not None
    assert bp.android.agent.package == "jp.example.agent"
    assert bp.customer.order_ref == "PO-77"


def test_unknown_keys_are_rejected_not_ignored() -> None:
    problems = _problems("colour = 'red'\n" + GOOD)
    assert problems == [("colour", "unknown key (not part of the blueprint format)", "不明なキーです（ブループリントの形式にありません）")]
    nested = _problems(GOOD.replace('package = "jp.example.agent"', 'package = "jp.example.agent"\npackge = "typo"'))
    assert nested[0][0] == "android.agent.packge"


def test_missing_and_wrong_types_name_the_field() -> None:
    problems = dict((p[0], p[1]) for p in _problems('[android]\nmethod = "qr"\nverify = "yes"\n'))
    assert problems["name"] == "required but missing"
    assert problems["android.verify"] == "must be true or false"


def test_bad_enum_value_lists_the_choices() -> None:
    (loc, en, ja), *_ = _problems('name = "x"\n[ios]\nmethod = "magic"\n')
    assert loc == "ios.method" and "'dep'" in en and "'direct_profile'" in en and "次のいずれか" in ja


def test_rules_between_fields() -> None:
    problems = _problems('name = "x"\n[ios]\nmethod = "manual_dep"\nadd_to_dep = false\n')
    assert problems[0][0] == "ios" and "add_to_dep" in problems[0][1]
    assert _problems('name = "x"\n')[0][1].startswith("a blueprint needs an [ios] or an [android] section")


def test_invalid_toml_and_missing_file_are_clear(tmp_path: Path) -> None:
    assert _problems('name = "x\n')[0][1].startswith("not valid TOML")
    with pytest.raises(BlueprintError) as info:
        load_blueprint(tmp_path / "nope.toml")
    assert "nope.toml" in str(info.value) and "file not found" in str(info.value)


def test_messages_follow_the_language() -> None:
    with pytest.raises(BlueprintError) as info:
        loads_blueprint("foo = 1\n" + GOOD, "bp.toml")
    set_language("ja")
    try:
        assert str(info.value) == "bp.toml: foo: 不明なキーです（ブループリントの形式にありません）"
    finally:
        set_language(None)
    assert info.value.render("en") == "bp.toml: foo: unknown key (not part of the blueprint format)"


def test_referenced_files_must_exist_and_change_the_hash(tmp_path: Path) -> None:
    text = GOOD.replace('url = "https://mdm.example.jp/agent.apk"', 'file = "agent.apk"')
    path = tmp_path / "bp.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BlueprintError) as info:
        load_blueprint(path)
    assert info.value.problems[0][0] == "agent.apk"
    (tmp_path / "agent.apk").write_bytes(b"v1")
    h1 = content_hash(load_blueprint(path))
    (tmp_path / "agent.apk").write_bytes(b"v2")
    h2 = content_hash(load_blueprint(path))
    assert h1 != h2
    assert snapshot(load_blueprint(path))["files"]["agent.apk"] != "missing"


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    bp = loads_blueprint(GOOD)
    path = save_blueprint(bp, tmp_path / "out.toml")
    again = load_blueprint(path, check_files=False)
    assert again == bp
    assert content_hash(again) == content_hash(bp)
    assert dumps_blueprint(again) == dumps_blueprint(bp)
