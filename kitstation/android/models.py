"""Galaxy model codes and their marketing names, and Samsung's One UI / Knox version properties.

Android reports only the model code (``ro.product.model``: ``SM-A305J``, or a carrier's own code
such as docomo's ``SC-51D`` or au's ``SCG19``); the bench and the reports show the name a
technician knows ("Galaxy A30"). Regional suffixes (the last letter: F, B, J, U, N, 0...) vary
and do not change the name, so unknown suffixes fall back to the base code.
"""

from __future__ import annotations

import re

# Model code -> marketing name. Base codes (no regional letter) cover every region.
MODEL_NAMES: dict[str, str] = {
    # Galaxy A
    "SM-A305": "Galaxy A30",
    "SCV43": "Galaxy A30",  # au
    "SM-A205": "Galaxy A20",
    "SC-02M": "Galaxy A20",  # docomo
    "SCV46": "Galaxy A20",  # au
    "SM-A215": "Galaxy A21",
    "SC-42A": "Galaxy A21",  # docomo
    "SM-A415": "Galaxy A41",
    "SC-41A": "Galaxy A41",
    "SCV48": "Galaxy A41",
    "SM-A505": "Galaxy A50",
    "SM-A515": "Galaxy A51",
    "SC-54A": "Galaxy A51 5G",
    "SCG07": "Galaxy A51 5G",
    "SM-A525": "Galaxy A52",
    "SM-A526": "Galaxy A52 5G",
    "SC-53B": "Galaxy A52 5G",
    "SM-A536": "Galaxy A53 5G",
    "SC-53C": "Galaxy A53 5G",
    "SCG15": "Galaxy A53 5G",
    "SM-A546": "Galaxy A54 5G",
    "SC-53D": "Galaxy A54 5G",
    "SCG21": "Galaxy A54 5G",
    "SM-A556": "Galaxy A55 5G",
    "SC-53E": "Galaxy A55 5G",
    "SCG27": "Galaxy A55 5G",
    "SM-A135": "Galaxy A13",
    "SM-A145": "Galaxy A14",
    "SM-A155": "Galaxy A15",
    "SM-A235": "Galaxy A23",
    "SC-56B": "Galaxy A22 5G",
    "SC-56C": "Galaxy A23 5G",
    "SCG18": "Galaxy A23 5G",
    "SC-56D": "Galaxy A24 5G",
    "SM-A256": "Galaxy A25 5G",
    "SC-56E": "Galaxy A25 5G",
    # Galaxy S
    "SM-G973": "Galaxy S10",
    "SM-G981": "Galaxy S20 5G",
    "SM-G991": "Galaxy S21 5G",
    "SM-S901": "Galaxy S22",
    "SC-51C": "Galaxy S22",
    "SCG13": "Galaxy S22",
    "SM-S911": "Galaxy S23",
    "SC-51D": "Galaxy S23",
    "SCG19": "Galaxy S23",
    "SM-S916": "Galaxy S23+",
    "SM-S918": "Galaxy S23 Ultra",
    "SC-52D": "Galaxy S23 Ultra",
    "SCG20": "Galaxy S23 Ultra",
    "SM-S921": "Galaxy S24",
    "SC-51E": "Galaxy S24",
    "SCG25": "Galaxy S24",
    "SM-S928": "Galaxy S24 Ultra",
    "SC-52E": "Galaxy S24 Ultra",
    "SCG26": "Galaxy S24 Ultra",
    "SM-S931": "Galaxy S25",
    "SM-S938": "Galaxy S25 Ultra",
    # Galaxy Xcover (rugged, common in enterprise kitting)
    "SM-G525": "Galaxy XCover5",
    "SM-G736": "Galaxy XCover6 Pro",
    "SM-G556": "Galaxy XCover7",
    # Galaxy Z
    "SM-F711": "Galaxy Z Flip3 5G",
    "SM-F721": "Galaxy Z Flip4",
    "SM-F731": "Galaxy Z Flip5",
    "SM-F936": "Galaxy Z Fold4",
    "SM-F946": "Galaxy Z Fold5",
    # Galaxy Tab
    "SM-T500": "Galaxy Tab A7",
    "SM-X200": "Galaxy Tab A8",
    "SM-X110": "Galaxy Tab A9",
    "SM-X700": "Galaxy Tab S8",
    "SM-X706": "Galaxy Tab S8 5G",
    "SM-X710": "Galaxy Tab S9",
    "SM-T636": "Galaxy Tab Active4 Pro",
    "SM-X300": "Galaxy Tab Active5",
}


def marketing_name(model: str) -> str | None:
    """The marketing name for a model code (``SM-A305J`` -> ``Galaxy A30``), or None if unknown."""
    code = model.strip().upper()
    if not code:
        return None
    if code in MODEL_NAMES:
        return MODEL_NAMES[code]
    # SM-A305J / SM-A305F / SM-A305FN / SM-S911U1 -> SM-A305 / SM-S911
    m = re.match(r"^(SM-[A-Z]\d{3})", code)
    if m and m.group(1) in MODEL_NAMES:
        return MODEL_NAMES[m.group(1)]
    return None


def one_ui_version(props: dict[str, str]) -> str | None:
    """One UI version from ``ro.build.version.oneui`` (50100 -> "5.1") or the older SEP property."""
    raw = props.get("ro.build.version.oneui", "").strip()
    if raw.isdigit() and int(raw) > 0:
        value = int(raw)
        major, minor = value // 10000, (value // 100) % 100
        return f"{major}.{minor}" if value % 100 == 0 else f"{major}.{minor}.{value % 100}"
    sep = props.get("ro.build.version.sep", "").strip()
    if sep.isdigit() and int(sep) >= 100000:
        # SEP 10.0 shipped as One UI 1.0: One UI = SEP - 9.
        value = int(sep) - 90000
        return f"{value // 10000}.{(value // 100) % 100}"
    return None


def knox_version(props: dict[str, str]) -> str | None:
    """Knox version (``net.knoxscep.version``, else the ``ro.config.knox`` generation)."""
    for key in ("net.knoxscep.version", "ro.config.knox"):
        value = props.get(key, "").strip()
        if value:
            return value
    return None
