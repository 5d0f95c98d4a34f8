"""The MDM agent APK: fetched from a URL or a file, pinned by SHA-256, cached; its signing checksum.

Blocking code (urllib, file I/O): call it from an executor.

Cache: ``<apk_cache>/<sha256>.apk``. A blueprint that pins ``sha256`` is served from the cache
without touching the network once the file is there; a download whose digest differs from the
pin is refused (a wrong or tampered agent must never become Device Owner).

Signature checksum (``PROVISIONING_DEVICE_ADMIN_SIGNATURE_CHECKSUM``, KME's "signature checksum"):
URL-safe base64 of the SHA-256 of the signing certificate's DER bytes, without ``=`` padding --
the form Android's provisioning compares against. The certificate is the one Android identifies
the signer by: APK Signature Scheme v3's first signer, else v2's, else the v1 (JAR) block's
(:mod:`kitstation.android.apksig`).

``check_signature`` tells the three ways an agent's signature can be wrong apart: unsigned,
v1 (JAR) only where Android 11+ requires v2/v3, or signed by another key than the pinned one.
"""

from __future__ import annotations

import base64
import hashlib
import os
import ssl
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from kitstation.android.apksig import SDK_V2_REQUIRED, ApkSignatureError, read_signing, signer_certificate
from kitstation.android.manifest import sdk_levels
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
    """DER certificate chain of the APK's signer by Android's order (v3, v2, v1); empty when unsigned."""
    try:
        signing = read_signing(apk)
    except ApkSignatureError as exc:
        raise ValueError(f"not an APK ({exc})") from exc
    for signers in (signing.v3, signing.v2):
        if signers and signers[0].certificates:
            return list(signers[0].certificates)
    return list(signing.v1_certificates)


def signature_checksum(apk: bytes) -> str:
    """URL-safe, unpadded base64 SHA-256 of the APK's signer certificate (v3, else v2, else v1)."""
    try:
        cert = signer_certificate(apk)
    except ApkSignatureError as exc:
        raise ValueError(f"not an APK ({exc})") from exc
    if cert is None:
        raise ValueError(
            "the APK is not signed (no APK Signature Scheme v3/v2 block, no v1 JAR signature); give the signature"
            " checksum in the blueprint (qr.signature_checksum) or pin the APK's sha256 to use its package checksum"
        )
    return b64url_nopad(cert.sha256)


def check_signature(apk: bytes, *, device_sdk: int | None = None, pinned: str = "") -> str:
    """The APK's signature checksum, or a PermanentError saying which way the signature is wrong.

    ``device_sdk``: the Android API level it will be installed on (Android 11+ refuses a v1-only
    APK that targets API 30+); ``pinned``: the signature checksum the blueprint expects.
    """
    try:
        signing = read_signing(apk)
    except ApkSignatureError as exc:
        raise PermanentError(
            Text(
                "The agent file is not an APK Android can read ({e}): check the blueprint's agent file or URL",
                "エージェントのファイルは Android が読める APK ではありません（{e}）: ブループリントのファイルまたは URL を確認してください",
            ).format(e=str(exc)),
            code="apk_unreadable",
        ) from exc
    if signing.unsigned:
        raise PermanentError(
            Text(
                "The agent APK is not signed at all (no v3, v2 or v1 signature): Android refuses it. Get a signed build"
                " from the MDM vendor.",
                "エージェント APK に署名がありません（v3・v2・v1 のいずれもなし）: Android はインストールしません。"
                "MDM ベンダーから署名済みのビルドを入手してください。",
            ),
            code="apk_unsigned",
        )
    levels = sdk_levels(apk)
    target = levels[1] if levels else 0
    if signing.v1_only and device_sdk is not None and device_sdk >= SDK_V2_REQUIRED and target >= SDK_V2_REQUIRED:
        raise PermanentError(
            Text(
                "The agent APK is signed with the old v1 (JAR) scheme only and targets API {t}: Android 11 and later"
                " refuse it (this device runs API {s}). Get a build signed with APK Signature Scheme v2 or v3 from the"
                " MDM vendor.",
                "エージェント APK は旧方式 v1（JAR）署名のみで API {t} をターゲットにしています: Android 11 以降は"
                "インストールしません（この端末は API {s}）。APK 署名スキーム v2 または v3 で署名されたビルドを MDM ベンダーから"
                "入手してください。",
            ).format(t=target, s=device_sdk),
            code="apk_v1_only",
        )
    cert = signer_certificate(apk)
    assert cert is not None
    checksum = b64url_nopad(cert.sha256)
    if pinned and pinned != checksum:
        raise PermanentError(
            Text(
                "The agent APK is signed by another key than the pinned one (signature checksum {got}, the blueprint"
                " expects {want}): a wrong or tampered agent must not become Device Owner",
                "エージェント APK の署名鍵が指定と異なります（署名チェックサム {got}、ブループリントの指定 {want}）:"
                " 誤った、または改ざんされたエージェントをデバイスオーナーにしてはいけません",
            ).format(got=checksum, want=pinned),
            code="apk_signature_mismatch",
        )
    return checksum


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
        # A context per download: urlopen's own opener fixes its trust store at the first call
        # (Python 3.12+ builds it once), so a CA bundle set later (SSL_CERT_FILE) would be ignored.
        ctx = ssl.create_default_context()
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT, context=ctx) as resp:  # noqa: S310 - http(s) from the blueprint
            data: bytes = resp.read()
            return data
    except urllib.error.HTTPError as exc:
        # An HTTPError is also the server's response, holding its connection: close it here, or
        # the socket is left to the garbage collector (ResourceWarning).
        exc.close()
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
