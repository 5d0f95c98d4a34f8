"""The ``.ipa`` files a blueprint installs: pinned by SHA-256, cached once, read like installd reads them.

Blocking code (file I/O, urllib): call it from a thread.

A file named by ``file`` is read from beside the blueprint (hashed each time) and copied once
into ``<data dir>/app-cache/<sha256>.ipa``; one named by ``url`` is downloaded once into the same
place and served from there afterwards (preflight fetches it, so a batch never downloads it again).
The steps install from the cache copy, hashing it again as they stream it: the bytes installed are
the bytes whose SHA-256 is the pin.

:func:`read_ipa_info` reads ``Payload/<X>.app/Info.plist`` out of the zip: bundle id, the two
versions (``CFBundleShortVersionString`` is what the blueprint's ``version`` means, as the App
Store shows it; ``CFBundleVersion`` is the build), device families and minimum iOS.
"""

from __future__ import annotations

import hashlib
import io
import plistlib
import re
import ssl
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from kitstation import paths
from kitstation.blueprints.apps import PinnedFile
from kitstation.blueprints.model import Blueprint
from kitstation.domain.model import PermanentError, TransientError
from kitstation.files import write_atomic
from kitstation.i18n import Text

DOWNLOAD_TIMEOUT = 120.0
CHUNK = 1024 * 1024
_APP_INFO = re.compile(r"^Payload/([^/]+\.app)/Info\.plist$")


class AppFileError(PermanentError):
    """A pinned app file that cannot be used (missing, not the pinned bytes, not an .ipa)."""


@dataclass(frozen=True, slots=True)
class IpaInfo:
    bundle_id: str
    short_version: str  # CFBundleShortVersionString ("1.2.3")
    bundle_version: str  # CFBundleVersion (the build)
    families: tuple[int, ...]  # UIDeviceFamily: 1 iPhone, 2 iPad
    min_os: str
    app: str  # "Scanner.app"


def cache_dir() -> Path:
    return paths.data_dir() / "app-cache"


def version_key(text: str) -> tuple[int, ...]:
    """A dotted version as numbers ("1.10" > "1.9"); what is not a number counts as 0."""
    out: list[int] = []
    for part in text.split("."):
        digits = re.match(r"\d*", part)
        out.append(int(digits.group(0)) if digits and digits.group(0) else 0)
    return tuple(out)


def read_ipa_info(data: bytes | Path, source: str) -> IpaInfo:
    """What the ``.ipa`` (bytes or a file) says it is; :class:`AppFileError` when it is not an ``.ipa``."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data)
        names = zf.namelist()
    except (zipfile.BadZipFile, ValueError):
        raise AppFileError(
            Text(
                "{f} is not an .ipa (not a zip archive)", "{f} は .ipa ではありません（zip アーカイブではありません）"
            ).format(f=source),
            code="app_not_ipa",
        ) from None
    found = [m.group(1) for m in map(_APP_INFO.match, names) if m]
    if not found:
        raise AppFileError(
            Text(
                "{f} is not an .ipa: it has no Payload/<name>.app/Info.plist",
                "{f} は .ipa ではありません: Payload/<名前>.app/Info.plist がありません",
            ).format(f=source),
            code="app_not_ipa",
        )
    try:
        info = plistlib.loads(zf.read(f"Payload/{found[0]}/Info.plist"))
    except Exception:
        info = None
    if not isinstance(info, dict) or not isinstance(info.get("CFBundleIdentifier"), str):
        raise AppFileError(
            Text(
                "{f}: the app's Info.plist cannot be read or has no CFBundleIdentifier",
                "{f}: アプリの Info.plist を読めないか、CFBundleIdentifier がありません",
            ).format(f=source),
            code="app_not_ipa",
        )
    build = str(info.get("CFBundleVersion", ""))
    families = info.get("UIDeviceFamily", [1])
    return IpaInfo(
        bundle_id=info["CFBundleIdentifier"],
        short_version=str(info.get("CFBundleShortVersionString", build)),
        bundle_version=build,
        families=tuple(int(f) for f in (families if isinstance(families, list) else [families]) if str(f).isdigit()),
        min_os=str(info.get("MinimumOSVersion", "")),
        app=found[0],
    )


def _mismatch(source: str, got: str, want: str) -> AppFileError:
    return AppFileError(
        Text(
            "{f} is not the pinned file (SHA-256 {got}…, the blueprint pins {want}…): fix the pin or the file",
            "{f} は指定のファイルではありません（SHA-256 {got}…、ブループリントの指定 {want}…）: 指定値またはファイルを確認してください",
        ).format(f=source, got=got[:16], want=want[:16]),
        code="app_sha256_mismatch",
    )


def _download(url: str) -> bytes:
    try:
        # A context per download: urlopen's own opener fixes its trust store at the first call
        # (Python 3.12+ builds it once), so a CA bundle set later (SSL_CERT_FILE) would be ignored.
        ctx = ssl.create_default_context()
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT, context=ctx) as resp:  # noqa: S310 - https from the blueprint
            data: bytes = resp.read()
            return data
    except urllib.error.HTTPError as exc:
        exc.close()  # the error holds the response and its socket
        reason = Text(
            "Downloading the app failed: HTTP {code} from {url}",
            "アプリのダウンロードに失敗しました: {url} から HTTP {code}",
        ).format(code=exc.code, url=url)
        if exc.code in (401, 403, 404, 410):
            raise AppFileError(reason, code="app_download_http") from None
        raise TransientError(reason, code="app_download_http") from None
    except (urllib.error.URLError, OSError) as exc:
        raise TransientError(
            Text("Cannot reach the app server ({url}): {e}", "アプリのサーバー（{url}）に接続できません: {e}").format(
                url=url, e=getattr(exc, "reason", exc)
            ),
            code="app_download_failed",
        ) from None


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def pinned_path(pin: PinnedFile, blueprint: Blueprint, cache: Path | None = None) -> tuple[Path, str]:
    """The pinned file as a verified copy in the cache, and where it came from (downloads once).

    A local file is hashed every time (so preflight sees a file changed since it was pinned) and
    copied into the cache once; the steps install from that copy, so the bytes sent to each device
    are the pinned bytes even if the file beside the blueprint changes mid-batch.
    """
    folder = cache if cache is not None else cache_dir()
    cached = folder / f"{pin.sha256}.ipa"
    if pin.file:
        path = blueprint.resolve(pin.file)
        try:
            digest = _hash_file(path)
        except OSError as exc:
            raise AppFileError(
                Text("Cannot read {f}: {e}", "{f} を読み込めません: {e}").format(f=path, e=exc.strerror or exc),
                code="app_file_missing",
            ) from None
        if digest != pin.sha256:
            raise _mismatch(str(path), digest, pin.sha256)
        if not (cached.is_file() and _hash_file(cached) == pin.sha256):
            folder.mkdir(parents=True, exist_ok=True)
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() != pin.sha256:
                raise _mismatch(str(path), hashlib.sha256(data).hexdigest(), pin.sha256)  # changed just now
            write_atomic(cached, data)
        return cached, str(path)
    if cached.is_file() and _hash_file(cached) == pin.sha256:
        return cached, pin.url
    data = _download(pin.url)
    digest = hashlib.sha256(data).hexdigest()
    if digest != pin.sha256:
        raise _mismatch(pin.url, digest, pin.sha256)
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(cached, data)  # never a half-written file under the digest's name
    return cached, pin.url
