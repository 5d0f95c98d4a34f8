"""The simulated package manager as adb drives it: install sessions, split APK rules, runtime grants."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from kitstation.android.appfiles import parse_package_dump
from kitstation.simulator.android import AndroidSimulator, build_apk, default_adb_path, wheel_adb_path
from kitstation.simulator.android.apk import demo_app_apks

PKG = "com.example.scanner"
CAMERA = "android.permission.CAMERA"
INTERNET = "android.permission.INTERNET"
BINARIES = {"debian": default_adb_path(), "wheel": wheel_adb_path()}


def _adb(sim: AndroidSimulator, serial: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, **sim.env)
    return subprocess.run(
        [sim.adb_path, "-s", serial, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _other_key() -> tuple[object, object]:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Another vendor")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _write(tmp: Path, name: str, data: bytes) -> str:
    path = tmp / name
    path.write_bytes(data)
    return str(path)


def _base(version: int = 5, **kw: object) -> bytes:
    return build_apk(PKG, None, version, split_required=True, permissions=(CAMERA, INTERNET), **kw)  # type: ignore[arg-type]


def _split(version: int = 5, name: str = "config.arm64_v8a", package: str = PKG, **kw: object) -> bytes:
    return build_apk(package, None, version, split=name, **kw)  # type: ignore[arg-type]


@pytest.fixture(params=sorted(BINARIES))
def cli_sim(request: pytest.FixtureRequest, android_sim_factory: Callable[..., AndroidSimulator]) -> AndroidSimulator:
    return android_sim_factory(adb_path=BINARIES[request.param])


def test_install_multiple_installs_base_and_split_together_and_reads_back(
    cli_sim: AndroidSimulator, tmp_path: Path
) -> None:
    g = cli_sim.plug("SM-S911B")
    base, split = _write(tmp_path, "base.apk", _base()), _write(tmp_path, "split.apk", _split())
    r = _adb(cli_sim, g.adb_serial, "install-multiple", base, split)
    assert (r.returncode, r.stdout.strip()) == (0, "Success"), r
    listed = _adb(cli_sim, g.adb_serial, "shell", "pm", "list", "packages", "--show-versioncode", PKG).stdout
    assert listed == f"package:{PKG} versionCode:5\n"
    state = parse_package_dump(_adb(cli_sim, g.adb_serial, "shell", "dumpsys", "package", PKG).stdout, PKG)
    assert state is not None and (state.version_code, state.splits) == (5, ("config.arm64_v8a",))
    assert state.runtime == {CAMERA: False}  # INTERNET is a normal permission: not a runtime one
    assert not g.install_sessions  # the commit closed the session


def test_a_base_that_requires_its_split_is_refused_alone(cli_sim: AndroidSimulator, tmp_path: Path) -> None:
    g = cli_sim.plug("SM-S911B")
    r = _adb(cli_sim, g.adb_serial, "install-multiple", _write(tmp_path, "base.apk", _base()))
    assert r.returncode != 0
    assert f"Failure [INSTALL_FAILED_MISSING_SPLIT: Missing split for {PKG}]" in r.stderr
    assert PKG not in g.installed_packages


@pytest.mark.parametrize(
    ("split", "android"),
    [
        (
            lambda: _split(name="config.xxhdpi", package="com.example.other"),
            "package com.example.other inconsistent with com.example.scanner",
        ),
        (lambda: _split(version=6), "version code 6 inconsistent with 5"),
        (lambda: _split(signing=_other_key()), "signatures are inconsistent"),
    ],
    ids=["other-package", "other-version", "other-signer"],
)
def test_splits_must_match_the_base(
    android_sim: AndroidSimulator, tmp_path: Path, split: Callable[[], bytes], android: str
) -> None:
    g = android_sim.plug("SM-S911B")
    base, other = _write(tmp_path, "base.apk", _base()), _write(tmp_path, "split.apk", split())
    r = _adb(android_sim, g.adb_serial, "install-multiple", base, other)
    assert r.returncode != 0 and "Failure [INSTALL_FAILED_INVALID_APK: " in r.stderr and android in r.stderr, r
    assert PKG not in g.installed_packages


def test_a_split_without_its_base_is_refused(android_sim: AndroidSimulator, tmp_path: Path) -> None:
    g = android_sim.plug("SM-S911B")
    r = _adb(android_sim, g.adb_serial, "install-multiple", _write(tmp_path, "split.apk", _split()))
    assert "Failure [INSTALL_FAILED_INVALID_APK: Full install must include a base package]" in r.stderr
    assert PKG not in g.installed_packages


def test_downgrade_and_another_signer_are_refused_and_the_installed_app_stays(
    android_sim: AndroidSimulator, tmp_path: Path
) -> None:
    g = android_sim.plug("SM-S911B")
    pair = [_write(tmp_path, "b7.apk", _base(7)), _write(tmp_path, "s7.apk", _split(7))]
    assert _adb(android_sim, g.adb_serial, "install-multiple", *pair).returncode == 0
    older = [_write(tmp_path, "b5.apk", _base(5)), _write(tmp_path, "s5.apk", _split(5))]
    r = _adb(android_sim, g.adb_serial, "install-multiple", "-r", *older)
    assert (
        "INSTALL_FAILED_VERSION_DOWNGRADE: Downgrade detected: Update version code 5 is older than current 7"
        in r.stderr
    )
    key = _other_key()
    resigned = [_write(tmp_path, "b8.apk", _base(8, signing=key)), _write(tmp_path, "s8.apk", _split(8, signing=key))]
    r = _adb(android_sim, g.adb_serial, "install-multiple", "-r", *resigned)
    assert f"INSTALL_FAILED_UPDATE_INCOMPATIBLE: Package {PKG} signatures do not match" in r.stderr
    assert g.installed_packages[PKG].version_code == 7


def test_v1_only_split_set_targeting_api_30_is_refused_on_android_11_plus(
    android_sim: AndroidSimulator, tmp_path: Path
) -> None:
    g = android_sim.plug("SM-S911B")
    files = [
        _write(tmp_path, "b.apk", _base(schemes=("v1",), target_sdk=33)),
        _write(tmp_path, "s.apk", _split(schemes=("v1",), target_sdk=33)),
    ]
    r = _adb(android_sim, g.adb_serial, "install-multiple", *files)
    assert "INSTALL_PARSE_FAILED_NO_CERTIFICATES" in r.stderr and "version 2 or newer" in r.stderr
    assert PKG not in g.installed_packages


def test_pm_grant_only_grants_runtime_permissions_the_app_requests(
    android_sim: AndroidSimulator, tmp_path: Path
) -> None:
    g = android_sim.plug("SM-S911B")
    files = [_write(tmp_path, "b.apk", _base()), _write(tmp_path, "s.apk", _split())]
    assert _adb(android_sim, g.adb_serial, "install-multiple", *files).returncode == 0
    ok = _adb(android_sim, g.adb_serial, "shell", "pm", "grant", PKG, CAMERA)
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, "", "")
    normal = _adb(android_sim, g.adb_serial, "shell", "pm", "grant", PKG, INTERNET)
    assert normal.returncode == 255 and "Exception occurred while executing 'grant':" in normal.stderr
    assert (
        f"java.lang.SecurityException: Permission {INTERNET} requested by package {PKG} is not a changeable"
        in normal.stderr
    )
    undeclared = _adb(android_sim, g.adb_serial, "shell", "pm", "grant", PKG, "android.permission.RECORD_AUDIO")
    assert f"Package {PKG} has not requested permission android.permission.RECORD_AUDIO" in undeclared.stderr
    unknown = _adb(android_sim, g.adb_serial, "shell", "pm", "grant", PKG, "com.example.NOPE")
    assert "java.lang.IllegalArgumentException: Unknown permission: com.example.NOPE" in unknown.stderr
    missing = _adb(android_sim, g.adb_serial, "shell", "pm", "grant", "com.example.none", CAMERA)
    assert "Unknown package: com.example.none" in missing.stderr
    dump = _adb(android_sim, g.adb_serial, "shell", "dumpsys", "package", PKG).stdout
    assert f"        {CAMERA}: granted=true" in dump and f"      {INTERNET}: granted=true" in dump
    state = parse_package_dump(dump, PKG)
    assert state is not None and state.runtime == {CAMERA: True}
    # Android 13 wording differs ("requested by PKG"); POST_NOTIFICATIONS does not exist before 13.
    old = android_sim.plug("SM-A525F")
    assert _adb(android_sim, old.adb_serial, "install-multiple", *files).returncode == 0
    r = _adb(android_sim, old.adb_serial, "shell", "pm", "grant", PKG, INTERNET)
    assert f"Permission {INTERNET} requested by {PKG} is not a changeable permission type" in r.stderr


def test_install_write_from_a_file_not_on_android_8(android_sim: AndroidSimulator) -> None:
    apks = demo_app_apks()
    android_8 = {"ro.build.version.sdk": "27", "ro.build.version.release": "8.1.0"}
    for props, answer in ((android_8, "Error: APK content must be streamed"), ({}, "Success: streamed")):
        g = android_sim.plug("SM-A305J", props=props)  # Android 8.1 (overridden) and Android 9
        g.write_file("/data/local/tmp/notes.apk", apks["kitstation-demo-notes.apk"])
        created = _adb(android_sim, g.adb_serial, "shell", "pm", "install-create", "-r").stdout
        assert created.startswith("Success: created install session [")
        session = created.strip().rsplit("[", 1)[1].rstrip("]")
        r = _adb(
            android_sim, g.adb_serial, "shell", "pm", "install-write", session, "base.apk", "/data/local/tmp/notes.apk"
        )
        assert r.stdout.startswith(answer), (props, r)
        commit = _adb(android_sim, g.adb_serial, "shell", "pm", "install-commit", session)
        if answer.startswith("Success"):
            assert commit.stdout.strip() == "Success"
            assert g.installed_packages["jp.kitstation.demo.notes"].version_code == 3
        else:
            assert "INSTALL_FAILED_INVALID_APK: No packages staged" in commit.stdout  # nothing was staged
        gone = _adb(android_sim, g.adb_serial, "shell", "pm", "install-abandon", session)
        assert gone.returncode == 255 and f"Caller has no access to session {session}" in gone.stderr


def test_adbutils_sees_the_installed_split_app(android_sim: AndroidSimulator, tmp_path: Path) -> None:
    g = android_sim.plug("SM-S911B")
    files = [_write(tmp_path, "b.apk", _base()), _write(tmp_path, "s.apk", _split())]
    assert _adb(android_sim, g.adb_serial, "install-multiple", *files).returncode == 0
    d = android_sim.client().device(g.adb_serial)
    info = d.app_info(PKG)
    assert info is not None and info.version_code == 5
    assert PKG in d.list_packages(["-3"])
    assert d.shell(["pm", "uninstall", PKG]).strip() == "Success"
    assert PKG not in g.installed_packages and not [f for f in g.files if PKG in f]
