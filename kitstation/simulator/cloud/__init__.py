"""Local HTTPS stand-ins for Apple Business (and its token endpoint) and Knox Mobile Enrollment.

:class:`CloudStandIns` starts both on 127.0.0.1 with a CA made for this run, seeds an
organization, and gives the environment that points the station's clients at them
(:meth:`CloudStandIns.env`). ``kitstation simulate --cloud`` and the simulated bench use it.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kitstation.abm.jwt import new_private_key_pem, public_key_of
from kitstation.simulator.cloud.abm import AbmFaults, AbmStandIn
from kitstation.simulator.cloud.kme import KmeFaults, KmeStandIn
from kitstation.simulator.cloud.server import HttpsStandIn
from kitstation.simulator.cloud.tls import TlsFiles, make_tls

__all__ = ["AbmFaults", "AbmStandIn", "CloudStandIns", "DemoAccounts", "KmeFaults", "KmeStandIn"]

DEMO_MDM_SERVER = "CLOMO MDM"  # the name the examples/ blueprints give
DEMO_KME_PROFILE = "SMSM Agent"


@dataclass(frozen=True)
class DemoAccounts:
    """The API credentials the stand-ins accept for the simulated organization (demo values only)."""

    abm_client_id: str
    abm_key_id: str
    abm_private_key_pem: bytes
    kme_client_id: str
    kme_client_secret: str


class CloudStandIns:
    def __init__(
        self,
        *,
        folder: Path | None = None,
        abm_faults: AbmFaults | None = None,
        kme_faults: KmeFaults | None = None,
        activity_polls: int = 1,
        page_cap: int = 1000,
    ) -> None:
        self._own_folder = folder is None
        self.folder = Path(tempfile.mkdtemp(prefix="kitstation-cloud-")) if folder is None else folder
        self.abm = AbmStandIn(activity_polls=activity_polls, page_cap=page_cap, faults=abm_faults)
        self.kme = KmeStandIn(page_cap=page_cap, faults=kme_faults)
        self.tls: TlsFiles | None = None
        self._servers: list[HttpsStandIn] = []
        self._abm_http: HttpsStandIn | None = None
        self._kme_http: HttpsStandIn | None = None
        self.demo: DemoAccounts | None = None

    def start(self) -> CloudStandIns:
        self.tls = make_tls(self.folder)
        self._abm_http = HttpsStandIn(self.abm.handle, self.tls)
        self._kme_http = HttpsStandIn(self.kme.handle, self.tls)
        for s in (self._abm_http, self._kme_http):
            s.start()
            self._servers.append(s)
        self.abm.base_url = self._abm_http.url
        self.kme.base_url = self._kme_http.url
        return self

    def stop(self) -> None:
        for s in reversed(self._servers):
            s.stop()
        self._servers.clear()
        if self._own_folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> CloudStandIns:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def env(self) -> dict[str, str]:
        """What points the clients at the stand-ins (and makes them trust this run's CA)."""
        assert self._abm_http is not None and self._kme_http is not None and self.tls is not None, "start() first"
        abm, kme = self._abm_http.url, self._kme_http.url
        return {
            "KITSTATION_ABM_API_URL": abm + "/v1",
            "KITSTATION_ABM_TOKEN_URL": abm + "/auth/oauth2/token",
            "KITSTATION_ABM_AUDIENCE": abm + "/auth/oauth2/v2/token",
            "KITSTATION_KME_API_URL": kme,
            "KITSTATION_KME_TOKEN_URL": kme + "/ams/v1/oauth2/token",
            "KITSTATION_CLOUD_CA": str(self.tls.ca_cert),
        }

    def seed_demo(self, *, ios_serials: list[str] = (), android: list[tuple[str, str]] = ()) -> DemoAccounts:  # type: ignore[assignment]
        """A demo organization: one MDM server, one KME profile, these devices, one API account each.

        ``android`` is (IMEI, serial) pairs, put on the KME list as a reseller's pending upload.
        """
        pem = new_private_key_pem()
        demo = DemoAccounts(
            abm_client_id="BUSINESSAPI." + secrets.token_hex(8),
            abm_key_id=secrets.token_hex(8),
            abm_private_key_pem=pem,
            kme_client_id="kme-" + secrets.token_hex(8),
            kme_client_secret=secrets.token_urlsafe(24),
        )
        self.abm.add_account(demo.abm_client_id, demo.abm_key_id, public_key_of(pem))
        self.abm.add_server(DEMO_MDM_SERVER)
        self.abm.add_server("Devices Added by Apple Configurator", "APPLE_CONFIGURATOR")
        for serial in ios_serials:
            self.abm.add_device(serial)
        self.kme.add_client(demo.kme_client_id, demo.kme_client_secret)
        self.kme.add_profile(DEMO_KME_PROFILE)
        for imei, serial in android:
            self.kme.add_device(imei, serial)
        self.demo = demo
        return demo
