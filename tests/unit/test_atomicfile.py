"""The one atomic writer: whole file or old file, permissions as ``open()`` would leave them, no leftovers."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from gria_miro import atomicfile
from gria_miro.atomicfile import write_atomic


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_writes_a_new_file_with_the_umask_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    old_umask = os.umask(0o027)
    try:
        write_atomic(target, "é\n".encode())
    finally:
        os.umask(old_umask)
    assert target.read_bytes() == "é\n".encode()
    assert _mode(target) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_replaces_an_existing_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(0o604)
    write_atomic(target, b"new")
    assert target.read_text() == "new"
    assert _mode(target) == 0o604


def test_an_explicit_mode_wins(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    target.write_text("{}")
    target.chmod(0o644)
    write_atomic(target, b"{}", mode=0o600, sync_folder=True)
    assert _mode(target) == 0o600


def test_a_failed_replace_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "board.json"
    target.write_text("old")

    def refuse(src: str, dst: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomicfile.os, "replace", refuse)
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, b"new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["board.json"]


def test_an_interrupt_while_writing_leaves_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "board.json"

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomicfile.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "absent" / "out.txt", b"x")


def test_a_folder_as_target_is_an_os_error_and_is_kept(tmp_path: Path) -> None:
    folder = tmp_path / "plateau.svg"
    folder.mkdir()
    with pytest.raises(OSError):
        write_atomic(folder, b"<svg/>")
    assert folder.is_dir()
    assert [p.name for p in tmp_path.iterdir()] == ["plateau.svg"]
