"""The APKs of ``[android.apps]``: fetched once into the station's cache, pinned, and read as Android reads them.

Blocking code (file I/O, urllib): call it from an executor.

Cache: ``<apk_cache>/<sha256>.apk`` (the agent's cache). A file is taken from the cache when its
pinned SHA-256 is there; otherwise it is read (``file``) or downloaded (``url``), checked against
the pin and written atomically. Preflight fills the cache before the first device, so a batch
never downloads an APK again mid-way and every device gets the same bytes.

``check_app`` reads each APK's manifest and signature the way the package installer's session
does before it installs (``PackageInstallerSession.validateApkInstallLocked``): exactly one base
APK, every split of the base's package, versionCode and signer, the base's package and version
what the blueprint says, a base that requires splits not alone, a signature Android 11+ accepts
(not unsigned, not v1-only for an app targeting API 30+), and every permission to grant
requested by the manifest.
"""

from __future__ import annotations

import hashlib
import re
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from kitstation.android.apksig import SDK_V2_REQUIRED, ApkSignatureError, read_signing, signer_certificate
from kitstation.android.manifest import Manifest, ManifestError, read_manifest
from kitstation.blueprints.apps import AndroidApp, PinnedFile
from kitstation.blueprints.model import Blueprint
from kitstation.domain.model import PermanentError, TransientError
from kitstation.files import write_atomic
from kitstation.i18n import Text

DOWNLOAD_TIMEOUT = 120.0


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


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
            "Downloading the APK failed: HTTP {code} from {url}",
            "APK のダウンロードに失敗しました: {url} から HTTP {code}",
        ).format(code=exc.code, url=url)
        if exc.code in (401, 403, 404, 410):
            raise PermanentError(reason, code="app_download_http") from exc
        raise TransientError(reason, code="app_download_http") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise TransientError(
            Text("Cannot reach the APK server ({url}): {err}", "APK のサーバー（{url}）に接続できません: {err}").format(
                url=url, err=getattr(exc, "reason", exc)
            ),
            code="app_download_failed",
        ) from exc


def fetch_pinned(pinned: PinnedFile, blueprint: Blueprint, cache_dir: Path) -> Path:
    """The pinned file in the cache: from the cache when there, else read or downloaded once and checked."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    cached = cache_dir / f"{pinned.sha256}.apk"
    if cached.is_file() and sha256_file(cached) == pinned.sha256:
        return cached
    if pinned.file:
        path = blueprint.resolve(pinned.file)
        source = str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PermanentError(
                Text("Cannot read the APK {f}: {e}", "APK {f} を読み込めません: {e}").format(
                    f=path, e=exc.strerror or exc
                ),
                code="app_file_missing",
            ) from exc
    else:
        source = pinned.url
        data = _download(pinned.url)
    digest = hashlib.sha256(data).hexdigest()
    if digest != pinned.sha256:
        raise PermanentError(
            Text(
                "The APK from {src} is not the pinned one (SHA-256 {got}, the blueprint pins {want}): fix the blueprint"
                " or the file",
                "{src} の APK が指定のものと異なります（SHA-256 {got}、ブループリントの指定 {want}）:"
                " ブループリントまたはファイルを確認してください",
            ).format(src=source, got=digest[:16], want=pinned.sha256[:16]),
            code="app_sha256_mismatch",
        )
    write_atomic(cached, data)
    return cached


@dataclass(frozen=True)
class AppApk:
    """One APK of an app as the installer reads it."""

    path: Path
    sha256: str
    split: str | None  # None: the base
    version_code: int


@dataclass(frozen=True)
class AppFiles:
    """An app's APKs, base first, checked together."""

    package: str
    version_code: int
    apks: tuple[AppApk, ...]
    requested: frozenset[str] = field(default_factory=frozenset)

    @property
    def splits(self) -> tuple[str, ...]:
        return tuple(sorted(a.split for a in self.apks if a.split))


@dataclass(frozen=True)
class AppProblem:
    """What is wrong with an app's files: the blueprint key under the app, a bilingual reason, a code."""

    key: str
    reason: Text
    code: str


