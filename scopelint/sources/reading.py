"""Reading a file's bytes into text safely: size limits, binary and encoding checks."""

from __future__ import annotations

import codecs
import os
import stat
import sys
from typing import NamedTuple

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


class UnreadableFile(Exception):
    """The file cannot be linted; the message is one line fit for an SL001 finding."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


class MissingPath(Exception):
    """The path does not exist or cannot be opened at all: a usage error."""


class Limits(NamedTuple):
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    max_nodes: int = 1_000_000
    max_depth: int = 64


def read_bytes(path: str, limits: Limits) -> bytes:
    if path == "-":
        data = sys.stdin.buffer.read(limits.max_file_size + 1)
    else:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise MissingPath(f"{path}: no such file or directory") from None
        except OSError as exc:
            raise MissingPath(f"{path}: {exc.strerror}") from None
        # A FIFO or a device would block or never end: refuse before opening.
        if not stat.S_ISREG(st.st_mode):
            raise UnreadableFile("not a regular file (a device, FIFO or socket)")
        if st.st_size > limits.max_file_size:
            raise UnreadableFile(_too_large(limits))
        try:
            with open(path, "rb") as handle:
                data = handle.read(limits.max_file_size + 1)
        except OSError as exc:
            raise UnreadableFile(f"cannot read the file: {exc.strerror}") from None
    if len(data) > limits.max_file_size:
        raise UnreadableFile(_too_large(limits))
    return data


def _too_large(limits: Limits) -> str:
    mib = limits.max_file_size / (1024 * 1024)
    return f"file is larger than the {mib:g} MiB limit (raise max-file-size in the config)"


# Byte-order marks, longest first (a UTF-32 LE mark starts like a UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _encoding(data: bytes) -> tuple[bytes, str]:
    """The BOM and the codec a file is read with; `decode` and `encode_like` share it."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return bom, encoding
    # YAML allows UTF-16 without a BOM, recognised by where the NULs of ASCII text fall.
    if len(data) % 2 == 0 and data[1:2] == b"\x00" != data[:1]:
        return b"", "utf-16-le"
    if len(data) % 2 == 0 and data[:1] == b"\x00" != data[1:2]:
        return b"", "utf-16-be"
    return b"", "utf-8"


def decode(data: bytes) -> str:
    """UTF-8, UTF-16 or UTF-32, with or without a BOM, as YAML allows."""
    bom, encoding = _encoding(data)
    body = data[len(bom) :]
    if encoding == "utf-8" and b"\x00" in body:
        raise UnreadableFile("binary file (contains NUL bytes)")
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as exc:
        if bom or encoding == "utf-8":
            line = body.count(b"\n", 0, exc.start) + 1
            name = "UTF-8" if encoding == "utf-8" else encoding.upper()
            raise UnreadableFile(
                f"not valid {name} (line {line}, byte {exc.start + len(bom)})", line
            ) from None
        raise UnreadableFile("binary file (contains NUL bytes)") from None


def encode_like(text: str, original: bytes) -> bytes:
    """`text` in the encoding `original` was read with (the inverse of `decode`), BOM included."""
    bom, encoding = _encoding(original)
    return bom + text.encode(encoding)
