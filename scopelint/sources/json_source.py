"""JSON, with the comments and trailing commas of VS Code's dialect, to positioned nodes.

The stdlib json module gives no positions, so this is a small tokenizer and an
iterative parser: nesting costs a list entry rather than a Python stack frame, and
depth and node count are bounded by Limits. Positions are counted in the original
text, comments included, so findings point where an editor would.
"""

from __future__ import annotations

import bisect
import json
import re

from scopelint.findings import Span
from scopelint.sources.nodes import Document, Mapping, Node, Problem, Scalar, Sequence
from scopelint.sources.reading import Limits

# Whitespace and comments before a token are consumed by the same match; possessive
# quantifiers keep a failed match linear however long the comment.
_TRIVIA = r"(?:[ \t\r\n]++|//[^\r\n]*+|/\*.*?\*/)*+"
_TOKEN = re.compile(
    _TRIVIA
    + r"""(?:
    (?P<string>"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*+")
    |(?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
    |(?P<literal>true|false|null)
    |(?P<punct>[{}\[\]:,])
    )""",
    re.VERBOSE | re.DOTALL,
)
_TRIVIA_ONLY = re.compile(_TRIVIA, re.DOTALL)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_WORD = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LITERALS: dict[str, object] = {"true": True, "false": False, "null": None}

# Parser states: what the innermost open container accepts next.
_KEY_OR_END, _COLON, _VALUE, _COMMA_OR_END, _ITEM_OR_END = range(5)
_EXPECTED = {
    _KEY_OR_END: "a string key or '}'",
    _COLON: "':' after the key",
    _VALUE: "a value",
    _ITEM_OR_END: "a value or ']'",
}


