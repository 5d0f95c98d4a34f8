"""Apps a blueprint installs after Prepare: iOS ``.ipa`` files and Galaxy APKs (split APKs too).

Every file is pinned by SHA-256: the station checks the hash before the first device is touched
(preflight) and installs exactly those bytes on every device of the batch. A file named by ``url``
is downloaded once into the station's cache and checked against the pin; it is never downloaded
again mid-batch.

::

    [[ios.apps.install]]
    bundle_id = "com.example.scanner"
    version = "1.2.3"             # CFBundleShortVersionString read back from the device
    file = "files/ios/scanner.ipa"
    sha256 = "…"

    [ios.apps]
    remove = ["com.example.oldapp"]

    [[android.apps.install]]
    package = "com.example.scanner"
    version_code = 42             # read back from the device (dumpsys package)
    grant = ["android.permission.CAMERA"]
    apks = [{ file = "files/android/scanner.apk", sha256 = "…" },
            { file = "files/android/scanner-split_config.arm64_v8a.apk", sha256 = "…" }]
"""

from __future__ import annotations

import re

from pydantic import Field, field_validator, model_validator

from kitstation.blueprints.base import Section

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_BUNDLE_ID = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
# Android package and permission names share Java's dotted-identifier shape.
PACKAGE_NAME = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+$")


def names_matching(value: list[str], pattern: re.Pattern[str], what: str) -> list[str]:
    """``value`` when every name in it matches ``pattern``; else ValueError naming the others."""
    bad = [v for v in value if not pattern.match(v)]
    if bad:
        raise ValueError(f"not {what}: {', '.join(bad)}")
    return value


def _sha256(value: str) -> str:
    value = value.strip().lower()
    if not _SHA256.match(value):
        raise ValueError("sha256 must be 64 hexadecimal digits")
    return value


class PinnedFile(Section):
    """One file by path (relative to the blueprint) or URL, and the SHA-256 it must have."""

    file: str = ""
    url: str = ""
    sha256: str

    _sha = field_validator("sha256")(_sha256)

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        if value and not value.startswith("https://"):
            raise ValueError("must be an https:// URL")
        return value

    @model_validator(mode="after")
    def _one_source(self) -> PinnedFile:
        if bool(self.file) == bool(self.url):
            raise ValueError("give exactly one of 'file' or 'url'")
        return self


class IOSApp(PinnedFile):
    """An ``.ipa`` installed through the installation proxy, verified by bundle id and version."""

    bundle_id: str
    version: str = ""  # CFBundleShortVersionString expected on the device ("" = any)

    @field_validator("bundle_id")
    @classmethod
    def _bundle(cls, value: str) -> str:
        if not _BUNDLE_ID.match(value):
            raise ValueError(f"{value!r} is not a bundle identifier (e.g. com.example.app)")
        return value


class IOSApps(Section):
    install: list[IOSApp] = Field(default_factory=list, max_length=100)
    remove: list[str] = Field(default_factory=list, max_length=100)  # bundle ids

    @field_validator("remove")
    @classmethod
    def _bundles(cls, value: list[str]) -> list[str]:
        return names_matching(value, _BUNDLE_ID, "bundle identifiers")

    @model_validator(mode="after")
    def _no_overlap(self) -> IOSApps:
        both = {a.bundle_id for a in self.install} & set(self.remove)
        if both:
            raise ValueError(f"both installed and removed: {', '.join(sorted(both))}")
        return self


class AndroidApp(Section):
    """An app from one APK or a base APK with its splits (installed together), verified by version code."""

    package: str
    version_code: int | None = Field(default=None, ge=1)  # expected on the device (None = any)
    apks: list[PinnedFile] = Field(min_length=1, max_length=50)
    grant: list[str] = Field(default_factory=list, max_length=100)  # runtime permissions

    @field_validator("package")
    @classmethod
    def _package(cls, value: str) -> str:
        if not PACKAGE_NAME.match(value):
            raise ValueError(f"{value!r} is not an Android package name")
        return value

    @field_validator("grant")
    @classmethod
    def _permissions(cls, value: list[str]) -> list[str]:
        return names_matching(value, PACKAGE_NAME, "permission names")


class AndroidApps(Section):
    install: list[AndroidApp] = Field(default_factory=list, max_length=100)
    remove: list[str] = Field(default_factory=list, max_length=100)  # package names

    @field_validator("remove")
    @classmethod
    def _packages(cls, value: list[str]) -> list[str]:
        return names_matching(value, PACKAGE_NAME, "Android package names")


__all__ = ["PACKAGE_NAME", "AndroidApp", "AndroidApps", "IOSApp", "IOSApps", "PinnedFile", "names_matching"]
