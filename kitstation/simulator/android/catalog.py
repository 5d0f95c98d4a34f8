"""The Galaxy models the simulator can be, with realistic system properties, serials and IMEIs.

Property values follow what these models report over ``adb shell getprop`` (build fingerprints and
PDA versions are plausible, not copied from one unit). IMEIs are 15 digits: the model's TAC, a
serial part drawn from the seeded RNG, and a Luhn check digit, as on the box label.

Identities are not tidy on real hardware, and the catalogue keeps that (docs/FIDELITY.md):

* ``ril_serial=False``: ``ril.serialnumber`` (Samsung's copy of the box S/N) is empty, as reported
  for the Galaxy S8, S20 and S23 (RealityNet/android_triage#10); ``ro.serialno`` still is the S/N.
* ``chip_serial=True``: ``ro.serialno`` / ``ro.boot.serialno`` are a chip id that differs from the
  S/N on the box (a tablet here); the S/N is only in ``ril.serialnumber``.
* the IMEI is readable over adb up to Android 9 only (see the shell's ``service call``).
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field

from kitstation.core.barcode import luhn_check_digit
from kitstation.core.barcode import luhn_valid as luhn_valid  # re-exported: the package offers it


@dataclass(frozen=True)
class GalaxyModel:
    """One Galaxy model: identity, Android/One UI/Knox versions and display."""

    model: str
    marketing_name: str
    product_name: str
    device: str
    android_version: str
    sdk: int
    security_patch: str
    pda: str
    oneui: str  # ro.build.version.oneui, e.g. 50100 = One UI 5.1
    knox: str  # net.knoxscep.version
    knox_config: str  # ro.config.knox
    tacs: tuple[str, ...]  # one TAC per IMEI slot; () for Wi-Fi-only tablets
    screen: tuple[int, int]
    density: int
    carrier: str = ""  # ro.carrier / ro.csc.sales_code
    characteristics: str = "phone"
    extra_props: dict[str, str] = field(default_factory=dict)
    ril_serial: bool = True  # False: ril.serialnumber is empty on this model
    chip_serial: bool = False  # True: ro.serialno is a chip id, not the S/N on the box


MODELS: dict[str, GalaxyModel] = {
    m.model: m
    for m in (
        # Galaxy A30 for the Japanese market (as in the KME flow); stays on Android 9, so the IMEI is
        # still readable over `service call iphonesubinfo`.
        GalaxyModel(
            model="SM-A305J",
            marketing_name="Galaxy A30",
            product_name="a30jjx",
            device="a30",
            android_version="9",
            sdk=28,
            security_patch="2020-10-01",
            pda="A305JJXU2ATJ1",
            oneui="10100",
            knox="2.2.0",
            knox_config="v30",
            tacs=("35750310",),
            screen=(1080, 2340),
            density=420,
            carrier="KDI",
        ),
        GalaxyModel(
            model="SM-A525F",
            marketing_name="Galaxy A52",
            product_name="a52qnsxx",
            device="a52q",
            android_version="13",
            sdk=33,
            security_patch="2024-05-01",
            pda="A525FXXS7FXE1",
            oneui="50100",
            knox="2.9.0",
            knox_config="v37",
            tacs=("35216412", "35216413"),
            screen=(1080, 2400),
            density=420,
            carrier="XEU",
        ),
        GalaxyModel(
            model="SM-S911B",
            marketing_name="Galaxy S23",
            product_name="dm1qxxx",
            device="dm1q",
            android_version="14",
            sdk=34,
            security_patch="2025-03-01",
            pda="S911BXXS6CYB5",
            oneui="60100",
            knox="3.0.0",
            knox_config="v38",
            tacs=("35088930", "35088931"),
            screen=(1080, 2340),
            density=420,
            carrier="EUX",
            ril_serial=False,
        ),
        # docomo's Galaxy S23: carrier models report the carrier model number as device and name.
        GalaxyModel(
            model="SC-51D",
            marketing_name="Galaxy S23",
            product_name="SC-51D",
            device="SC-51D",
            android_version="14",
            sdk=34,
            security_patch="2025-02-01",
            pda="SC51DOMU2CYB1",
            oneui="60100",
            knox="3.0.0",
            knox_config="v38",
            tacs=("35369281",),
            screen=(1080, 2340),
            density=420,
            carrier="DCM",
            ril_serial=False,
        ),
        GalaxyModel(
            model="SM-X700",
            marketing_name="Galaxy Tab S8",
            product_name="gts8wifixx",
            device="gts8wifi",
            android_version="14",
            sdk=34,
            security_patch="2025-01-01",
            pda="X700XXS5DYA1",
            oneui="60100",
            knox="3.0.0",
            knox_config="v38",
            tacs=(),
            screen=(1600, 2560),
            density=320,
            carrier="XAR",
            characteristics="tablet",
            chip_serial=True,
        ),
    )
}

# Plug order when no model is asked for: a mixed bench, A30s first as in the KME flow.
DEFAULT_ROTATION: tuple[str, ...] = ("SM-A305J", "SM-A525F", "SM-S911B", "SC-51D", "SM-X700")


# Luhn: the same implementation the barcode intake checks box labels with.
luhn_digit = luhn_check_digit


def make_imei(tac: str, rng: random.Random) -> str:
    body = tac + "".join(rng.choice(string.digits) for _ in range(14 - len(tac)))
    return body + luhn_digit(body)


def make_serial(rng: random.Random) -> str:
    """A Samsung-style serial: R, factory digit, year letter, month, then 7 alphanumerics."""
    alnum = string.ascii_uppercase + string.digits
    return (
        "R" + rng.choice("5689") + rng.choice("8") + rng.choice("MNRT") + "".join(rng.choice(alnum) for _ in range(7))
    )


def make_chip_id(rng: random.Random) -> str:
    """A chip id as some units report for ``ro.serialno``: 16 lowercase hex digits."""
    return f"{rng.getrandbits(64):016x}"


def build_props(
    model: GalaxyModel, serial: str, imeis: tuple[str, ...], chip_id: str | None = None
) -> dict[str, str]:
    """The ``getprop`` table of a freshly booted unit whose box label says ``serial``."""
    release, sdk = model.android_version, str(model.sdk)
    fingerprint = f"samsung/{model.product_name}/{model.device}:{release}/AP1A.240505.005/{model.pda}:user/release-keys"
    serialno = chip_id if model.chip_serial and chip_id else serial
    props = {
        "ro.serialno": serialno,
        "ro.boot.serialno": serialno,
        "ril.serialnumber": serial if model.ril_serial else "",
        "ro.product.model": model.model,
        "ro.product.name": model.product_name,
        "ro.product.device": model.device,
        "ro.product.manufacturer": "samsung",
        "ro.product.brand": "samsung",
        "ro.product.system.model": model.model,
        "ro.product.vendor.model": model.model,
        "ro.product.cpu.abi": "arm64-v8a",
        "ro.build.version.release": release,
        "ro.build.version.sdk": sdk,
        "ro.build.version.security_patch": model.security_patch,
        "ro.build.version.oneui": model.oneui,
        "ro.build.PDA": model.pda,
        "ro.build.display.id": f"AP1A.240505.005.{model.pda}",
        "ro.build.fingerprint": fingerprint,
        "ro.build.type": "user",
        "ro.build.tags": "release-keys",
        "ro.build.characteristics": model.characteristics,
        "ro.csc.sales_code": model.carrier,
        "ro.carrier": "unknown" if model.carrier != "DCM" else "docomo",
        "ro.config.knox": model.knox_config,
        "net.knoxscep.version": model.knox,
        "ro.boot.warranty_bit": "0",
        "ro.debuggable": "0",
        "ro.secure": "1",
        "ro.adb.secure": "1",
        "persist.sys.usb.config": "mtp,adb",
        "sys.usb.config": "mtp,adb",
        "persist.sys.locale": "ja-JP" if model.carrier in ("KDI", "DCM") else "en-GB",
        "persist.sys.timezone": "Asia/Tokyo" if model.carrier in ("KDI", "DCM") else "Europe/London",
        "ro.crypto.state": "encrypted",
        "gsm.version.baseband": model.pda,
        "sys.boot_completed": "1",
        "dev.bootcomplete": "1",
        "init.svc.adbd": "running",
    }
    if not imeis:
        props["ro.radio.noril"] = "yes"
    if not props["ril.serialnumber"]:
        del props["ril.serialnumber"]  # getprop prints an empty line for it, the listing omits it
    props.update(model.extra_props)
    return props
