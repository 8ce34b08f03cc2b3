"""Reading a file's bytes into text safely: size limits, binary and encoding checks."""

from __future__ import annotations

import codecs
import os
import stat
import sys
from dataclasses import dataclass

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


class UnreadableFile(Exception):
    """The file cannot be linted; the message is one line fit for an SL001 finding."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


class MissingPath(Exception):
    """The path does not exist or cannot be opened at all: a usage error."""


@dataclass(frozen=True)
class Limits:
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


def decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM) or UTF-16/32 with a BOM, as YAML allows."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise UnreadableFile(f"invalid {encoding} at byte {exc.start}") from None
    if b"\x00" in data:
        # YAML allows UTF-16 without a BOM, recognised by where the NULs of ASCII text fall.
        for encoding, pattern in (
            ("utf-16-le", data[1:2] == b"\x00" != data[:1]),
            ("utf-16-be", data[:1] == b"\x00" != data[1:2]),
        ):
            if pattern and len(data) % 2 == 0:
                try:
                    return data.decode(encoding)
                except UnicodeDecodeError:
                    break
        raise UnreadableFile("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UnreadableFile(f"not valid UTF-8 (line {line}, byte {exc.start})", line) from None


def encode_like(text: str, original: bytes) -> bytes:
    """`text` in the encoding `original` was read with (the inverse of `decode`), BOM included."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if original.startswith(bom):
            return bom + text.encode(encoding)
    return text.encode("utf-8")
