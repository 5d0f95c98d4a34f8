"""What blueprint validation checks offline beyond the schema: limits, text, and the files themselves.

The schema (pydantic) says which keys and types a blueprint has. These checks catch what it lets
through and what would otherwise fail only on a device -- after every phone of a batch was erased:

* size and nesting limits, checked before the schema (a deeply nested file is a clear error, not
  a ``RecursionError``);
* text: no control characters (terminal escapes in a name would repaint the technician's terminal
  or a report), the Wi-Fi SSID at most 32 bytes (IEEE 802.11) and without NUL;
* the MDM server URL is ``https://`` (Apple's com.apple.mdm ``ServerURL``: "must begin with the
  'https://' URL scheme");
* referenced files: each trust anchor parses as an X.509 certificate, a ``.p12`` supervision
  identity is a PKCS#12 structure, and a local agent APK matches its pinned ``sha256``.

Each problem is (field path, bilingual message), as the loader reports schema errors.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kitstation.i18n import Text

if TYPE_CHECKING:
    from kitstation.blueprints.model import Blueprint

MAX_BYTES = 1_000_000  # a blueprint is a page of options: a megabyte is a wrong file
MAX_DEPTH = 16  # tables within tables: the format uses 3
MAX_SSID_BYTES = 32
MULTILINE_FIELDS = frozenset({"custom_json", "text", "description", "address"})

Problem = tuple[str, Text]


def text_limits(text: str) -> list[Problem]:
    """Limits checked on the raw text, before parsing."""
    return size_limit(len(text.encode("utf-8", "surrogatepass")))


def size_limit(size: int) -> list[Problem]:
    """A blueprint of ``size`` bytes: too large?"""
    if size > MAX_BYTES:
        return [
            (
                "",
                Text(
                    f"too large for a blueprint ({size} bytes, at most {MAX_BYTES})",
                    f"ブループリントとしては大きすぎます（{size} バイト、最大 {MAX_BYTES}）",
                ),
            )
        ]
    return []


def _walk(value: Any, path: str, depth: int) -> Iterator[tuple[str, Any, int]]:
    yield path, value, depth
    if depth > MAX_DEPTH:
        return
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, f"{path}.{k}" if path else str(k), depth + 1)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, f"{path}[{i}]", depth + 1)


def _bad_char(value: str, multiline: bool) -> str | None:
    for ch in value:
        if multiline and ch in "\t\n\r":
            continue
        if ch == "\t":
            continue
        if not ch.isprintable():
            return ch
    return None


def data_problems(data: dict[str, Any]) -> list[Problem]:
    """Nesting depth and control characters, on the parsed data (before the schema)."""
    problems: list[Problem] = []
    for path, value, depth in _walk(data, "", 0):
        if depth > MAX_DEPTH:
            return [
                (
                    path,
                    Text(
                        f"nested too deeply (more than {MAX_DEPTH} levels)",
                        f"入れ子が深すぎます（{MAX_DEPTH} 階層まで）",
                    ),
                )
            ]
        if isinstance(value, str):
            field = path.rsplit(".", 1)[-1]
            bad = _bad_char(value, field in MULTILINE_FIELDS)
            if bad is not None:
                problems.append(
                    (
                        path,
                        Text(
                            f"contains a control character (U+{ord(bad):04X}, e.g. a terminal escape)",
                            f"制御文字（U+{ord(bad):04X}、端末のエスケープなど）が含まれています",
                        ),
                    )
                )
    return problems


def _ssid(path: str, ssid: str) -> list[Problem]:
    if "\x00" in ssid:
        return [(path, Text("must not contain NUL", "NUL 文字は使用できません"))]
    n = len(ssid.encode("utf-8"))
    if n > MAX_SSID_BYTES:
        return [
            (
                path,
                Text(
                    f"is {n} bytes in UTF-8; a Wi-Fi SSID holds at most {MAX_SSID_BYTES}",
                    f"UTF-8 で {n} バイトです。Wi-Fi の SSID は最大 {MAX_SSID_BYTES} バイトです",
                ),
            )
        ]
    return []


def model_problems(bp: Blueprint) -> list[Problem]:
    """Checks on the validated blueprint that need no file."""
    problems: list[Problem] = []
    ios = bp.ios
    if ios is not None:
        if ios.mdm_server is not None and not ios.mdm_server.url.startswith("https://"):
            problems.append(
                (
                    "ios.mdm_server.url",
                    Text(
                        "must be an https:// URL (Apple requires HTTPS for MDM)",
                        "https:// の URL を指定してください（Apple の MDM は HTTPS 必須です）",
                    ),
                )
            )
        if ios.wifi is not None:
            problems += _ssid("ios.wifi.ssid", ios.wifi.ssid)
    android = bp.android
    if android is not None and android.qr is not None and android.qr.wifi is not None:
        problems += _ssid("android.qr.wifi.ssid", android.qr.wifi.ssid)
    return problems


def _certificate(data: bytes) -> str | None:
    """None when ``data`` is a PEM or DER X.509 certificate, else why not."""
    from cryptography import x509

    try:
        if b"-----BEGIN" in data:
            x509.load_pem_x509_certificate(data)
        else:
            x509.load_der_x509_certificate(data)
    except ValueError as exc:
        return str(exc).splitlines()[0] if str(exc) else "not a certificate"
    return None


def _der_header(data: bytes, at: int) -> tuple[int, int, int] | None:
    """(tag, content start, content length) of the DER element at ``at``."""
    if at + 2 > len(data):
        return None
    tag, first = data[at], data[at + 1]
    if first < 0x80:
        return tag, at + 2, first
    n = first & 0x7F
    if n == 0 or n > 4 or at + 2 + n > len(data):
        return None
    return tag, at + 2 + n, int.from_bytes(data[at + 2 : at + 2 + n], "big")


PKCS7_DATA = bytes.fromhex("2a864886f70d010701")  # 1.2.840.113549.1.7.1
PKCS7_SIGNED = bytes.fromhex("2a864886f70d010702")  # 1.2.840.113549.1.7.2


def is_pkcs12(data: bytes) -> bool:
    """RFC 7292's PFX shape: SEQUENCE { INTEGER 3, ContentInfo { data | signedData, ... }, ... }.

    Checked without the passphrase (which stays a secret asked for at run time).
    """
    outer = _der_header(data, 0)
    if outer is None or outer[0] != 0x30 or outer[1] + outer[2] > len(data):
        return False
    version = _der_header(data, outer[1])
    if version is None or version[0] != 0x02 or data[version[1] : version[1] + version[2]] != b"\x03":
        return False
    content = _der_header(data, version[1] + version[2])
    if content is None or content[0] != 0x30:
        return False
    oid = _der_header(data, content[1])
    return oid is not None and oid[0] == 0x06 and data[oid[1] : oid[1] + oid[2]] in (PKCS7_DATA, PKCS7_SIGNED)


def _read(bp: Blueprint, rel: str) -> bytes | None:
    try:
        return bp.resolve(rel).read_bytes()
    except OSError:
        return None  # the loader reports missing files itself


def file_problems(bp: Blueprint) -> list[Problem]:
    """Checks on the files the blueprint references (those that exist)."""
    problems: list[Problem] = []
    ios = bp.ios
    if ios is not None:
        anchors = ios.mdm_server.anchor_certificates if ios.mdm_server is not None else []
        for i, rel in enumerate(anchors):
            data = _read(bp, rel)
            why = _certificate(data) if data is not None else None
            if why is not None:
                problems.append(
                    (
                        f"ios.mdm_server.anchor_certificates[{i}]",
                        Text(
                            f"{rel} is not an X.509 certificate: {why}", f"{rel} は X.509 証明書ではありません: {why}"
                        ),
                    )
                )
        ident = ios.supervision_identity
        if ident is not None and ident.file:
            data = _read(bp, ident.file)
            if data is not None:
                if Path(ident.file).suffix.lower() in (".p12", ".pfx"):
                    if not is_pkcs12(data):
                        problems.append(
                            (
                                "ios.supervision_identity.file",
                                Text(
                                    f"{ident.file} is not a PKCS#12 (.p12) file",
                                    f"{ident.file} は PKCS#12（.p12）ファイルではありません",
                                ),
                            )
                        )
                elif b"PRIVATE KEY-----" not in data or _certificate(data) is not None:
                    problems.append(
                        (
                            "ios.supervision_identity.file",
                            Text(
                                f"{ident.file} must be a .p12, or a PEM file with the certificate and its private key",
                                f"{ident.file} は .p12、または証明書と秘密鍵を含む PEM ファイルである必要があります",
                            ),
                        )
                    )
    agent = bp.android.agent if bp.android is not None else None
    if agent is not None and agent.file and agent.sha256:
        data = _read(bp, agent.file)
        if data is not None:
            actual = hashlib.sha256(data).hexdigest()
            if actual != agent.sha256:
                problems.append(
                    (
                        "android.agent.sha256",
                        Text(
                            f"does not match {agent.file} (its SHA-256 is {actual})",
                            f"{agent.file} と一致しません（実際の SHA-256 は {actual}）",
                        ),
                    )
                )
    return problems
