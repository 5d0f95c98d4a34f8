"""Trust anchors under the name the GUI's Prepare wizard looks for (``kitstation.ios.trust``).

The implementation lives in :mod:`kitstation.ios.certs`; this module only gives it the second
address so the wizard's "fetch from server" button shows the whole chain, not just the leaf.
"""

from __future__ import annotations

from kitstation.ios.certs import CertInfo, cert_info, fetch_chain, load_certificates

__all__ = ["CertInfo", "cert_info", "fetch_chain", "load_certificates"]
