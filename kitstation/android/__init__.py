"""Samsung Galaxy kitting over adb (adbutils): discovery, identity, Device Owner, KME, QR provisioning.

* :class:`AndroidAdapter` (``kitstation.android.adapter``) -- the platform adapter the bench uses;
* ``kitstation.android.steps`` -- the ``android.*`` steps;
* ``kitstation.android.qr`` -- Android Enterprise provisioning QR codes;
* ``kitstation.android.apk`` -- agent APK fetch/pin/cache and signature checksum;
* ``kitstation.android.models`` -- model codes to marketing names.

``AndroidAdapter`` is imported lazily so that ``kitstation.android.qr`` (used by the CLI's ``qr``
command) does not load adbutils.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kitstation.android.adapter import AndroidAdapter

__all__ = ["AndroidAdapter"]


def __getattr__(name: str) -> Any:
    if name == "AndroidAdapter":
        from kitstation.android.adapter import AndroidAdapter

        return AndroidAdapter
    raise AttributeError(name)
