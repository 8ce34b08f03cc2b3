"""The .gitignore files of a walked tree: which paths git would not track.

A subset of gitignore(5) that covers what repositories use: comments, `!` negation,
directory-only patterns (`build/`), anchored patterns (`/out`, `docs/*.json`), `*`,
`?`, `[...]` and `**`. Patterns apply below the folder their file is in, the last
match wins, and a directory that is ignored is never entered, so nothing under it can
be re-included, as in git.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class _Rule(NamedTuple):
    base: str  # the folder of the .gitignore, relative to the walk root ('' for the root)
    regex: re.Pattern[str]
    negated: bool
    directory_only: bool
    anchored: bool  # matched against the path from `base`, not the file name alone


def translate_glob(glob: str) -> str:
    """A gitignore glob (without leading or trailing slash) as a regex body."""
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("/**", i) and i + 3 == n:
            out.append("/.*")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        elif glob[i] == "[":
            close = glob.find("]", i + 2)
            if close < 0:
                out.append(re.escape("["))
                i += 1
                continue
            body = glob[i + 1 : close]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = close + 1
        elif glob[i] == "\\" and i + 1 < n:
            out.append(re.escape(glob[i + 1]))
            i += 2
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return "".join(out)


def parse_rules(base: str, text: str) -> list[_Rule]:
    rules = []
    for raw in text.splitlines():
        line = raw.rstrip("\n\r")
        # Trailing spaces are ignored unless escaped with a backslash.
        stripped = line.rstrip(" ")
        if stripped.endswith("\\") and len(stripped) < len(line):
            stripped += " "
        line = stripped
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        if negated:
            line = line[1:]
        elif line.startswith("\\"):
            line = line[1:]  # `\#` and `\!`: a literal first character
        directory_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        line = line.lstrip("/")
        try:
            regex = re.compile(translate_glob(line) + r"\Z", re.DOTALL)
        except re.error:
            continue  # git ignores a pattern it cannot read; so do we
        rules.append(_Rule(base, regex, negated, directory_only, anchored))
    return rules


class IgnoreRules:
    """Rules gathered from every .gitignore met so far in one walk."""

    def __init__(self) -> None:
        self.rules: list[_Rule] = []

    def add(self, base: str, text: str) -> None:
        self.rules.extend(parse_rules(base, text))

    def ignored(self, path: str, is_dir: bool) -> bool:
        """`path` is relative to the walk root, with forward slashes."""
        result = False
        name = path.rsplit("/", 1)[-1]
        for rule in self.rules:
            if rule.directory_only and not is_dir:
                continue
            if rule.base:
                if not path.startswith(rule.base + "/"):
                    continue
                relative = path[len(rule.base) + 1 :]
            else:
                relative = path
            subject = relative if rule.anchored else name
            if rule.regex.match(subject):
                result = not rule.negated
        return result
