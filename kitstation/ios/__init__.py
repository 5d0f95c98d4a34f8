"""iOS kitting on pymobiledevice3: discovery, identity, Configurator-style Prepare, apps and DEP hand-off."""

from kitstation.ios.adapter import IOSAdapter
from kitstation.ios.certs import CertInfo, fetch_chain, load_certificates
from kitstation.ios.connect import IOSTiming
from kitstation.ios.identities import Identity, IdentityError, IdentityStore

__all__ = [
    "CertInfo",
    "IOSAdapter",
    "IOSTiming",
    "Identity",
    "IdentityError",
    "IdentityStore",
    "fetch_chain",
    "load_certificates",
]
