"""Wizard answers for apps, names, Galaxy settings and the battery → a blueprint the loader accepts."""

from __future__ import annotations

import hashlib
import plistlib
import zipfile
from pathlib import Path

import pytest

from kitstation.blueprints.loader import BlueprintError, load_blueprint, loads_blueprint
from kitstation.blueprints.wizard import (
    AndroidAnswers,
    AndroidAppFiles,
    AppFileError,
    Battery,
    GalaxySetupAnswers,
    IOSAnswers,
    NamingAnswers,
    NamingError,
    WizardAnswers,
    answers_from,
    build,
    check_key,
    field_problems,
    naming_problems,
    preview_name,
    read_csv,
    read_ipa,
    save,
    split_names,
    summary,
    to_data,
    variable_columns,
)
from kitstation.core.naming import NamingError as CoreNamingError
from kitstation.core.naming import load_names_csv
from kitstation.i18n import Text


def make_ipa(path: Path, bundle: str = "com.example.scanner", version: str = "1.2.3", *, binary: bool = True,
             extra: dict[str, bytes] | None = None) -> Path:
    info = {"CFBundleIdentifier": bundle, "CFBundleShortVersionString": version, "CFBundleVersion": "45"}
    fmt = plistlib.FMT_BINARY if binary else plistlib.FMT_XML
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("Payload/Scanner.app/Info.plist", plistlib.dumps(info, fmt=fmt))
        # A plug-in's own Info.plist lies deeper and must not be taken for the app's.
        zf.writestr("Payload/Scanner.app/PlugIns/Widget.appex/Info.plist",
                    plistlib.dumps({"CFBundleIdentifier": bundle + ".widget"}, fmt=fmt))
        zf.writestr("Payload/Scanner.app/Scanner", b"\xcf\xfa\xed\xfe" + b"0" * 1000)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def dep_ios() -> IOSAnswers:
    """The least iOS answers that validate: a supervised manual-DEP blueprint."""
    return IOSAnswers(server_name="MDM", server_url="https://mdm.example.com/x/", organization={"name": "ACME"},
                      identity_name="sup")


def test_read_ipa_takes_the_apps_info_plist_and_hashes_the_file(tmp_path: Path) -> None:
    for binary in (True, False):
        ipa = make_ipa(tmp_path / f"s{binary}.ipa", binary=binary)
        app = read_ipa(ipa)
        assert (app.bundle_id, app.version) == ("com.example.scanner", "1.2.3")
        assert app.sha256 == hashlib.sha256(ipa.read_bytes()).hexdigest()
        assert app.file == str(ipa)


@pytest.mark.parametrize("content", [b"not a zip", None])
def test_read_ipa_explains_a_file_that_is_not_an_ipa(tmp_path: Path, content: bytes | None) -> None:
    p = tmp_path / "x.ipa"
    if content is None:
        with zipfile.ZipFile(p, "w") as zf:
            zf.writestr("Payload/readme.txt", b"hi")
    else:
        p.write_bytes(content)
    with pytest.raises(AppFileError) as err:
        read_ipa(p)
    assert "x.ipa" in err.value.text.en and "iOS" in err.value.text.ja
    with pytest.raises(AppFileError, match="not found"):
        read_ipa(tmp_path / "missing.ipa")


def test_read_ipa_without_a_bundle_id(tmp_path: Path) -> None:
    p = tmp_path / "y.ipa"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("Payload/Y.app/Info.plist", plistlib.dumps({"CFBundleName": "Y"}))
    with pytest.raises(AppFileError, match="CFBundleIdentifier"):
        read_ipa(p)


