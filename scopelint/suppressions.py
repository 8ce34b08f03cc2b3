"""Inline `# scopelint: ignore[SL101, excess-scope] reason` comments."""

from __future__ import annotations

import re
from typing import NamedTuple

from scopelint.findings import Span
from scopelint.lines import YAML_BREAK, split_lines

# YAML and TOML comment with `#`, JSON with comments (VS Code's dialect) with `//`.
_COMMENTS = ("#", "//")
_COMMENT = re.compile(r"(?:#|//)\s*scopelint:\s*ignore\[([^\]]*)\]")


class Suppression(NamedTuple):
    line: int  # the line the comment stands on
    target: int  # the line whose findings it silences
    span: Span
    rules: list[str]
    used: set[str]  # the rules it silenced something of, filled in by the engine


def find_suppressions(text: str, breaks: re.Pattern[str] = YAML_BREAK) -> list[Suppression]:
    found = []
    lines = split_lines(text, breaks)
    for number, line in enumerate(lines, start=1):
        if "scopelint" not in line:
            continue
        match = _COMMENT.search(line)
        if match is None:
            continue
        alone = line[: match.start()].strip() == ""
        target = number
        if alone:
            # Alone on its line: it covers the next line that is not a comment.
            target = next(
                (
                    n
                    for n in range(number + 1, len(lines) + 1)
                    if lines[n - 1].strip() and not lines[n - 1].lstrip().startswith(_COMMENTS)
                ),
                number + 1,
            )
        rules = [r.strip() for r in match.group(1).split(",") if r.strip()]
        span = Span(number, match.start() + 1, number, match.end() + 1)
        found.append(Suppression(number, target, span, rules, set()))
    return found