def _signature_problem(data: bytes, target_sdk: int) -> tuple[Text, str] | None:
    try:
        signing = read_signing(data)
    except ApkSignatureError as exc:
        return Text("not an APK Android can read ({e})", "Android が読める APK ではありません（{e}）").format(
            e=str(exc)
        ), ("app_unreadable")
    if signing.unsigned:
        return Text(
            "the APK is not signed (no v3, v2 or v1 signature): Android refuses it",
            "APK に署名がありません（v3・v2・v1 のいずれもなし）: Android はインストールしません",
        ), "app_unsigned"
    if signing.v1_only and target_sdk >= SDK_V2_REQUIRED:
        return Text(
            "the APK is signed with the old v1 (JAR) scheme only and targets API {t}: Android 11 and later refuse it"
            " (INSTALL_PARSE_FAILED_NO_CERTIFICATES); get a build signed with APK Signature Scheme v2 or v3",
            "APK は旧方式 v1（JAR）署名のみで API {t} をターゲットにしています: Android 11 以降はインストールしません"
            "（INSTALL_PARSE_FAILED_NO_CERTIFICATES）。APK 署名スキーム v2 または v3 で署名されたビルドを入手してください",
        ).format(t=target_sdk), "app_v1_only"
    return None


@dataclass(frozen=True)
class _Read:
    index: int
    path: Path
    manifest: Manifest
    cert: bytes | None
    data: bytes


def check_app(app: AndroidApp, paths: list[Path]) -> tuple[AppFiles | None, list[AppProblem]]:
    """Read the app's APKs (``paths`` in the blueprint's order) and say what Android would refuse."""
    problems: list[AppProblem] = []
    read: list[_Read] = []
    for j, path in enumerate(paths):
        data = path.read_bytes()
        try:
            manifest = read_manifest(data)
        except ManifestError as exc:
            problems.append(
                AppProblem(
                    f"apks[{j}]",
                    Text("the APK's manifest cannot be read ({e})", "APK のマニフェストを読み込めません（{e}）").format(
                        e=str(exc)
                    ),
                    "app_manifest_unreadable",
                )
            )
            continue
        try:
            cert = signer_certificate(data)
        except ApkSignatureError:
            cert = None
        read.append(_Read(j, path, manifest, cert.der if cert else None, data))
    if problems:
        return None, problems
    bases = [r for r in read if r.manifest.split is None]
    if len(bases) != 1:
        problems.append(
            AppProblem(
                "apks",
                Text(
                    "{n} base APKs (APKs without a split name): an app is one base APK and its splits",
                    "ベース APK（split 名のない APK）が {n} 個あります: アプリはベース APK 1 つとその split です",
                ).format(n=len(bases)),
                "app_no_base" if not bases else "app_two_bases",
            )
        )
        return None, problems
    bj, base, base_cert = bases[0].index, bases[0].manifest, bases[0].cert
    if base.package != app.package:
        problems.append(
            AppProblem(
                "package",
                Text(
                    "the base APK is the package {got}, the blueprint names {want}",
                    "ベース APK のパッケージは {got} ですが、ブループリントの指定は {want} です",
                ).format(got=base.package, want=app.package),
                "app_wrong_package",
            )
        )
    if app.version_code is not None and base.version_code != app.version_code:
        problems.append(
            AppProblem(
                "version_code",
                Text(
                    "the base APK has versionCode {got}, the blueprint expects {want}",
                    "ベース APK の versionCode は {got} ですが、ブループリントの指定は {want} です",
                ).format(got=base.version_code, want=app.version_code),
                "app_wrong_version",
            )
        )
    requested: set[str] = set()
    apks: list[AppApk] = []
    for r in read:
        j, path, m, split_cert, data = r.index, r.path, r.manifest, r.cert, r.data
        requested.update(m.uses_permissions)
        sig = _signature_problem(data, base.target_sdk)
        if sig is not None:
            problems.append(AppProblem(f"apks[{j}]", sig[0], sig[1]))
        if j != bj:
            why = None
            if m.package != base.package:
                why = Text("is a split of {p}, not of {b}", "は {b} ではなく {p} の split です").format(
                    p=m.package, b=base.package
                )
            elif m.version_code != base.version_code:
                why = Text("has versionCode {v}, the base {b}", "の versionCode は {v} で、ベースは {b} です").format(
                    v=m.version_code, b=base.version_code
                )
            elif split_cert != base_cert:
                why = Text("is signed by another key than the base", "はベースと異なる鍵で署名されています")
            if why is not None:
                problems.append(
                    AppProblem(
                        f"apks[{j}]",
                        Text("the split {s} ", "split {s} ").format(s=m.split)
                        + why
                        + Text(
                            ": Android refuses the set (INSTALL_FAILED_INVALID_APK)",
                            ": Android はこの組み合わせを拒否します（INSTALL_FAILED_INVALID_APK）",
                        ),
                        "app_split_mismatch",
                    )
                )
        apks.append(AppApk(path, sha256_file(path), m.split, m.version_code))
    if base.split_required and len(read) == 1:
        problems.append(
            AppProblem(
                "apks",
                Text(
                    "the base APK requires its split APKs (isSplitRequired) and the blueprint lists none: Android refuses"
                    " it (INSTALL_FAILED_MISSING_SPLIT)",
                    "ベース APK は split APK を必要とします（isSplitRequired）が、ブループリントにありません: Android は拒否します"
                    "（INSTALL_FAILED_MISSING_SPLIT）",
                ),
                "app_missing_split",
            )
        )
    undeclared = [p for p in app.grant if p not in requested]
    if undeclared:
        problems.append(
            AppProblem(
                "grant",
                Text(
                    "{p} not requested in the app's manifest (uses-permission): Android grants only permissions an app"
                    " requests",
                    "{p} はアプリのマニフェスト（uses-permission）で要求されていません: Android はアプリが要求する権限のみ付与します",
                ).format(p=", ".join(undeclared)),
                "app_permission_not_requested",
            )
        )
    base_first = sorted(apks, key=lambda a: a.split is not None)
    files = AppFiles(base.package, base.version_code, tuple(base_first), frozenset(requested))
    return (None if problems else files), problems