def full_answers(tmp_path: Path) -> WizardAnswers:
    ipa = read_ipa(make_ipa(tmp_path / "scanner.ipa"))
    ios = dep_ios()
    ios.apps.install.append(ipa)
    ios.apps.remove = ["com.example.old"]
    ios.battery = Battery(40, 30)
    base, split = tmp_path / "app.apk", tmp_path / "app-split.apk"
    base.write_bytes(b"base")
    split.write_bytes(b"split")
    android = AndroidAnswers(
        package="com.example.agent", admin_receiver="com.example.agent/.AdminReceiver",
        apk_url="https://mdm.example.com/agent.apk",
        setup=GalaxySetupAnswers(ssid="bench", security="wpa2", password_secret="bench_wifi", time_zone="Asia/Tokyo",
                                 screen_timeout_seconds=600, stay_awake=True),
        battery=Battery(50, 90),
    )
    android.apps.install.append(AndroidAppFiles(
        "com.example.scanner", 42,
        [(str(base), hashlib.sha256(b"base").hexdigest()), (str(split), hashlib.sha256(b"split").hexdigest())],
        split_names("android.permission.CAMERA, android.permission.ACCESS_FINE_LOCATION"),
    ))
    android.apps.remove = ["com.example.bloat"]
    csv = tmp_path / "assets.csv"
    csv.write_text("serial,asset_tag\nR58N12ABCDE,T-001\nR58N12ABCDF,T-002\n", encoding="utf-8")
    return WizardAnswers(name="Issue 20", ios=ios, android=android,
                         naming=NamingAnswers("ACME-{n:03}-{asset_tag}", 7, str(csv), "serial"))


def test_every_new_answer_reaches_the_blueprint_and_round_trips(tmp_path: Path) -> None:
    answers = full_answers(tmp_path)
    target = tmp_path / "bp" / "issue20.toml"
    save(answers, target)
    text = target.read_text(encoding="utf-8")
    assert "bench_wifi" in text and "password =" not in text
    bp = load_blueprint(target)  # files exist, hashes pinned: the loader's own checks pass
    assert bp.ios is not None and bp.ios.apps is not None
    app = bp.ios.apps.install[0]
    assert (app.bundle_id, app.version, app.sha256) == ("com.example.scanner", "1.2.3", answers.ios.apps.install[0].sha256)  # type: ignore[union-attr]
    assert bp.ios.apps.remove == ["com.example.old"]
    assert (bp.ios.min_battery_percent, bp.ios.battery_wait_minutes) == (40, 30)
    a = bp.android
    assert a is not None and a.setup is not None and a.setup.wifi is not None and a.apps is not None
    assert (a.setup.wifi.ssid, a.setup.wifi.password_secret, a.setup.time_zone) == ("bench", "bench_wifi", "Asia/Tokyo")
    assert (a.setup.screen_off_timeout_seconds, a.setup.stay_awake_while_charging) == (600, True)
    assert [len(x.apks) for x in a.apps.install] == [2] and a.apps.install[0].version_code == 42
    assert a.apps.install[0].grant == ["android.permission.CAMERA", "android.permission.ACCESS_FINE_LOCATION"]
    assert (a.min_battery_percent, a.battery_wait_minutes) == (50, 90)
    assert bp.naming is not None and (bp.naming.pattern, bp.naming.start, bp.naming.csv_key) == (
        "ACME-{n:03}-{asset_tag}", 7, "serial")
    # The TOML text loads on its own, and the blueprint read back into answers gives the same data.
    assert loads_blueprint(text, path=target).model_dump() == bp.model_dump()
    again = answers_from(bp)
    assert to_data(again, target) == to_data(answers, target)
    labels = [k.en for k, _v in summary(bp)]
    for expected in ("iOS app", "Galaxy app", "Galaxy Wi-Fi", "Time zone", "Battery", "Device names", "Names CSV"):
        assert expected in labels


def test_nothing_answered_adds_no_section(tmp_path: Path) -> None:
    d = to_data(WizardAnswers(name="x", ios=dep_ios(), android=AndroidAnswers(
        package="com.example.agent", admin_receiver="com.example.agent/.R", apk_url="https://x.example/a.apk")),
        tmp_path / "x.toml")
    assert "apps" not in d["ios"] and "min_battery_percent" not in d["ios"]
    assert not {"apps", "setup", "min_battery_percent"} & set(d["android"]) and "naming" not in d


def test_galaxy_settings_stay_out_of_methods_without_adb(tmp_path: Path) -> None:
    an = AndroidAnswers(method="kme", kme_profile_name="P", setup=GalaxySetupAnswers(time_zone="Asia/Tokyo"),
                        battery=Battery(50))
    assert "setup" not in an.data() and "min_battery_percent" not in an.data()
    build(WizardAnswers(name="k", android=an), tmp_path / "k.toml")


