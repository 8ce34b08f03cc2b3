"""Text edits that keep comments and layout: where a fix goes, applying fixes, showing them.

A fix is a replacement of exact character offsets, so everything outside it (comments,
quoting, indentation, CRLF line endings) stays byte for byte what it was. Each builder
checks the text around the node before offering a fix and offers none when the layout
is not the one it knows how to edit: no fix is better than a wrong one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from scopelint.findings import Fix, Span
from scopelint.lines import line_starts

# What may stand before a block list item on its line, and after it.
_BLOCK_ITEM_PREFIX = re.compile(r"[ \t]*-[ \t]+")
_BLOCK_ITEM_SUFFIX = re.compile(r"[ \t]*(?:#[^\r\n]*)?\r?\n?")
_SUPPRESSION = re.compile(r"#\s*scopelint:\s*ignore\[")
# Between two flow list entries: a comma and whitespace, never a comment.
_FLOW_GAP = re.compile(r"\s*,\s*")
# What may follow an endpoint path inside a URL.
_PATH_END = frozenset("/?#\"'")


def text_offset(text: str, line: int, column: int) -> int:
    """Character offset of a 1-based line and column (as `Document.offset`)."""
    starts = line_starts(text)
    if line - 1 >= len(starts):
        return len(text)
    return starts[line - 1] + column - 1


def span_offsets(text: str, span: Span) -> tuple[int, int]:
    return text_offset(text, span.line, span.column), text_offset(
        text, span.end_line, span.end_column
    )


def _holds_value(raw: str, value: str) -> bool:
    """The node's source text is the value itself, plain or simply quoted."""
    return raw in (value, f"'{value}'", f'"{value}"')


def collection_style(text: str, span: Span) -> str | None:
    """'flow' for `[a, b]`, 'block' for `- a` items, None for anything else (an anchor…)."""
    start = text_offset(text, span.line, span.column)
    head = text[start : start + 1]
    return {"[": "flow", "-": "block"}.get(head)


def remove_block_item(text: str, item: Span, value: str, description: str) -> Fix | None:
    """Delete a `- value` line with its newline (and its trailing comment, which is its own)."""
    if item.line != item.end_line:
        return None
    start, end = span_offsets(text, item)
    if not _holds_value(text[start:end], value):
        return None
    line_start = text.rfind("\n", 0, start) + 1
    if not _BLOCK_ITEM_PREFIX.fullmatch(text, line_start, start):
        return None
    newline = text.find("\n", end)
    line_stop = len(text) if newline < 0 else newline + 1
    if not _BLOCK_ITEM_SUFFIX.fullmatch(text, end, line_stop):
        return None
    if _suppressed_from_above(text, line_start):
        # Deleting the line would hand that comment to the next item and silence it.
        return None
    return Fix(description, line_start, line_stop, "")


def _suppressed_from_above(text: str, line_start: int) -> bool:
    """A `# scopelint: ignore[...]` comment alone above this line (across other comments)."""
    end = line_start
    while end > 0:
        start = text.rfind("\n", 0, end - 1) + 1
        line = text[start:end].strip()
        if not line.startswith("#"):
            return False
        if _SUPPRESSION.search(line):
            return True
        end = start
    return False


def remove_flow_item(
    text: str, items: Sequence[Span], index: int, value: str, description: str
) -> Fix | None:
    """Delete one `[a, b, c]` entry and the comma and space on one side of it."""
    if len(items) < 2:
        return None
    offsets = [span_offsets(text, span) for span in items]
    start, end = offsets[index]
    if not _holds_value(text[start:end], value):
        return None
    if index + 1 < len(offsets):
        following = offsets[index + 1][0]
        if not _FLOW_GAP.fullmatch(text, end, following):
            return None
        return Fix(description, start, following, "")
    preceding = offsets[index - 1][1]
    if not _FLOW_GAP.fullmatch(text, preceding, start):
        return None
    return Fix(description, preceding, end, "")


def replace_url_path(
    text: str, url: Span, old_path: str, new_path: str, description: str
) -> Fix | None:
    """Swap the endpoint path inside a URL value, keeping its quotes, slash and query."""
    start, end = span_offsets(text, url)
    raw = text[start:end]
    scheme_end = raw.find("://")
    if scheme_end < 0:
        return None
    path_start = raw.find("/", scheme_end + 3)
    if path_start < 0 or raw[path_start : path_start + len(old_path)] != old_path:
        return None
    after = path_start + len(old_path)
    if after < len(raw) and raw[after] not in _PATH_END:
        return None
    return Fix(description, start + path_start, start + after, new_path)


class Applied(NamedTuple):
    text: str
    applied: tuple[Fix, ...]
    skipped: tuple[Fix, ...]  # overlapped an earlier fix: retried after the next lint


def apply_fixes(text: str, fixes: Iterable[Fix]) -> Applied:
    """Apply every fix that does not overlap one before it, in offset order."""
    ordered = sorted(set(fixes), key=lambda fix: (fix.start, fix.end, fix.replacement))
    pieces: list[str] = []
    applied: list[Fix] = []
    skipped: list[Fix] = []
    position = 0
    for fix in ordered:
        if fix.start < position or fix.end < fix.start or fix.end > len(text):
            skipped.append(fix)
            continue
        pieces.append(text[position : fix.start])
        pieces.append(fix.replacement)
        position = fix.end
        applied.append(fix)
    pieces.append(text[position:])
    return Applied("".join(pieces), tuple(applied), tuple(skipped))


def unified_diff(path: str, before: str, after: str) -> str:
    """A `git diff`-style patch that `patch -p1` and `git apply` accept."""
    import difflib  # only --diff shows a patch

    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    out: list[str] = []
    for line in lines:
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)
