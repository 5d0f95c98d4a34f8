"""Argument types that refuse bad input at parse time with a one-line reason (argparse exits 2).

Every number a command takes has a range: a 20-digit device count or ``--settle 1e400`` would
otherwise hang the station (an infinite sleep, 10**19 simulated phones) instead of failing.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

from kitstation.i18n import Text

MAX_ID = 2**63 - 1  # the largest row id SQLite and PostgreSQL (bigint) hold


def _fail(en: str, ja: str) -> argparse.ArgumentTypeError:
    return argparse.ArgumentTypeError(str(Text(en, ja)))


def count(low: int, high: int) -> Callable[[str], int]:
    """A whole number in ``low..high``."""

    def parse(value: str) -> int:
        v = value.strip()
        if not (v.isascii() and v.lstrip("+-").isdigit()) or len(v) > 19:
            raise _fail(f"not a whole number: {value!r}", f"整数ではありません: {value!r}")
        n = int(v)
        if not low <= n <= high:
            raise _fail(f"{n} is out of range ({low}-{high})", f"{n} は範囲外です（{low}〜{high}）")
        return n

    parse.__name__ = "count"  # argparse names the type in its messages
    return parse


def number(low: float, high: float, *, allow_low: bool = True) -> Callable[[str], float]:
    """A finite number in ``low..high`` (``low`` itself excluded with ``allow_low=False``)."""

    def parse(value: str) -> float:
        try:
            x = float(value)
        except ValueError:
            raise _fail(f"not a number: {value!r}", f"数値ではありません: {value!r}") from None
        if not math.isfinite(x) or x > high or x < low or (x == low and not allow_low):
            lo = f"more than {low:g}" if not allow_low else f"at least {low:g}"
            lo_ja = f"{low:g} より大きく" if not allow_low else f"{low:g} 以上"
            raise _fail(
                f"{value} is out of range ({lo}, at most {high:g})", f"{value} は範囲外です（{lo_ja}、{high:g} 以下）"
            )
        return x

    parse.__name__ = "number"
    return parse


def text(max_chars: int) -> Callable[[str], str]:
    """Printable text of at most ``max_chars`` characters (no control characters, no ANSI escapes)."""

    def parse(value: str) -> str:
        if len(value) > max_chars:
            raise _fail(
                f"too long: {len(value)} characters (at most {max_chars})",
                f"長すぎます: {len(value)} 文字（最大 {max_chars} 文字）",
            )
        if any(not ch.isprintable() for ch in value):
            raise _fail(
                "contains control characters (e.g. terminal escapes)",
                "制御文字（端末のエスケープなど）が含まれています",
            )
        return value

    parse.__name__ = "text"
    return parse


def port(value: str) -> int:
    return count(1, 65535)(value)


def row_id(value: str) -> int:
    return count(1, MAX_ID)(value)


def usbmux(value: str) -> str:
    """A usbmuxd address: a socket path or ``HOST:PORT``."""
    from kitstation.station.environment import AddressError, parse_usbmux

    try:
        parse_usbmux(value)
    except AddressError as exc:
        raise argparse.ArgumentTypeError(str(exc.reason)) from None
    return value.strip()


def ssid(value: str) -> str:
    """A Wi-Fi network name: 1 to 32 bytes of UTF-8 (IEEE 802.11), no NUL or control characters."""
    text(64)(value)
    n = len(value.encode("utf-8"))
    if not 1 <= n <= 32:
        raise _fail(
            f"a Wi-Fi SSID is 1-32 bytes; {value!r} is {n} bytes in UTF-8",
            f"Wi-Fi の SSID は 1〜32 バイトです。{value!r} は UTF-8 で {n} バイトです",
        )
    return value
