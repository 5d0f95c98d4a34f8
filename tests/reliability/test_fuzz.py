"""A seeded fuzzer over blueprints, profiles, identities, scans and CLI arguments: never a traceback.

Every input goes through ``kitstation.cli.main.main`` as a user would type it. Whatever the input,
the command must end with exit code 0, 1 or 2, print no traceback and no "Internal error" (the
CLI's name for a defect), however wrong the input is. Hypothesis runs derandomized (a fixed seed,
no example database); ``KITSTATION_RELIABILITY_TRIALS`` scales the number of examples.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kitstation.cli.main import main
from tests.reliability.conftest import ROOT, trials

_counter = itertools.count()


def _settings(per_trial: int) -> settings:
    return settings(
        max_examples=per_trial * trials(),
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def _cli(argv: list[str], stdin: bytes = b"") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        sys.stdin.close()
        sys.stdin = old_stdin
    return code, out.getvalue(), err.getvalue()


def _assert_clean(argv: list[str], code: int, err: str) -> None:
    assert code in (0, 1, 2), (argv, code, err[-2000:])
    assert "Traceback" not in err, (argv, err[-2000:])
    assert "Internal error" not in err and "内部エラー" not in err, (argv, err[-2000:])


def _new(tmp_path: Path, suffix: str) -> Path:
    return tmp_path / f"f{next(_counter)}{suffix}"


# Values a user (or a damaged file) can put anywhere: text with control and full-width characters,
# huge and non-finite numbers, deep nesting.
WEIRD = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "",
            "inf",
            "-inf",
            "nan",
            "1e400",
            "-1",
            "0",
            "99999999999999999999",
            "999999999d",
            "\x00",
            "\x1b[31m",
            "http://x",
            "１２３",
            "²³",
            "a" * 5000,
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
TOML_VALUE = st.recursive(
    st.one_of(st.text(max_size=40), st.integers(min_value=-(2**63), max_value=2**63 - 1), st.floats(), st.booleans()),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def _paths(d: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for k, v in d.items():
        out.append((*prefix, k))
        if isinstance(v, dict):
            out += _paths(v, (*prefix, k))
    return out


@st.composite
def mutated_blueprint(draw: st.DrawFn) -> bytes:
    """A valid example with one to three values replaced (or a key removed), or raw text."""
    kind = draw(st.sampled_from(["mutate", "mutate", "mutate", "raw", "deep"]))
    if kind == "raw":
        return draw(st.binary(max_size=300))
    if kind == "deep":
        depth = draw(st.integers(min_value=1, max_value=2000))
        return ("a = " + "[" * depth + "]" * depth + "\n").encode()
    data = tomllib.loads(draw(st.sampled_from(EXAMPLES)).read_text())
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(_paths(data)))
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()):
            parent[path[-1]] = draw(st.one_of(WEIRD.filter(lambda v: v == v), TOML_VALUE))  # TOML has no NaN-safe dump
        else:
            del parent[path[-1]]
    try:
        return tomli_w.dumps(data).encode()
    except (TypeError, ValueError):
        return b"name = 'x'\n"


@pytest.mark.slow
@_settings(40)
@given(text=mutated_blueprint())
def test_blueprint_validate(tmp_path: Path, text: bytes) -> None:
    # Beside the examples' files, so that relative paths (anchors, profiles, APKs) resolve.
    folder = tmp_path / "bp"
    if not folder.exists():
        folder.mkdir()
        (folder / "files").symlink_to(ROOT / "examples" / "files")
    path = _new(folder, ".toml")
    path.write_bytes(text)
    argv = ["blueprint", "validate", str(path)]
    code, _out, err = _cli(argv)
    _assert_clean(argv, code, err)


@pytest.mark.slow
@_settings(20)
@given(
    profile=st.one_of(
        st.binary(max_size=400),
        st.sampled_from([b"<?xml version='1.0'?><plist><dict><key>PayloadType", b"bplist00", b"<plist>" * 400]),
    )
)
def test_blueprint_with_a_damaged_profile(tmp_path: Path, profile: bytes) -> None:
    prof = _new(tmp_path, ".mobileconfig")
    prof.write_bytes(profile)
    bp = _new(tmp_path, ".toml")
    bp.write_text(f'name = "p"\n[ios]\nmethod = "supervise"\nerase = false\nprofiles = ["{prof.name}"]\n')
    argv = ["blueprint", "validate", str(bp)]
    code, _out, err = _cli(argv)
    _assert_clean(argv, code, err)


def _identity_seeds() -> list[bytes]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    from kitstation.ios.identities import generate_identity, keybag_pem

    cert, key = generate_identity("Fuzz")
    p12 = pkcs12.serialize_key_and_certificates(b"x", key, cert, None, serialization.BestAvailableEncryption(b"pw"))
    return [p12, keybag_pem(cert, key), cert.public_bytes(serialization.Encoding.DER)]


SEEDS = _identity_seeds()


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(data) - 1))
        data[at] = draw(st.integers(min_value=0, max_value=255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(min_value=0, max_value=len(data)))]
    return bytes(data)


@pytest.mark.slow
@_settings(25)
@given(
    data=damaged(),
    suffix=st.sampled_from([".p12", ".pem", ".der", ".pfx"]),
    passphrase=st.sampled_from([None, "", "pw", "wrong"]),
)
def test_identity_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes, suffix: str, passphrase: str | None
) -> None:
    path = _new(tmp_path, suffix)
    path.write_bytes(data)
    argv = ["identity", "import", str(path), "--name", path.stem]
    if passphrase is None:
        argv.append("--no-passphrase")
    else:
        monkeypatch.setenv("FUZZ_PASSPHRASE", passphrase)
        argv += ["--passphrase-env", "FUZZ_PASSPHRASE"]
    code, _out, err = _cli(argv)
    _assert_clean(argv, code, err)


@pytest.mark.slow
@_settings(25)
@given(
    lines=st.lists(
        st.one_of(
            st.binary(max_size=40),
            st.sampled_from(
                [
                    b"356938035643809",
                    b"\xef\xbc\x93\xef\xbc\x95\xef\xbc\x96",
                    b"\xc2\xb2\xc2\xb3",
                    b"\xff\xfe",
                    b"R58N1234567",
                    b"",
                ]
            ),
        ),
        max_size=8,
    ),
    options=st.lists(st.sampled_from(["--box", "--kme", "--json"]), max_size=3, unique=True),
    session=st.one_of(st.none(), st.sampled_from(["1", "0", "-1", "99999999999999999999", "abc"])),
)
def test_intake_scans(tmp_path: Path, lines: list[bytes], options: list[str], session: str | None) -> None:
    argv = ["intake", "--db", str(tmp_path / "intake.sqlite3"), *options]
    if session is not None:
        argv += ["--session", session]
    code, _out, err = _cli(argv, stdin=b"\n".join(lines) + b"\n")
    _assert_clean(argv, code, err)


# Options whose values the fuzzer chooses, per command; commands that would wait for devices or
# serve forever (prepare --wait, simulate, the GUI) are left out: their argument checks are the
# same argtypes these exercise.
COMMANDS: dict[str, list[str]] = {
    "log": ["--since", "--until", "--limit", "--platform", "--status", "--session", "--search"],
    "report": [
        "--since",
        "--until",
        "--format",
        "--title",
        "--tz",
        "--pdf-max-rows",
        "--session",
        "--abm-columns",
        "--lang",
    ],
    "prepare": [
        "--settle",
        "--timeout",
        "--max-active",
        "--limit",
        "--technician",
        "--usbmux",
        "--adb-port",
        "--blueprint",
    ],
    "qr": ["--blueprint", "--out", "--apk"],
    "profile wifi": ["--ssid", "--security", "--password-env"],
    "examples": [],
}
SAFE_NUMBERS = ["--settle", "--timeout"]


@pytest.mark.slow
@_settings(40)
@given(
    command=st.sampled_from(sorted(COMMANDS)),
    data=st.data(),
)
def test_cli_arguments(tmp_path: Path, command: str, data: st.DataObject) -> None:
    argv = command.split()
    db = tmp_path / "cli.sqlite3"
    if command in ("log", "report", "prepare"):
        argv += ["--db", str(db)]
    if command == "report":
        argv += ["--out", str(_new(tmp_path, ".out"))]
    options = COMMANDS[command]
    for opt in data.draw(st.lists(st.sampled_from(options), max_size=4, unique=True)) if options else []:
        value = data.draw(
            st.one_of(
                st.text(max_size=30),
                st.sampled_from(
                    [
                        "1e400",
                        "inf",
                        "nan",
                        "-1",
                        "0",
                        "999999999d",
                        "99999999999999999999",
                        "bogus=3",
                        "ios=-1",
                        "\x00",
                        "a" * 300,
                    ]
                ),
            )
        )
        if opt in SAFE_NUMBERS:
            # A valid large value would make prepare wait that long for devices: only bad ones here.
            value = data.draw(st.sampled_from(["1e400", "inf", "nan", "-1", "abc", "", "0"]))
        argv += [opt, value]
    if command == "prepare":
        argv += (
            ["--settle", "0", "-b", str(ROOT / "examples" / "ios-dep.toml")]
            if "--blueprint" not in argv
            else ["--settle", "0"]
        )
    code, _out, err = _cli(argv)
    _assert_clean(argv, code, err)
