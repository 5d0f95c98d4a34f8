"""The APK's binary AndroidManifest.xml, read as the package manager reads it.

Binary XML (AXML) layout, little-endian: a file chunk (type 0x0003) holding a string pool (0x0001,
UTF-16 or UTF-8), a resource map (0x0180, the attribute resource ids of the first strings: Android
matches ``android:`` attributes by id, not by name), then namespace (0x0100/0x0101) and element
(0x0102/0x0103) chunks. ``read_manifest`` gives what installing and provisioning look at: package,
version, minSdk/targetSdk, the device-admin receivers, the split name (a split APK's manifest
carries the base's package and versionCode and a plain ``split`` attribute), whether the base
requires splits (``android:isSplitRequired``) and the permissions it requests (``uses-permission``)
or defines (``permission`` with its ``android:protectionLevel``). The simulator writes manifests with the
same constants (``kitstation.simulator.android.apk``).
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass, field
from typing import Any

ANDROID_NS = "http://schemas.android.com/apk/res/android"
BIND_DEVICE_ADMIN = "android.permission.BIND_DEVICE_ADMIN"
DEVICE_ADMIN_ENABLED = "android.app.action.DEVICE_ADMIN_ENABLED"

# Attribute resource ids from android.R.attr (framework public.xml).
ATTR_IDS = {
    "label": 0x01010001,
    "name": 0x01010003,
    "permission": 0x01010006,
    "exported": 0x01010010,
    "resource": 0x01010025,
    "minSdkVersion": 0x0101020C,
    "versionCode": 0x0101021B,
    "versionName": 0x0101021C,
    "targetSdkVersion": 0x01010270,
    "protectionLevel": 0x01010009,
    "isFeatureSplit": 0x0101055B,
    "isSplitRequired": 0x01010591,
}

# Res_value data types.
TYPE_REFERENCE = 0x01
TYPE_STRING = 0x03
TYPE_INT_DEC = 0x10
TYPE_INT_BOOLEAN = 0x12

NO_INDEX = 0xFFFFFFFF

RES_XML = 0x0003
RES_STRING_POOL = 0x0001
RES_XML_RESOURCE_MAP = 0x0180
RES_START_NS = 0x0100
RES_END_NS = 0x0101
RES_START_ELEMENT = 0x0102
RES_END_ELEMENT = 0x0103


class ManifestError(ValueError):
    """The bytes are not an APK this parser understands (no zip, no binary manifest, no package)."""


@dataclass
@dataclass
class Element:
    """One element of a binary XML tree."""

    tag: str
    attrs: list[tuple[bool, str, Any]]  # (android namespace?, name, value: str | int | bool)
    children: list[Element] = field(default_factory=list)


def decode_strings(chunk: bytes) -> list[str]:
    count, _styles, flags, start = struct.unpack_from("<IIII", chunk, 8)
    header_size = struct.unpack_from("<H", chunk, 2)[0]
    utf8 = bool(flags & 0x100)
    out = []
    for i in range(count):
        off = start + struct.unpack_from("<I", chunk, header_size + 4 * i)[0]
        if utf8:
            # Two lengths (UTF-16 units, then bytes), each 1 or 2 bytes.
            n = chunk[off]
            off += 2 if n & 0x80 else 1
            n = chunk[off]
            if n & 0x80:
                n = ((n & 0x7F) << 8) | chunk[off + 1]
                off += 2
            else:
                off += 1
            out.append(chunk[off : off + n].decode("utf-8", errors="replace"))
        else:
            n = struct.unpack_from("<H", chunk, off)[0]
            off += 2
            if n & 0x8000:
                n = ((n & 0x7FFF) << 16) | struct.unpack_from("<H", chunk, off)[0]
                off += 2
            out.append(chunk[off : off + 2 * n].decode("utf-16-le", errors="replace"))
    return out


def decode_axml(data: bytes) -> Element:
    """Read binary XML into a tree; attribute names are local names, values str/int/bool."""
    if len(data) < 8 or struct.unpack_from("<H", data)[0] != RES_XML:
        raise ManifestError("AndroidManifest.xml is not binary XML")
    pos = struct.unpack_from("<H", data, 2)[0]
    strings: list[str] = []
    resids: list[int] = []
    id_names = {v: k for k, v in ATTR_IDS.items()}
    root: Element | None = None
    stack: list[Element] = []
    while pos + 8 <= len(data):
        ctype, hsize, csize = struct.unpack_from("<HHI", data, pos)
        if csize < 8:
            raise ManifestError("corrupt binary XML chunk")
        chunk = data[pos : pos + csize]
        if ctype == RES_STRING_POOL:
            strings = decode_strings(chunk)
        elif ctype == RES_XML_RESOURCE_MAP:
            resids = list(struct.unpack_from(f"<{(csize - hsize) // 4}I", chunk, hsize))
        elif ctype == RES_START_ELEMENT:
            _ns, name_i, astart, asize, acount = struct.unpack_from("<IIHHH", chunk, hsize)
            attrs: list[tuple[bool, str, Any]] = []
            for k in range(acount):
                a_off = hsize + astart + k * asize
                a_ns, a_name, a_raw, _sz, _r0, a_type, a_data = struct.unpack_from("<IIIHBBI", chunk, a_off)
                name = strings[a_name] if a_name < len(strings) else ""
                if a_name < len(resids) and resids[a_name] in id_names:
                    name = id_names[resids[a_name]]
                value: Any
                if a_type == TYPE_STRING:
                    value = strings[a_data]
                elif a_raw != NO_INDEX:
                    value = strings[a_raw]
                elif a_type == TYPE_INT_BOOLEAN:
                    value = a_data != 0
                else:
                    value = a_data
                attrs.append((a_ns != NO_INDEX, name, value))
            el = Element(strings[name_i], attrs)
            if stack:
                stack[-1].children.append(el)
            elif root is None:
                root = el
            stack.append(el)
        elif ctype == RES_END_ELEMENT:
            if stack:
                stack.pop()
        pos += csize
    if root is None:
        raise ManifestError("binary XML has no root element")
    return root


def qualify(package: str, name: str) -> str:
    if name.startswith("."):
        return package + name
    if "." not in name:
        return f"{package}.{name}"
    return name


@dataclass(frozen=True, slots=True)
class Manifest:
    """What Android reads from an APK's manifest at install time."""

    package: str
    version_code: int
    version_name: str
    admin_receivers: tuple[str, ...]  # fully qualified class names
    min_sdk: int = 1
    target_sdk: int = 0  # Android takes minSdk when no targetSdk is declared
    split: str | None = None  # None: the base APK; else the split's name ("config.arm64_v8a")
    split_required: bool = False  # android:isSplitRequired on the base: alone it is refused
    uses_permissions: tuple[str, ...] = ()
    defines_permissions: tuple[tuple[str, int], ...] = ()  # (name, protectionLevel) of <permission>


