"""Station files are written atomically, and keys owner-only from the first byte."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kitstation.files import write_atomic
from kitstation.paths import write_private


def test_write_private_is_owner_only_and_replaces_whole(tmp_path: Path) -> None:
    old = os.umask(0)  # even with a permissive umask
    try:
        target = tmp_path / "keys" / "id.pem"
        write_private(target, b"first")
        write_private(target, b"second, longer")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"second, longer"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["id.pem"]  # no temporary file left


def test_a_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "settings.toml"
    write_atomic(target, b"old = 1\n")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, b"new = 2\n")
    assert target.read_bytes() == b"old = 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.toml"]
