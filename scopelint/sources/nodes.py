"""A small positioned tree shared by every input format (YAML, JSON, TOML).

Checks read these nodes instead of plain Python values so that every finding can
point at the exact key or value that caused it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from scopelint.findings import Span
from scopelint.lines import break_for, split_lines


class Node:
    __slots__ = ("span", "tag")

    def __init__(self, span: Span, tag: str = "") -> None:
        self.span = span
        self.tag = tag

    @property
    def kind(self) -> str:
        """The type name users see in messages: string, number, list, mapping …"""
        raise NotImplementedError


class Scalar(Node):
    __slots__ = ("value",)

    def __init__(self, value: object, span: Span, tag: str = "") -> None:
        # No super() call: one Scalar is made per value of every file.
        self.span = span
        self.tag = tag
        self.value = value

    @property
    def kind(self) -> str:
        if self.value is None:
            return "null"
        if isinstance(self.value, bool):
            return "boolean"
        if isinstance(self.value, int | float):
            return "number"
        return "string"

    @property
    def text(self) -> str | None:
        return self.value if isinstance(self.value, str) else None


class Sequence(Node):
    __slots__ = ("items",)

    def __init__(self, items: list[Node], span: Span, tag: str = "") -> None:
        super().__init__(span, tag)
        self.items = items

    @property
    def kind(self) -> str:
        return "list"


class Mapping(Node):
    __slots__ = ("pairs",)

    def __init__(self, pairs: list[tuple[Node, Node]], span: Span, tag: str = "") -> None:
        super().__init__(span, tag)
        self.pairs = pairs

    @property
    def kind(self) -> str:
        return "mapping"

    def entries(self) -> Iterator[tuple[object, Node, Node]]:
        """(key value, key node, value node); the key value is None for non-scalar keys."""
        for key, value in self.pairs:
            yield (key.value if isinstance(key, Scalar) else None), key, value

    def get(self, key: str) -> Node | None:
        # Last one wins, as YAML loaders do; duplicates are reported separately.
        found = None
        for k, v in self.pairs:
            if isinstance(k, Scalar) and k.value == key:
                found = v
        return found

    def key_node(self, key: str) -> Node | None:
        found = None
        for k, _ in self.pairs:
            if isinstance(k, Scalar) and k.value == key:
                found = k
        return found


class Problem(NamedTuple):
    """Something wrong found while reading, before any check runs."""

    code: str  # SL001 (unreadable), SL002 (format) or SL003 (duplicate key)
    message: str
    span: Span
    subject: str = ""


class Document(NamedTuple):
    """One file as read: its text (for context lines and fixes) and its tree."""

    path: str
    text: str
    root: Node | None
    problems: list[Problem]

    @property
    def lines(self) -> list[str]:
        return split_lines(self.text, break_for(self.path))

    def offset(self, line: int, column: int) -> int:
        """Character offset of a 1-based line and column."""
        from scopelint.fixes import text_offset  # the shared, indexed implementation

        return text_offset(self.text, line, column)