def _attr(el: Element, name: str) -> Any:
    for _is_android, n, v in el.attrs:
        if n == name:
            return v
    return None


def read_manifest(apk: bytes) -> Manifest:
    """Read package, version, SDK levels and device-admin receivers from APK bytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(apk)) as zf:
            data = zf.read("AndroidManifest.xml")
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ManifestError("not an APK (no zip or no AndroidManifest.xml)") from exc
    try:
        root = decode_axml(data)
    except (struct.error, IndexError) as exc:
        raise ManifestError("corrupt AndroidManifest.xml") from exc
    package = _attr(root, "package")
    if not isinstance(package, str) or not package:
        raise ManifestError("manifest declares no package")
    receivers: list[str] = []
    for app in (c for c in root.children if c.tag == "application"):
        for rec in (c for c in app.children if c.tag == "receiver"):
            if _attr(rec, "permission") != BIND_DEVICE_ADMIN:
                continue
            actions = [
                _attr(a, "name")
                for f in rec.children
                if f.tag == "intent-filter"
                for a in f.children
                if a.tag == "action"
            ]
            name = _attr(rec, "name")
            if DEVICE_ADMIN_ENABLED in actions and isinstance(name, str):
                receivers.append(qualify(package, name))
    vc = _attr(root, "versionCode")
    vn = _attr(root, "versionName")
    uses_sdk = next((c for c in root.children if c.tag == "uses-sdk"), None)
    min_raw = _attr(uses_sdk, "minSdkVersion") if uses_sdk is not None else None
    target_raw = _attr(uses_sdk, "targetSdkVersion") if uses_sdk is not None else None
    min_sdk = min_raw if isinstance(min_raw, int) else 1
    split = _attr(root, "split")
    uses = tuple(
        dict.fromkeys(n for c in root.children if c.tag == "uses-permission" and isinstance(n := _attr(c, "name"), str))
    )
    defines = tuple(
        (n, lv if isinstance(lv := _attr(c, "protectionLevel"), int) else 0)
        for c in root.children
        if c.tag == "permission" and isinstance(n := _attr(c, "name"), str)
    )
    return Manifest(
        package=package,
        version_code=vc if isinstance(vc, int) else 0,
        version_name=str(vn) if vn is not None else "",
        admin_receivers=tuple(receivers),
        min_sdk=min_sdk,
        target_sdk=target_raw if isinstance(target_raw, int) else min_sdk,
        split=split if isinstance(split, str) and split else None,
        split_required=_attr(root, "isSplitRequired") is True,
        uses_permissions=uses,
        defines_permissions=defines,
    )


def sdk_levels(apk: bytes) -> tuple[int, int] | None:
    """(minSdkVersion, targetSdkVersion), or None when the manifest cannot be read."""
    try:
        m = read_manifest(apk)
    except ManifestError:
        return None
    return m.min_sdk, m.target_sdk
