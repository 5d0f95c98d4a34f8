"""The blueprint: what a station applies to every device of a batch, per platform."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, PrivateAttr, model_validator

from kitstation.blueprints.android import AndroidOptions
from kitstation.blueprints.base import Section
from kitstation.blueprints.cloud import AbmAssignment, KmeAssignment
from kitstation.blueprints.ios import IOSOptions
from kitstation.blueprints.naming import Naming

SCHEMA_VERSION = 1


class Customer(Section):
    name: str = ""
    order_ref: str = ""


class Blueprint(Section):
    schema_version: int = Field(default=SCHEMA_VERSION, ge=1, le=SCHEMA_VERSION)
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    customer: Customer = Field(default_factory=Customer)
    ios: IOSOptions | None = None
    android: AndroidOptions | None = None
    # Cloud hand-offs the station does itself after Prepare (kitstation.blueprints.cloud).
    abm: AbmAssignment | None = None
    kme: KmeAssignment | None = None
    # Each device renamed from a pattern (kitstation.blueprints.naming).
    naming: Naming | None = None

    # Where the blueprint was loaded from: relative file references resolve against its folder.
    _source: Path | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _some_platform(self) -> Blueprint:
        if self.ios is None and self.android is None:
            raise ValueError("a blueprint needs an [ios] or an [android] section (or both)")
        if self.abm is not None and self.ios is None:
            raise ValueError("[abm] assigns iPhones/iPads: it needs an [ios] section")
        if self.kme is not None and self.android is None:
            raise ValueError("[kme] assigns Galaxy phones: it needs an [android] section")
        return self

    def cloud_customer(self, section: AbmAssignment | KmeAssignment) -> str:
        """Whose API credentials a cloud section uses: its own ``customer``, else the blueprint's."""
        return section.customer or self.customer.name

    @property
    def source(self) -> Path | None:
        return self._source

    def resolve(self, relative: str) -> Path:
        """A file named in the blueprint, relative to the blueprint's own folder."""
        path = Path(relative).expanduser()
        if path.is_absolute() or self._source is None:
            return path
        return self._source.parent / path

    def referenced_files(self) -> list[str]:
        """Every file the blueprint names (anchors, profiles, identity, APKs, apps, naming CSV), as written."""
        files: list[str] = []
        if self.ios is not None:
            i = self.ios
            if i.mdm_server is not None:
                files += i.mdm_server.anchor_certificates
            if i.supervision_identity is not None and i.supervision_identity.file:
                files.append(i.supervision_identity.file)
            if i.wifi_profile:
                files.append(i.wifi_profile)
            files += i.profiles
            if i.enrollment_profile:
                files.append(i.enrollment_profile)
            if i.apps is not None:
                files += [a.file for a in i.apps.install if a.file]
        if self.android is not None and self.android.agent is not None and self.android.agent.file:
            files.append(self.android.agent.file)
        if self.android is not None and self.android.apps is not None:
            files += [apk.file for app in self.android.apps.install for apk in app.apks if apk.file]
        if self.naming is not None and self.naming.csv:
            files.append(self.naming.csv)
        return files