class JsonError(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


class _Lines:
    """Offset -> 1-based line and column, by binary search over line starts."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text))]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1

    def span(self, start: int, end: int) -> Span:
        return Span(*self.position(start), *self.position(end))

    def token_span(self, start: int, end: int) -> Span:
        """The span of a token on one line (scalars never hold a line break)."""
        index = bisect.bisect_right(self.starts, start) - 1
        first = self.starts[index]
        return Span(index + 1, start - first + 1, index + 1, end - first + 1)


class _Frame:
    __slots__ = ("is_object", "items", "key", "pairs", "seen", "start", "state")

    def __init__(self, is_object: bool, start: int) -> None:
        self.is_object = is_object
        self.start = start
        self.state = _KEY_OR_END if is_object else _ITEM_OR_END
        self.items: list[Node] = []
        self.pairs: list[tuple[Node, Node]] = []
        self.key: Scalar | None = None
        self.seen: dict[str, Scalar] = {}


def _string_value(token: str) -> str:
    if "\\" not in token:
        return token[1:-1]
    value: str = json.loads(token)
    if _SURROGATE.search(value):
        # A lone \ud800 escape cannot be printed or encoded: keep a visible stand-in.
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


def _number_value(token: str) -> int | float:
    if "." in token or "e" in token or "E" in token:
        return float(token)
    try:
        return int(token)
    except ValueError:  # more digits than int() converts; the magnitude is what matters
        return float(token)


def _expected(frame: _Frame | None, state: int) -> str:
    if state == _COMMA_OR_END:
        return "',' or '}'" if frame is not None and frame.is_object else "',' or ']'"
    return _EXPECTED[state]


def _describe(kind: str | None, token: str) -> str:
    if kind == "string":
        return "a string"
    if kind in ("number", "literal"):
        return token
    return f"'{token}'"


def _scan_error(text: str, pos: int) -> JsonError:
    """Why no token starts at `pos`, in words a user can act on."""
    char = text[pos]
    if char == '"':
        i = pos + 1
        while i < len(text):
            c = text[i]
            if c == "\\":
                if text[i + 1 : i + 2] in ('"', "\\", "/", "b", "f", "n", "r", "t"):
                    i += 2
                    continue
                if text[i + 1 : i + 2] == "u":
                    return JsonError("invalid \\u escape: it takes four hex digits", i)
                return JsonError(f"invalid escape '\\{text[i + 1 : i + 2]}' in a string", i)
            if c in "\r\n":
                break
            if ord(c) < 0x20:
                return JsonError(f"control character U+{ord(c):04X} in a string: escape it", i)
            i += 1
        return JsonError("unterminated string", pos)
    if text.startswith("/*", pos):
        return JsonError("unterminated /* comment", pos)
    if char == "'":
        return JsonError("strings and keys need double quotes, not single quotes", pos)
    word = _WORD.match(text, pos)
    if word:
        return JsonError(f"unexpected '{word.group(0)}': strings and keys need double quotes", pos)
    shown = char if char.isprintable() else f"U+{ord(char):04X}"
    return JsonError(f"unexpected character '{shown}'", pos)


def _parse(text: str, lines: _Lines, limits: Limits, problems: list[Problem]) -> Node | None:
    stack: list[_Frame] = []
    root: Node | None = None
    count = 0
    pos, end = 0, len(text)
    while True:
        match = _TOKEN.match(text, pos)
        if match is None:
            trivia = _TRIVIA_ONLY.match(text, pos)
            pos = trivia.end() if trivia else pos
            if pos >= end:
                break
            raise _scan_error(text, pos)
        kind = match.lastgroup or ""
        start, pos = match.start(kind), match.end()
        token = text[start:pos]
        frame = stack[-1] if stack else None
        state = frame.state if frame is not None else _VALUE
        if root is not None:
            raise JsonError(
                f"unexpected {_describe(kind, token)} after the end of the value", start
            )
        node: Node | None = None
        if kind == "punct":
            if token in "{[":
                if state not in (_VALUE, _ITEM_OR_END):
                    raise JsonError(f"expected {_expected(frame, state)}, found '{token}'", start)
                if len(stack) >= limits.max_depth:
                    raise JsonError(
                        f"nesting deeper than {limits.max_depth} levels (max-depth in the config)",
                        start,
                    )
                stack.append(_Frame(token == "{", start))
                continue
            if token in "}]":
                closes_object = token == "}"
                if frame is None or frame.is_object != closes_object:
                    raise JsonError(f"expected {_expected(frame, state)}, found '{token}'", start)
                if state not in (_KEY_OR_END, _COMMA_OR_END, _ITEM_OR_END):
                    raise JsonError(f"expected {_expected(frame, state)}, found '{token}'", start)
                stack.pop()
                span = lines.span(frame.start, pos)
                node = Mapping(frame.pairs, span) if closes_object else Sequence(frame.items, span)
            elif token == ":":
                if state != _COLON or frame is None:
                    raise JsonError(f"expected {_expected(frame, state)}, found ':'", start)
                frame.state = _VALUE
                continue
            else:  # ','
                if state != _COMMA_OR_END or frame is None:
                    raise JsonError(f"expected {_expected(frame, state)}, found ','", start)
                # A trailing comma is allowed, as VS Code does: the closer may come next.
                frame.state = _KEY_OR_END if frame.is_object else _ITEM_OR_END
                continue
        else:
            if kind == "string":
                value: object = _string_value(token)
            elif kind == "number":
                value = _number_value(token)
            else:
                value = _LITERALS[token]
            scalar = Scalar(value, lines.token_span(start, pos))
            if frame is not None and state == _KEY_OR_END:
                if kind != "string":
                    raise JsonError(
                        f"expected {_expected(frame, state)}, found {_describe(kind, token)}", start
                    )
                _note_key(frame, scalar, problems)
                frame.key = scalar
                frame.state = _COLON
                count += 1
                continue
            if state not in (_VALUE, _ITEM_OR_END):
                raise JsonError(
                    f"expected {_expected(frame, state)}, found {_describe(kind, token)}", start
                )
            node = scalar
        count += 1
        if count > limits.max_nodes:
            raise JsonError(
                f"more than {limits.max_nodes:,} nodes (max-nodes in the config)", start
            )
        parent = stack[-1] if stack else None
        if parent is None:
            root = node
        elif parent.is_object:
            assert parent.key is not None
            parent.pairs.append((parent.key, node))
            parent.key = None
            parent.state = _COMMA_OR_END
        else:
            parent.items.append(node)
            parent.state = _COMMA_OR_END
    if stack:
        opened = stack[-1]
        line, column = lines.position(opened.start)
        what = "object" if opened.is_object else "list"
        raise JsonError(
            f"the file ends inside the {what} opened at line {line}, column {column}", end
        )
    return root


def _note_key(frame: _Frame, key: Scalar, problems: list[Problem]) -> None:
    name = key.value
    assert isinstance(name, str)
    first = frame.seen.get(name)
    if first is not None:
        # Numbered in document order, not by line, so the fingerprint survives moves.
        repeat = 1 + sum(
            1 for p in problems if p.code == "SL003" and p.subject.startswith(f"{name}#")
        )
        problems.append(
            Problem(
                "SL003",
                f"duplicate key {name!r} (first at line {first.span.line}); "
                "JSON readers keep only the last one",
                key.span,
                subject=f"{name}#{repeat}",
            )
        )
    else:
        frame.seen[name] = key


def parse_json(path: str, text: str, limits: Limits) -> Document:
    """Parse JSON with comments into nodes; a syntax error becomes an SL001 problem."""
    lines = _Lines(text)
    problems: list[Problem] = []
    try:
        root = _parse(text, lines, limits, problems)
    except JsonError as exc:
        span = Span.point(*lines.position(exc.offset))
        return Document(path, text, None, [Problem("SL001", f"invalid JSON: {exc.message}", span)])
    return Document(path, text, root, problems)
