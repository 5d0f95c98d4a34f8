"""The fault grammar ``DEVICE:KIND[=ARG]``."""

from __future__ import annotations

import pytest

from kitstation.simulator.android import Fault, FaultError, parse_fault, parse_faults


def test_parse_forms() -> None:
    assert parse_fault("0:unauthorized") == Fault("0", "unauthorized")
    assert parse_fault("*:slow-shell=1.5") == Fault("*", "slow-shell", "1.5")
    assert parse_fault("R58M1234567:install-fail=INSTALL_FAILED_INSUFFICIENT_STORAGE").device == "R58M1234567"
    assert parse_fault("127.0.0.1:5555:account=com.google") == Fault("127.0.0.1:5555", "account", "com.google")


@pytest.mark.parametrize(
    "spec",
    ["unauthorized", "0:", "0:install-fail", "0:unauthorized=yes", "0:slow-shell=fast", "0:users=many", "0:install-fail=oops"],
)
def test_bad_specs(spec: str) -> None:
    with pytest.raises(FaultError):
        parse_faults([spec])


def test_other_platforms_kinds_are_skipped_unless_strict() -> None:
    assert parse_faults(["0:unplug-at=erase", "1:setup-wizard"]) == [Fault("1", "setup-wizard")]
    with pytest.raises(FaultError):
        parse_faults(["0:unplug-at=erase"], strict=True)


def test_matches() -> None:
    f = parse_fault("2:setup-wizard")
    assert f.matches(2, "S", "127.0.0.1:1") and not f.matches(1, "S", "127.0.0.1:1")
    assert parse_fault("*:setup-wizard").matches(9, "x", "y")
