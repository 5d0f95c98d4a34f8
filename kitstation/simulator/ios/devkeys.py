"""A simulated device's own RSA key (its ``DevicePublicKey``), made once per UDID per process.

Device keys are costly to make (2048-bit RSA) and are part of the device's identity: a device
re-plugged in the same process keeps its key, as a real one does.
"""

from __future__ import annotations

import threading

from cryptography.hazmat.primitives.asymmetric import rsa

_KEYS: dict[str, rsa.RSAPrivateKey] = {}
_KEYS_LOCK = threading.Lock()


def device_key(udid: str) -> rsa.RSAPrivateKey:
    with _KEYS_LOCK:
        if udid not in _KEYS:
            _KEYS[udid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return _KEYS[udid]
