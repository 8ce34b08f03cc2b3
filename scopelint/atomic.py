"""Writing a file so that a crash, a full disk or a concurrent edit never leaves it damaged.

The new content goes to a temporary file in the same directory (so the rename cannot
cross filesystems), is flushed and fsynced, takes the old file's mode, and replaces the
old file with one atomic rename. Until that rename the original is untouched; if any
step fails the temporary file is removed and the original stays as it was.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from dataclasses import dataclass

_DEFAULT_MODE = 0o666


class WriteError(Exception):
    """A one-line reason the file was left as it was."""


class ChangedOnDisk(WriteError):
    """The file is no longer what was read: someone edited it in between."""


@dataclass(frozen=True)
class Snapshot:
    """A file's bytes as they were read (None: it did not exist).

    Edits are detected by content, not modification time: a same-size edit within the
    clock's granularity keeps the mtime, while a mere touch changes nothing that matters.
    """

    content: bytes | None


def take_snapshot(path: str) -> Snapshot:
    from scopelint.sources.reading import Limits, MissingPath, UnreadableFile, read_bytes

    if not os.path.lexists(path):
        return Snapshot(None)
    try:
        # Regular files only, within the size limit: /dev/zero or a FIFO must not hang us.
        return Snapshot(read_bytes(path, Limits()))
    except (MissingPath, UnreadableFile) as exc:
        raise WriteError(f"{path}: will not write there: {exc}") from None


def write_atomic(path: str, data: bytes, expected: Snapshot | None = None) -> bool:
    """Replace `path` with `data`; False (and no write) when it already holds exactly that.

    With `expected`, refuse (ChangedOnDisk) if the file no longer matches what was read.
    """
    target = os.path.realpath(path)  # write through a symlink, keep the link
    current = take_snapshot(target)
    if expected is not None and current.content != expected.content:
        raise ChangedOnDisk(f"{path} changed on disk since it was read; left as it is")
    if current.content == data:
        return False
    mode = _mode_of(target)
    folder = os.path.dirname(target) or "."
    try:
        fd, temporary = tempfile.mkstemp(
            prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder
        )
    except OSError as exc:
        raise WriteError(f"{path}: cannot create a temporary file: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            fd = -1  # closed with the handle from here on
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        # The last moment to notice an edit made while this one was prepared.
        if expected is not None and take_snapshot(target) != expected:
            raise ChangedOnDisk(f"{path} changed on disk while it was being fixed; left as it is")
        os.replace(temporary, target)
    except BaseException as exc:
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)
        _remove(temporary)
        if isinstance(exc, OSError):
            raise WriteError(
                f"{path}: not written ({exc.strerror or exc}); the file is unchanged"
            ) from None
        raise
    _sync_directory(folder)
    return True


def _mode_of(path: str) -> int:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return _DEFAULT_MODE & ~umask


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _sync_directory(folder: str) -> None:
    """Make the rename itself durable; not every platform can open a directory."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
