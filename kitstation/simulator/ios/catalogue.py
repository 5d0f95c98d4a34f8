"""Catalogue of simulated Apple models and the identities a device is born with.

The table holds recent iPhones and iPads with the values their lockdownd reports: product type
(``iPhone15,4``), board name (``HardwareModel``), chip ID (the first half of a modern UDID), whether
the model has a cellular modem (only those report an IMEI), and the iOS releases (16–18) the
simulator may give them. Identities (UDID, ECID, serial, IMEI, MAC addresses) come from a seeded
``random.Random`` so a given ``--seed`` always produces the same fleet.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from kitstation.core.barcode import luhn_check_digit
from kitstation.core.barcode import luhn_valid as luhn_valid  # re-exported: the package offers it

# (ProductVersion, BuildVersion) of public releases; a model only gets releases it can run.
IOS_RELEASES: tuple[tuple[str, str], ...] = (
    ("16.7.10", "20H350"),
    ("17.5.1", "21F90"),
    ("17.6.1", "21G93"),
    ("17.7", "21H16"),
    ("18.0", "22A3354"),
    ("18.1", "22B83"),
    ("18.2", "22C152"),
    ("18.3.2", "22D82"),
    ("18.5", "22F76"),
)


@dataclass(frozen=True)
class Model:
    """One hardware model as lockdownd describes it."""

    product_type: str
    marketing_name: str
    hardware_model: str
    chip_id: int
    device_class: str  # "iPhone" or "iPad"
    cellular: bool
    min_version: str  # oldest iOS the model shipped with (it never runs anything older)
    tac: str = ""  # IMEI type allocation code (8 digits) for cellular models
    model_number: str = ""


MODELS: tuple[Model, ...] = (
    Model("iPhone14,6", "iPhone SE (3rd generation)", "D49AP", 0x8110, "iPhone", True, "15.4", "35392811", "MMXF3"),
    Model("iPhone14,7", "iPhone 14", "D27AP", 0x8110, "iPhone", True, "16.0", "35467236", "MPUF3"),
    Model("iPhone15,2", "iPhone 14 Pro", "D73AP", 0x8120, "iPhone", True, "16.0", "35297448", "MQ0D3"),
    Model("iPhone15,4", "iPhone 15", "D37AP", 0x8120, "iPhone", True, "17.0", "35894716", "MTP03"),
    Model("iPhone16,1", "iPhone 15 Pro", "D83AP", 0x8130, "iPhone", True, "17.0", "35150931", "MTUV3"),
    Model("iPhone17,3", "iPhone 16", "D47AP", 0x8140, "iPhone", True, "18.0", "35702539", "MYE73"),
    Model("iPhone17,1", "iPhone 16 Pro", "D93AP", 0x8140, "iPhone", True, "18.0", "35628374", "MYNE3"),
    Model("iPad13,18", "iPad (10th generation)", "J271AP", 0x8101, "iPad", False, "16.1", "", "MPQ03"),
    Model("iPad13,19", "iPad (10th generation)", "J272AP", 0x8101, "iPad", True, "16.1", "35480012", "MQ6K3"),
    Model("iPad14,8", "iPad Air 11-inch (M2)", "J507AP", 0x8112, "iPad", False, "17.4", "", "MUWD3"),
    Model("iPad16,1", "iPad mini (A17 Pro)", "J410AP", 0x8130, "iPad", False, "18.0", "", "MXN73"),
    Model("iPad16,2", "iPad mini (A17 Pro)", "J411AP", 0x8130, "iPad", True, "18.0", "35011877", "MXPN3"),
    Model("iPad16,3", "iPad Pro 11-inch (M4)", "J717AP", 0x8132, "iPad", False, "17.5", "", "MVV83"),
)

MODELS_BY_TYPE: dict[str, Model] = {m.product_type: m for m in MODELS}

# Modern serials are 10 characters; Apple avoids vowels, and so do we (no look-alike O/0, I/1).
_SERIAL_ALPHABET = "BCDFGHJKLMNPQRTVWXYZ0123456789"


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def releases_for(model: Model) -> list[tuple[str, str]]:
    """The iOS releases of the catalogue this model can run."""
    return [r for r in IOS_RELEASES if _version_key(r[0]) >= _version_key(model.min_version)]


def find_model(name: str) -> Model:
    """Look a model up by product type (``iPhone15,4``) or marketing name (case-insensitive).

    Raises ``KeyError`` listing what exists, so a typo in a demo script says what to type.
    """
    if name in MODELS_BY_TYPE:
        return MODELS_BY_TYPE[name]
    for m in MODELS:
        if m.marketing_name.lower() == name.lower():
            return m
    raise KeyError(f"unknown model {name!r}; known: {', '.join(MODELS_BY_TYPE)}")


# Luhn: the same implementation the barcode intake checks box labels with.


@dataclass(frozen=True)
class Identity:
    """Everything that makes one physical device unique."""

    udid: str
    ecid: int
    serial: str
    imei: str | None
    wifi_address: str
    bluetooth_address: str


def _mac(rng: random.Random) -> str:
    # Apple-ish OUI prefix; the rest random. Only needs to look like a MAC and be stable per seed.
    octets = [0xF0, 0x18, 0x98] + [rng.randrange(256) for _ in range(3)]
    return ":".join(f"{o:02x}" for o in octets)


def make_identity(model: Model, rng: random.Random) -> Identity:
    """A fresh identity for a device of ``model``, drawn from ``rng``."""
    # ECIDs of recent devices are 52–56-bit numbers; the UDID is <ChipID:08X>-<ECID:016X>.
    ecid = rng.randrange(1 << 50, 1 << 56)
    udid = f"{model.chip_id:08X}-{ecid:016X}"
    serial = "".join(rng.choice(_SERIAL_ALPHABET) for _ in range(10))
    imei = None
    if model.cellular:
        body = model.tac + "".join(str(rng.randrange(10)) for _ in range(6))
        imei = body + luhn_check_digit(body)
    return Identity(udid, ecid, serial, imei, _mac(rng), _mac(rng))
