"""The MDM agent APK: fetched from a URL or a file, pinned by SHA-256, cached; its signing checksum.

Blocking code (urllib, file I/O): call it from an executor.

Cache: ``<apk_cache>/<sha256>.apk``. A blueprint that pins ``sha256`` is served from the cache
without touching the network once the file is there; a download whose digest differs from the
pin is refused (a wrong or tampered agent must never become Device Owner).

Signature checksum (``PROVISIONING_DEVICE_ADMIN_SIGNATURE_CHECKSUM``, KME's "signature checksum"):
URL-safe base64 of the SHA-256 of the signing certificate's DER bytes, without ``=`` padding --
the form Android's provisioning compares against. The certificate is read from the APK's v1
(JAR) signature block ``META-INF/*.RSA|*.DSA|*.EC`` (a PKCS#7 SignedData).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from kitstation.blueprints.android import AgentApk
from kitstation.blueprints.model import Blueprint
from kitstation.domain.model import PermanentError, TransientError
from kitstation.i18n import Text

DOWNLOAD_TIMEOUT = 60.0


@dataclass(frozen=True, slots=True)
class AgentFile:
    """An agent APK on disk (in the cache), with its SHA-256 (hex)."""

    path: Path
    sha256: str
    source: str  # the URL or file it came from


def b64url_nopad(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def signing_certificates(apk: bytes) -> list[bytes]:
    """DER certificates of the APK's v1 signature block (empty when it has none)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(apk))
    except zipfile.BadZipFile as exc:
        raise ValueError("not an APK (not a zip archive)") from exc
    with zf:
        for name in sorted(zf.namelist()):
            upper = name.upper()
            if upper.startswith("META-INF/") and upper.endswith((".RSA", ".DSA", ".EC")):
                certs = pkcs7.load_der_pkcs7_certificates(zf.read(name))
                return [c.public_bytes(serialization.Encoding.DER) for c in certs]
    return []


def signature_checksum(apk: bytes) -> str:
    """URL-safe, unpadded base64 SHA-256 of the APK's (first) signing certificate."""
    certs = signing_certificates(apk)
    if not certs:
        raise ValueError(
            "the APK has no v1 (JAR) signature block; give the signature checksum in the blueprint "
            "(qr.signature_checksum) or pin the APK's sha256 to use its package checksum"
        )
    return b64url_nopad(hashlib.sha256(certs[0]).digest())


def package_checksum(apk: bytes) -> str:
    """URL-safe, unpadded base64 SHA-256 of the APK file (``PROVISIONING_DEVICE_ADMIN_PACKAGE_CHECKSUM``)."""
    return b64url_nopad(hashlib.sha256(apk).digest())


def _mismatch(expected: str, got: str, source: str) -> PermanentError:
    return PermanentError(
        Text(
            "The agent APK from {src} is not the pinned one (SHA-256 {got}, expected {exp}): fix the blueprint or the server",
            "{src} のエージェント APK が指定のものと異なります（SHA-256 {got}、期待値 {exp}）。ブループリントまたはサーバーを確認してください",
        ).format(src=source, got=got[:16], exp=expected[:16]),
        code="apk_sha256_mismatch",
    )


def _download(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as resp:  # noqa: S310 - http(s) from the blueprint
            data: bytes = resp.read()
            return data
    except urllib.error.HTTPError as exc:
        reason = Text(
            "Downloading the agent APK failed: HTTP {code} from {url}",
            "エージェント APK のダウンロードに失敗しました: {url} から HTTP {code}",
        ).format(code=exc.code, url=url)
        if exc.code in (404, 401, 403, 410):
            raise PermanentError(reason, code="apk_download_http") from exc
        raise TransientError(reason, code="apk_download_http") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise TransientError(
            Text(
                "Cannot reach the agent APK server ({url}): {err}",
                "エージェント APK のサーバー（{url}）に接続できません: {err}",
            ).format(url=url, err=getattr(exc, "reason", exc)),
            code="apk_download_failed",
        ) from exc


def fetch_agent(agent: AgentApk, blueprint: Blueprint, cache_dir: Path) -> AgentFile:
    """The agent APK in the cache: from the cache when pinned and present, else read or downloaded."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    if agent.sha256:
        cached = cache_dir / f"{agent.sha256}.apk"
        if cached.is_file() and sha256_hex(cached.read_bytes()) == agent.sha256:
            return AgentFile(cached, agent.sha256, agent.file or agent.url)
    if agent.file:
        path = blueprint.resolve(agent.file)
        source = str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PermanentError(
                Text("Cannot read the agent APK {f}: {e}", "エージェント APK {f} を読み込めません: {e}").format(
                    f=path, e=exc.strerror or exc
                ),
                code="apk_missing",
            ) from exc
    else:
        source = agent.url
        data = _download(agent.url)
    digest = sha256_hex(data)
    if agent.sha256 and digest != agent.sha256:
        raise _mismatch(agent.sha256, digest, source)
    target = cache_dir / f"{digest}.apk"
    if not target.is_file():
        # Write then rename: a half-written file never sits in the cache under a digest name.
        fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".part")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    return AgentFile(target, digest, source)
