"""Atomic writes: whatever fails, and whenever, the original file is intact."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import pytest

from scopelint import atomic
from scopelint.atomic import ChangedOnDisk, Snapshot, WriteError, take_snapshot, write_atomic

ORIGINAL = b"scopelint: 1\r\nconnections: []\r\n"
NEW = b"scopelint: 1\r\nconnections: [] # fixed\r\n"


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_bytes(ORIGINAL)
    path.chmod(0o640)
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "plan.yaml")


def test_replaces_the_content_and_keeps_the_mode(target: Path) -> None:
    assert write_atomic(str(target), NEW, expected=take_snapshot(str(target))) is True
    assert target.read_bytes() == NEW
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(target.parent) == []


def test_unchanged_content_is_not_written(target: Path) -> None:
    before = target.stat()
    assert write_atomic(str(target), ORIGINAL) is False
    after = target.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_new_file_gets_the_default_mode(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    umask = os.umask(0o022)
    try:
        assert write_atomic(str(path), b"{}\n", expected=Snapshot(None)) is True
    finally:
        os.umask(umask)
    assert path.read_bytes() == b"{}\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_writes_through_a_symlink_and_keeps_it(target: Path) -> None:
    link = target.parent / "link.yaml"
    link.symlink_to(target.name)
    assert write_atomic(str(link), NEW) is True
    assert link.is_symlink() and target.read_bytes() == NEW


def _boom(*_args: Any, **_kwargs: Any) -> Any:
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize(
    ("where", "name"),
    [
        (tempfile, "mkstemp"),
        (os, "fdopen"),
        (os, "fsync"),
        (os, "chmod"),
        (os, "replace"),
    ],
)
def test_a_failure_at_any_step_leaves_the_original(
    target: Path, monkeypatch: pytest.MonkeyPatch, where: Any, name: str
) -> None:
    monkeypatch.setattr(where, name, _boom)
    with pytest.raises(WriteError) as caught:
        write_atomic(str(target), NEW, expected=take_snapshot(str(target)))
    monkeypatch.undo()
    assert target.read_bytes() == ORIGINAL
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(target.parent) == []
    message = str(caught.value)
    assert str(target) in message and "\n" not in message


def test_a_failed_write_of_the_data_leaves_the_original(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            self.handle.write(data[:5])
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)))
    with pytest.raises(WriteError):
        write_atomic(str(target), NEW)
    assert target.read_bytes() == ORIGINAL
    assert leftovers(target.parent) == []


def test_an_interrupt_removes_the_temporary_file(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(_fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(str(target), NEW)
    assert target.read_bytes() == ORIGINAL
    assert leftovers(target.parent) == []


def test_a_file_edited_since_it_was_read_is_not_overwritten(target: Path) -> None:
    snapshot = take_snapshot(str(target))
    target.write_bytes(b"scopelint: 1\nconnections: [] # someone else\n")
    with pytest.raises(ChangedOnDisk) as caught:
        write_atomic(str(target), NEW, expected=snapshot)
    assert target.read_bytes().endswith(b"# someone else\n")
    assert "changed on disk" in str(caught.value)


def test_an_edit_during_the_write_is_not_overwritten(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is checked again after the temporary file is ready, just before the rename."""
    snapshot = take_snapshot(str(target))
    real_fsync = os.fsync

    def edit_meanwhile(fd: int) -> None:
        real_fsync(fd)
        target.write_bytes(b"edited meanwhile\n")

    monkeypatch.setattr(os, "fsync", edit_meanwhile)
    with pytest.raises(ChangedOnDisk):
        write_atomic(str(target), NEW, expected=snapshot)
    monkeypatch.undo()
    assert target.read_bytes() == b"edited meanwhile\n"
    assert leftovers(target.parent) == []


def test_a_deleted_file_counts_as_changed(target: Path) -> None:
    snapshot = take_snapshot(str(target))
    target.unlink()
    with pytest.raises(ChangedOnDisk):
        write_atomic(str(target), NEW, expected=snapshot)
    assert not target.exists()


def test_the_directory_is_synced_after_the_rename(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[str] = []
    monkeypatch.setattr(atomic, "_sync_directory", synced.append)
    write_atomic(str(target), NEW)
    assert synced == [str(target.parent)]
