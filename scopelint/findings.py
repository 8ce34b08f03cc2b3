"""Findings, their locations and severities, and stable fingerprints."""

from __future__ import annotations

import posixpath
from enum import IntEnum
from typing import NamedTuple


class Severity(IntEnum):
    """Ordered so that comparisons read naturally: ERROR > WARNING > INFO."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (error, warning, info)") from None


class Span(NamedTuple):
    """A 1-based, end-exclusive region of a file.

    A tuple rather than a frozen dataclass: one is made for every node of every file,
    and tuples are several times cheaper to build.
    """

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, line: int = 1, column: int = 1) -> Span:
        return cls(line, column, line, column + 1)


class Fix(NamedTuple):
    """A text replacement that makes the finding go away."""

    description: str
    start: int  # offset into the file text
    end: int
    replacement: str


class Finding(NamedTuple):
    """One problem at one place. A tuple for the reason Span is one: a run makes many."""

    code: str
    name: str
    severity: Severity
    message: str
    path: str
    span: Span
    help: str = ""
    connection: str | None = None
    # What the finding is about (a scope, a tool, a key path): with code, path and
    # connection it makes the fingerprint, so the fingerprint survives lines moving.
    subject: str = ""
    fix: Fix | None = None

    @property
    def fingerprint(self) -> str:
        path = normalized_path(self.path)
        raw = "\x1f".join((self.code, path, self.connection or "", self.subject))
        import hashlib  # only reports that print fingerprints pay for it

        return hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()[:16]

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.span.line, self.span.column, self.code, self.subject)


def normalized_path(path: str) -> str:
    """`./plans/a.yaml` and `plans//a.yaml` are `plans/a.yaml`: one file, one fingerprint."""
    if path.startswith("<"):  # <stdin>
        return path
    return posixpath.normpath(path.replace("\\", "/"))
