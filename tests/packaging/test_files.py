"""Atomic writes: the old file or the new one, never a half or 0-byte file; private files 0600 from the start."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kitstation import files, paths


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_write_atomic_replaces_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "settings.toml"
    files.write_atomic(target, "a = 1\n")
    files.write_atomic(target, b"a = 2\n")
    assert target.read_text(encoding="utf-8") == "a = 2\n"
    assert [p.name for p in target.parent.iterdir()] == ["settings.toml"]
    assert _mode(target) == 0o644


def test_a_crash_before_the_rename_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "record.plist"
    files.write_atomic(target, b"old complete record")

    def power_cut(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", power_cut)
    with pytest.raises(OSError):
        files.write_atomic(target, b"new record that never reached the disk")
    monkeypatch.undo()
    assert target.read_bytes() == b"old complete record"
    assert [p.name for p in tmp_path.iterdir()] == ["record.plist"]


def test_private_files_are_never_readable_by_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, int]] = []
    real_fsync = os.fsync

    # Look at the temporary file while its bytes are on disk but before it is renamed into place.
    def spy(fd: int) -> None:
        st = os.fstat(fd)
        if stat.S_ISREG(st.st_mode):
            seen.append((stat.S_IMODE(st.st_mode), st.st_size))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    key = tmp_path / "identity.pem"
    paths.write_private(key, b"-----BEGIN PRIVATE KEY-----\n")
    monkeypatch.undo()
    assert _mode(key) == 0o600
    assert seen == [(0o600, len(b"-----BEGIN PRIVATE KEY-----\n"))]