# --- what the device says about a package (dumpsys package PKG) ---------------------------------------
@dataclass(frozen=True)
class PackageState:
    """A package as ``dumpsys package`` shows it: version, splits and user 0's runtime grants."""

    package: str
    version_code: int
    splits: tuple[str, ...]
    runtime: dict[str, bool]


def parse_package_dump(dump: str, package: str) -> PackageState | None:
    """The ``Package [PKG]`` block of ``dumpsys package PKG``; None when the package is not installed."""
    start = dump.find(f"Package [{package}]")
    if start < 0:
        return None
    block = dump[start:]
    nxt = re.search(r"^\s{0,2}\S.*$", block[block.find("\n") + 1 :], re.M)  # next top-level line
    if nxt is not None:
        block = block[: block.find("\n") + 1 + nxt.start()]
    version = re.search(r"versionCode=(\d+)", block)
    splits = re.search(r"splits=\[([^\]]*)\]", block)
    names = tuple(s.strip() for s in splits.group(1).split(",") if s.strip() and s.strip() != "base") if splits else ()
    runtime: dict[str, bool] = {}
    user0 = re.search(r"User 0:.*?(?=\n\s{4}User \d+:|\Z)", block, re.S)
    if user0 is not None:
        for m in re.finditer(r"^\s+([\w.]+): granted=(true|false)", user0.group(0), re.M):
            runtime[m.group(1)] = m.group(2) == "true"
    return PackageState(package, int(version.group(1)) if version else 0, tuple(sorted(names)), runtime)


__all__ = [
    "AppApk",
    "AppFiles",
    "AppProblem",
    "PackageState",
    "check_app",
    "fetch_pinned",
    "parse_package_dump",
    "sha256_file",
]
