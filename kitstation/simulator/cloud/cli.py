"""``kitstation simulate --cloud``: the stand-ins for a shell session, and their fault options.

Faults (``--cloud-fault SPEC``, repeatable):

* ``abm:expire-token[=N]`` / ``kme:expire-token[=N]`` -- the next N access tokens die after one call;
* ``abm:rate-limit=N[:SECONDS]`` / ``kme:rate-limit=N[:SECONDS]`` -- N calls answered 429 + Retry-After;
* ``abm:not-in-org=SERIAL`` -- this simulated iPhone is not in the Apple Business organization;
* ``kme:not-uploaded=IMEI`` -- this simulated Galaxy is not on the KME list;
* ``abm:fail=SERIAL`` / ``kme:fail=IMEI`` -- the assign activity/request fails for this device.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from kitstation.paths import write_private
from kitstation.simulator.cloud import CloudStandIns
from kitstation.simulator.cloud.abm import AbmFaults
from kitstation.simulator.cloud.kme import KmeFaults


@dataclass
class CloudFaults:
    abm: AbmFaults = field(default_factory=AbmFaults)
    kme: KmeFaults = field(default_factory=KmeFaults)
    not_in_org: set[str] = field(default_factory=set)
    not_uploaded: set[str] = field(default_factory=set)


def parse_cloud_faults(specs: Sequence[str]) -> CloudFaults:
    """The ``--cloud-fault`` specs; raises ValueError naming the bad one."""
    out = CloudFaults()
    for spec in specs:
        service, _, rest = spec.partition(":")
        name, _, value = rest.partition("=")
        target = out.abm if service == "abm" else out.kme if service == "kme" else None
        if target is None:
            raise ValueError(f"{spec!r}: start with abm: or kme:")
        try:
            if name == "expire-token":
                target.expire_tokens = int(value or "1")
            elif name == "rate-limit":
                count, _, seconds = value.partition(":")
                target.rate_limit = int(count)
                target.retry_after = int(seconds or "1")
            elif name == "fail" and value:
                if isinstance(target, AbmFaults):
                    target.fail_serials.add(value)
                else:
                    target.fail_devices.add(value)
            elif name == "not-in-org" and service == "abm" and value:
                out.not_in_org.add(value)
            elif name == "not-uploaded" and service == "kme" and value:
                out.not_uploaded.add(value)
            else:
                raise ValueError(f"{spec!r}: unknown fault")
        except ValueError as exc:
            raise ValueError(f"{spec!r}: {exc}") from exc
    return out


def start_cloud(
    ios_serials: Sequence[str], android: Sequence[tuple[str, str]], faults: CloudFaults | None = None
) -> CloudStandIns:
    """Stand-ins seeded with these devices; the demo API secrets written to owner-only files."""
    f = faults or CloudFaults()
    cloud = CloudStandIns(abm_faults=f.abm, kme_faults=f.kme).start()
    demo = cloud.seed_demo(
        ios_serials=[s for s in ios_serials if s not in f.not_in_org],
        android=[(i, s) for i, s in android if i not in f.not_uploaded and s not in f.not_uploaded],
    )
    write_private(cloud.folder / "demo-abm-key.pem", demo.abm_private_key_pem)
    write_private(cloud.folder / "demo-kme-secret.txt", demo.kme_client_secret.encode("ascii"))
    return cloud


def describe(cloud: CloudStandIns) -> list[str]:
    """The environment another shell needs, and how to import the demo credentials there."""
    assert cloud.demo is not None
    lines = [f"{k}={v}" for k, v in cloud.env().items()]
    lines.append(
        f"# Apple Business stand-in: MDM servers {', '.join(n for n, _ in cloud.abm.servers.values())}; {len(cloud.abm.devices)} devices"
    )
    lines.append(
        f"# KME stand-in: profiles {', '.join(cloud.kme.profiles.values())}; {len(cloud.kme.devices)} devices pending approval"
    )
    lines.append(
        f"# kitstation abm credentials import --customer CUSTOMER --client-id {cloud.demo.abm_client_id}"
        f" --key-id {cloud.demo.abm_key_id} {cloud.folder / 'demo-abm-key.pem'}"
    )
    lines.append(
        f"# kitstation kme credentials import --customer CUSTOMER --client-id {cloud.demo.kme_client_id}"
        f" {cloud.folder / 'demo-kme-secret.txt'}"
    )
    return lines
