"""Parsers for adb answers (getprop, iphonesubinfo parcels, dpm) and the model table."""

from __future__ import annotations

import pytest

from kitstation.android.models import knox_version, marketing_name, one_ui_version
from kitstation.android.shell import (
    dpm_refusal,
    normalise_component,
    parse_dumpsys_owner,
    parse_getprop,
    parse_owners,
    parse_parcel_string,
)

# An Android 9 reply to `service call iphonesubinfo 1` (Parcel hexdump: status, length, UTF-16 chars).
PARCEL_OK = """Result: Parcel(
  0x00000000: 00000000 0000000f 00350033 00350037 '........3.5.7.5.'
  0x00000010: 00330030 00300031 00300030 00300037 '0.3.1.0.0.0.7.0.'
  0x00000020: 00370038 00360032 00000000          '8.7.2.6.....    ')
"""
PARCEL_DENIED = """Result: Parcel(
  0x00000000: ffffffff 0000004b 00650067 00440074 '....K...g.e.t.D.'
  0x00000010: 00760065 00630069 00490065 00460064 'e.v.i.c.e.I.d.F.')
"""


def test_parcel_string() -> None:
    assert parse_parcel_string(PARCEL_OK) == "357503100070872"


def test_parcel_denied_or_null_is_no_imei() -> None:
    assert parse_parcel_string(PARCEL_DENIED) is None
    assert parse_parcel_string("Result: Parcel(00000000 ffffffff   '........')") is None
    assert parse_parcel_string("service: Permission denied") is None


def test_getprop_listing() -> None:
    props = parse_getprop("[ro.serialno]: [R58M62BJABX]\n[ro.product.model]: [SM-A305J]\n[empty]: []\n")
    assert props == {"ro.serialno": "R58M62BJABX", "ro.product.model": "SM-A305J", "empty": ""}


def test_owners() -> None:
    assert parse_owners("1 owner:\nUser  0: admin=jp.a/.R,DeviceOwner\n") == ["jp.a/.R"]
    assert parse_owners("no owners\n") == []
    assert parse_owners("User 10: admin=jp.b/.R,ProfileOwner\n") == []
    dump = "  Device Owner: \n    admin=ComponentInfo{jp.a/jp.a.R}\n    name=\n"
    assert parse_dumpsys_owner(dump) == ["jp.a/jp.a.R"]
    assert normalise_component("jp.a/.R") == normalise_component("jp.a/jp.a.R")


@pytest.mark.parametrize(
    ("output", "code", "hint"),
    [
        (
            "java.lang.IllegalStateException: Not allowed to set the device owner because there are already some accounts on the device.",
            "dpm_accounts",
            "Remove every account in Settings > Accounts and backup",
        ),
        (
            "java.lang.IllegalStateException: Not allowed to set the device owner because there are already several users on the device",
            "dpm_users",
            "Secure Folder",
        ),
        (
            "java.lang.IllegalStateException: Trying to set the device owner, but device owner is already set.",
            "dpm_owner_set",
            "Another app is already Device Owner",
        ),
        ("java.lang.IllegalArgumentException: Unknown admin: ComponentInfo{a/b}", "dpm_no_receiver", "admin_receiver"),
        ("java.lang.SecurityException: something new", "dpm_refused", "something new"),
    ],
)
def test_dpm_refusals_are_actionable(output: str, code: str, hint: str) -> None:
    err = dpm_refusal(output, "jp.a/.R")
    assert err.code == code and hint in err.reason.en and err.reason.ja


def test_models_and_versions() -> None:
    assert marketing_name("SM-A305J") == "Galaxy A30"
    assert marketing_name("SM-S911B") == "Galaxy S23" and marketing_name("SC-51D") == "Galaxy S23"
    assert marketing_name("SM-X700") == "Galaxy Tab S8"
    assert marketing_name("XYZ-1") is None
    assert one_ui_version({"ro.build.version.oneui": "50100"}) == "5.1"
    assert one_ui_version({"ro.build.version.oneui": "60101"}) == "6.1.1"
    assert one_ui_version({"ro.build.version.sep": "100100"}) == "1.1"
    assert knox_version({"net.knoxscep.version": "3.0.0"}) == "3.0.0"


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("unauthorized", "accept_usb_debugging"),
        ("authorizing", "accept_usb_debugging"),
        ("recovery", "recovery_mode"),
        ("offline", "adb_offline"),
        ("no permissions (user in plugdev group; are your udev rules wrong?)", "adb_no_permissions"),
        (None, "not_connected"),
    ],
)
async def test_identify_maps_adb_states(state: str | None, expected: str, tmp_path: object) -> None:
    from kitstation.android import AndroidAdapter
    from kitstation.domain.model import StepError, UserActionRequired

    adapter = AndroidAdapter(adb_port=1)
    # The adb server's answer is replaced: this checks only how each state is reported.
    adapter._snapshot = lambda: {} if state is None else {"R58M": (state, None)}  # type: ignore[method-assign]
    try:
        with pytest.raises((UserActionRequired, StepError)) as info:
            await adapter.identify("R58M")
        err = info.value
        got = err.action.value if isinstance(err, UserActionRequired) else err.code  # type: ignore[attr-defined]
        assert got == expected
        assert err.reason.ja  # type: ignore[attr-defined]
    finally:
        await adapter.aclose()
