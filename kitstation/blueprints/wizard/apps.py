"""The wizard's app answers (iOS ``.ipa`` files, Galaxy APKs) and what the station reads from an ``.ipa``.

An ``.ipa`` is a zip holding one ``Payload/<Name>.app/`` folder; that bundle's ``Info.plist``
(XML or binary, both read by :mod:`plistlib`) names the bundle id (``CFBundleIdentifier``) and the
version the device reports after the install (``CFBundleShortVersionString``) — the top-level
``Payload/<name>.app/Info.plist`` only, as the device tools read it (tidevice's IPA reader), since
extensions carry Info.plists of their own deeper in the bundle. The technician
chooses a file; the wizard pins it by the SHA-256 of its bytes and fills in the rest from the file,
so a typo in a bundle id cannot reach the blueprint.

Reading an APK's manifest belongs to the Android adapter (``kitstation.android.manifest``, a layer
above this one): the GUI reads it and hands the package and version code in as answers.
"""

from __future__ import annotations

import hashlib
import plistlib
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kitstation.i18n import Text

# Payload/<anything>.app/Info.plist, and nothing deeper (a plug-in's Info.plist sits further down).
_INFO_PLIST = re.compile(r"^Payload/[^/]+\.app/Info\.plist$")


class AppFileError(ValueError):
    """A chosen app file the station cannot use, with the reason in both languages."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


def _source(location: str) -> dict[str, str]:
    """A pinned file's key: a blueprint opened for editing may name an https:// URL instead of a file."""
    return {"url": location} if location.startswith("https://") else {"file": location}


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file, read in chunks (an .ipa can be hundreds of MB; blocking: off the GUI thread)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class IOSAppFile:
    """One ``.ipa`` as the wizard shows it: where it is, what it says it is, and its pin."""

    file: str
    bundle_id: str
    version: str
    sha256: str

    def data(self) -> dict[str, Any]:
        d: dict[str, Any] = {"bundle_id": self.bundle_id, **_source(self.file), "sha256": self.sha256}
        if self.version:
            d["version"] = self.version
        return d


def read_ipa(path: str | Path) -> IOSAppFile:
    """Bundle id, version and SHA-256 of an ``.ipa`` (raises :class:`AppFileError` with the reason)."""
    p = Path(path)
    name = p.name
    try:
        with zipfile.ZipFile(p) as zf:
            plists = [n for n in zf.namelist() if _INFO_PLIST.match(n)]
            if len(plists) != 1:
                raise AppFileError(Text(
                    f"{name}: not an iOS app (.ipa): expected one Payload/<app>.app/Info.plist, found {len(plists)}",
                    f"{name}: iOS アプリ（.ipa）ではありません: Payload/<アプリ>.app/Info.plist が 1 つ必要ですが"
                    f" {len(plists)} 個あります",
                ))
            raw = zf.read(plists[0])
    except FileNotFoundError as exc:
        raise AppFileError(Text(f"{name}: file not found", f"{name}: ファイルが見つかりません")) from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise AppFileError(Text(f"{name}: not an iOS app (.ipa): {exc}",
                                f"{name}: iOS アプリ（.ipa）ではありません: {exc}")) from exc
    try:
        info = plistlib.loads(raw)
    except Exception as exc:  # plistlib raises InvalidFileException, ValueError or ExpatError
        raise AppFileError(Text(f"{name}: Info.plist cannot be read: {exc}",
                                f"{name}: Info.plist を読み取れません: {exc}")) from exc
    bundle = info.get("CFBundleIdentifier") if isinstance(info, dict) else None
    if not isinstance(bundle, str) or not bundle:
        raise AppFileError(Text(f"{name}: Info.plist has no CFBundleIdentifier",
                                f"{name}: Info.plist に CFBundleIdentifier がありません"))
    version = info.get("CFBundleShortVersionString", "")
    return IOSAppFile(file=str(p), bundle_id=bundle, version=str(version) if version else "",
                      sha256=file_sha256(p))


@dataclass
class AndroidAppFiles:
    """One Galaxy app: a base APK and its splits (installed together), read from their manifests."""

    package: str
    version_code: int | None
    files: list[tuple[str, str]]  # (path, sha256), base APK first
    grant: list[str] = field(default_factory=list)

    def data(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "package": self.package,
            "apks": [{**_source(f), "sha256": h} for f, h in self.files],
        }
        if self.version_code:
            d["version_code"] = self.version_code
        if self.grant:
            d["grant"] = list(self.grant)
        return d


def split_names(text: str) -> list[str]:
    """A list typed into one field: names separated by commas, spaces or new lines (duplicates dropped)."""
    out: list[str] = []
    for part in re.split(r"[\s,、]+", text):
        if part and part not in out:
            out.append(part)
    return out


@dataclass
class IOSAppsAnswers:
    install: list[IOSAppFile] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)

    def data(self) -> dict[str, Any] | None:
        if not self.install and not self.remove:
            return None
        return {"install": [a.data() for a in self.install], "remove": list(self.remove)}


@dataclass
class AndroidAppsAnswers:
    install: list[AndroidAppFiles] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)

    def data(self) -> dict[str, Any] | None:
        if not self.install and not self.remove:
            return None
        return {"install": [a.data() for a in self.install], "remove": list(self.remove)}


__all__ = [
    "AndroidAppFiles", "AndroidAppsAnswers", "AppFileError", "IOSAppFile", "IOSAppsAnswers", "file_sha256",
    "read_ipa", "split_names",
]  # fmt: skip
