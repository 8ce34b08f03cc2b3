"""TOML (Codex's config.toml) to positioned nodes.

tomllib decides validity and values; it gives no positions, so a light scan of the
already-valid text records where each key and value starts and ends, by key path.
Values the scan cannot place fall back to their parent's position, never to a wrong
line elsewhere in the file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator

from scopelint.findings import Span
from scopelint.sources.nodes import Document, Mapping, Node, Problem, Scalar, Sequence
from scopelint.sources.reading import Limits

Path = tuple[str | int, ...]

_ERROR_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d[^\s,\]}#]*|[^\s,\]}#]+")
_BLANK = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
_INLINE_BLANK = re.compile(r"[ \t]*")
_ESCAPES = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))", re.DOTALL)
_SIMPLE_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


class _Positions:
    __slots__ = ("keys", "values")

    def __init__(self) -> None:
        self.keys: dict[Path, Span] = {}
        self.values: dict[Path, Span] = {}


class _Scanner:
    """Walks valid TOML text once, recording key and value spans by key path."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.line_start = 0
        self.found = _Positions()
        self.array_tables: dict[Path, int] = {}

    # Positions -----------------------------------------------------------------

    def _advance(self, to: int) -> None:
        newlines = self.text.count("\n", self.pos, to)
        if newlines:
            self.line += newlines
            self.line_start = self.text.rindex("\n", self.pos, to) + 1
        self.pos = to

    def _here(self) -> tuple[int, int]:
        return self.line, self.pos - self.line_start + 1

    def _span_to(self, start: tuple[int, int], end: int) -> Span:
        self._advance(end)
        return Span(start[0], start[1], *self._here())

    def _skip(self, pattern: re.Pattern[str]) -> None:
        match = pattern.match(self.text, self.pos)
        if match:
            self._advance(match.end())

    # Keys ----------------------------------------------------------------------

    def _key(self) -> list[tuple[str, Span]]:
        """A dotted key: each part with its span."""
        parts: list[tuple[str, Span]] = []
        while True:
            self._skip(_INLINE_BLANK)
            start = self._here()
            char = self.text[self.pos]
            if char == '"':
                end = self._basic_string_end(self.pos)
                name = _unescape(self.text[self.pos + 1 : end - 1])
            elif char == "'":
                end = self.text.index("'", self.pos + 1) + 1
                name = self.text[self.pos + 1 : end - 1]
            else:
                match = _BARE_KEY.match(self.text, self.pos)
                if match is None:
                    raise ValueError("no key where one was expected")
                end = match.end()
                name = match.group(0)
            parts.append((name, self._span_to(start, end)))
            self._skip(_INLINE_BLANK)
            if self.text.startswith(".", self.pos):
                self._advance(self.pos + 1)
                continue
            return parts

    def _record_key(self, base: Path, parts: list[tuple[str, Span]], header: bool = False) -> Path:
        path = base
        for name, span in parts:
            path = (*path, name)
            # Implicit parents, and tables named by several headers ([[x]]), keep the
            # first place they were named.
            self.found.keys.setdefault(path, span)
            self.found.values.setdefault(path, span)
        if not header:
            self.found.keys[path] = parts[-1][1]
        return path

    # Strings and scalars --------------------------------------------------------

    def _basic_string_end(self, start: int) -> int:
        i = start + 1
        while True:
            char = self.text[i]
            if char == "\\":
                i += 2
            elif char == '"':
                return i + 1
            else:
                i += 1

    def _multiline_end(self, start: int, quote: str) -> int:
        i = start + 3
        while True:
            if quote == '"' and self.text[i] == "\\":
                i += 2
                continue
            if self.text.startswith(quote * 3, i):
                # Up to two more quotes belong to the content: the delimiter is the last three.
                j = i + 3
                while j < i + 5 and self.text.startswith(quote, j):
                    j += 1
                return j
            i += 1

    def _scalar_end(self) -> int:
        text, pos = self.text, self.pos
        if text.startswith('"""', pos) or text.startswith("'''", pos):
            return self._multiline_end(pos, text[pos])
        if text[pos] == '"':
            return self._basic_string_end(pos)
        if text[pos] == "'":
            return text.index("'", pos + 1) + 1
        match = _SCALAR.match(text, pos)
        if match is None:
            raise ValueError("no value where one was expected")
        return match.end()

    # Values: arrays and inline tables without recursion ---------------------------

    def _value(self, path: Path) -> None:
        """Record the value at `path` and everything nested in it."""
        # Each open container: (path, start position, is_table, next array index).
        stack: list[tuple[Path, tuple[int, int], bool, int]] = []
        current = path
        while True:
            self._skip(_BLANK if stack and not stack[-1][2] else _INLINE_BLANK)
            char = self.text[self.pos]
            start = self._here()
            if char == "[":
                self._advance(self.pos + 1)
                stack.append((current, start, False, 0))
            elif char == "{":
                self._advance(self.pos + 1)
                stack.append((current, start, True, 0))
            else:
                self.found.values[current] = self._span_to(start, self._scalar_end())
            # After a value (or an opening bracket), close what ends and find the next slot.
            while stack:
                owner, opened, is_table, index = stack[-1]
                self._skip(_INLINE_BLANK if is_table else _BLANK)
                char = self.text[self.pos]
                if char in "]}":
                    stack.pop()
                    self.found.values[owner] = self._span_to(opened, self.pos + 1)
                    continue
                if char == ",":
                    self._advance(self.pos + 1)
                    self._skip(_INLINE_BLANK if is_table else _BLANK)
                    if self.text[self.pos] in "]}":
                        continue
                if is_table:
                    current = self._record_key(owner, self._key())
                    self._advance(self.pos + 1)  # the '='
                else:
                    current = (*owner, index)
                    stack[-1] = (owner, opened, is_table, index + 1)
                break
            else:
                return

    # Documents --------------------------------------------------------------------

    def _header(self) -> Path:
        start = self._here()
        is_array = self.text.startswith("[[", self.pos)
        self._advance(self.pos + (2 if is_array else 1))
        parts = self._key()
        self._advance(self.pos + (2 if is_array else 1))
        path = self._record_key((), parts, header=True)
        header = self._span_to(start, self.pos)
        if is_array:
            index = self.array_tables.get(path, -1) + 1
            self.array_tables[path] = index
            path = (*path, index)
            self.found.keys[path] = header
        self.found.values[path] = header
        return path

    def scan(self) -> _Positions:
        table: Path = ()
        end = len(self.text)
        while True:
            self._skip(_BLANK)
            if self.pos >= end:
                return self.found
            if self.text[self.pos] == "[":
                table = self._header()
                continue
            path = self._record_key(table, self._key())
            self._advance(self.pos + 1)  # the '='
            self._value(path)