def problems_of(answers: WizardAnswers, tmp_path: Path) -> list[Text]:
    with pytest.raises(BlueprintError) as err:
        build(answers, tmp_path / "bad.toml")
    return field_problems(err.value.problems)


def test_bad_answers_are_explained_under_the_fields_labels(tmp_path: Path) -> None:
    android = AndroidAnswers(package="com.example.agent", admin_receiver="com.example.agent/.R",
                             apk_url="https://x.example/a.apk",
                             setup=GalaxySetupAnswers(ssid="bench", security="wpa2", time_zone="Tokyo"))
    android.apps.install.append(AndroidAppFiles("com.example.app", 3, [("a.apk", "0" * 64)], ["CAMERA!"]))
    problems = problems_of(WizardAnswers(name="x", android=android, naming=NamingAnswers("fixed-name")), tmp_path)
    en = "\n".join(p.en for p in problems)
    ja = "\n".join(p.ja for p in problems)
    assert "Time zone: Tokyo is not a time zone" in en and "タイムゾーン: Tokyo はタイムゾーンではありません" in ja
    assert "Wi-Fi network: a wpa2 network needs the name of the secret" in en
    assert "Permissions to grant: not permission names: CAMERA!" in en and "付与する権限" in ja
    assert "Name pattern: give at least one variable, e.g. {serial}" in en and "名前のパターン" in ja
    assert "android.setup" not in en and "[0]" not in en  # labels, never TOML keys


def test_names_preview_and_csv(tmp_path: Path) -> None:
    assert preview_name("ACME-{n:03}-{serial}", 7) == "ACME-007-R58N12ABCDE"
    csv = tmp_path / "a.csv"
    # The wizard reads through the core's reader: a header that is no variable name is data, not an error.
    csv.write_bytes("\ufeffserial,asset_tag,部署\n".encode() + b"A,1,x\n")
    table = read_csv(csv)
    assert table.headers == ["serial", "asset_tag", "部署"] and variable_columns(table) == ["asset_tag"]
    csv.write_text("serial,asset_tag\nA,T1\nA,T2\n,T3\n", encoding="utf-8-sig")
    table = read_csv(csv)
    assert table.headers == ["serial", "asset_tag"] and table.rows[0] == {"serial": "A", "asset_tag": "T1"}
    assert preview_name("{asset_tag}-{n}", 1, table.rows[0]) == "T1-1"
    problems = [p.en for p in field_problems(naming_problems(NamingAnswers("{asset_tag}-{room}", csv_key="serial"),
                                                              table))]
    assert problems == ["Name pattern: unknown variable {room} (not a column of the CSV)",
                        "Key column: a.csv: A is in rows 2 and 3: one row per device"]
    # The same words a run would say (the core's reader, the core's message).
    with pytest.raises(CoreNamingError) as info:
        load_names_csv(csv, "serial")
    assert info.value.reason.en == "a.csv: A is in rows 2 and 3: one row per device"
    assert [p.ja for p in field_problems(naming_problems(NamingAnswers("{n}", csv_key="imei"), table))] == [
        "キー列: a.csv に列 imei（csv_key）がありません。列: serial, asset_tag"]
    csv.write_text("serial,asset_tag\nB,T1\n,T3\n", encoding="utf-8")
    assert [p.en for p in check_key(read_csv(csv), "serial")] == ["a.csv row 3: the serial cell is empty"]
    assert [p.en for _f, p in naming_problems(NamingAnswers("{asset_tag}"), None)] == [
        "unknown variable {asset_tag} (import a CSV with that column)"]
    csv.write_text("serial,slot\nA,1\n", encoding="utf-8")
    with pytest.raises(NamingError, match="built-in variable {slot}"):
        read_csv(csv)
    csv.write_text("serial,tag\nA,1,2\n", encoding="utf-8")
    with pytest.raises(NamingError, match="row 2 has 3 values but the header 2 columns"):
        read_csv(csv)
    csv.write_bytes(b"serial\n\xff\xfe\n")
    with pytest.raises(NamingError, match="UTF-8"):
        read_csv(csv)