def _unescape(raw: str) -> str:
    def replace(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2)
        if code:
            return chr(int(code, 16))
        return _SIMPLE_ESCAPES.get(match.group(3), match.group(0))

    return _ESCAPES.sub(replace, raw) if "\\" in raw else raw


def _locate(text: str) -> _Positions:
    try:
        return _Scanner(text).scan()
    except (ValueError, IndexError):
        # Valid TOML the scan does not follow: no positions, so findings point at line 1.
        return _Positions()


class _TooLarge(Exception):
    pass


def _build(data: dict[str, object], found: _Positions, whole: Span, limits: Limits) -> Node:
    """Nodes for tomllib's values, placed by the scan; iterative, depth-bounded."""

    def children(value: object) -> Iterator[tuple[str | int, object]]:
        if isinstance(value, dict):
            yield from value.items()
        elif isinstance(value, list):
            yield from enumerate(value)

    root = Mapping([], whole)
    # Work items: (value, path, span to fall back on, container to append to, key).
    work: list[tuple[object, Path, Span, Node, str | int]] = [
        (value, (key,), whole, root, key) for key, value in reversed(data.items())
    ]
    count = 0
    while work:
        value, path, fallback, parent, key = work.pop()
        count += 1
        if len(path) > limits.max_depth:
            raise _TooLarge(
                f"nesting deeper than {limits.max_depth} levels (max-depth in the config)"
            )
        if count > limits.max_nodes:
            raise _TooLarge(f"more than {limits.max_nodes:,} nodes (max-nodes in the config)")
        span = found.values.get(path, fallback)
        node: Node
        if isinstance(value, dict):
            node = Mapping([], span)
        elif isinstance(value, list):
            node = Sequence([], span)
        else:
            node = Scalar(value, span)
        if isinstance(parent, Mapping):
            assert isinstance(key, str)
            parent.pairs.append((Scalar(key, found.keys.get(path, span)), node))
        elif isinstance(parent, Sequence):
            parent.items.append(node)
        work.extend(
            (child, (*path, name), span, node, name)
            for name, child in reversed(list(children(value)))
        )
    return root


def _error_span(message: str, text: str) -> tuple[str, Span]:
    match = _ERROR_AT.search(message)
    if match is None:
        return message, Span.point()
    if match.group(1):
        return message[: match.start()], Span.point(int(match.group(1)), int(match.group(2)))
    lines = text.split("\n")
    return message[: match.start()], Span.point(len(lines), len(lines[-1]) + 1)


def parse_toml(path: str, text: str, limits: Limits) -> Document:
    """Parse TOML into nodes; a syntax error becomes an SL001 problem with its position."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message, span = _error_span(str(exc), text)
        return Document(path, text, None, [Problem("SL001", f"invalid TOML: {message}", span)])
    except RecursionError:
        problem = Problem("SL001", "invalid TOML: nesting too deep to read", Span.point())
        return Document(path, text, None, [problem])
    except ValueError as exc:  # e.g. an integer past Python's digit limit
        problem = Problem("SL001", f"invalid TOML: {' '.join(str(exc).split())}", Span.point())
        return Document(path, text, None, [problem])
    lines = text.split("\n")
    whole = Span(1, 1, len(lines), len(lines[-1]) + 1)
    try:
        root = _build(data, _locate(text), whole, limits)
    except _TooLarge as exc:
        return Document(path, text, None, [Problem("SL001", str(exc), Span.point())])
    return Document(path, text, root, [])
