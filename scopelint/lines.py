"""Lines as the readers count them, so context lines and suppressions land where findings do.

libyaml breaks lines at `\r\n`, `\r`, `\n`, NEL and U+2028/U+2029; the JSON and TOML
readers at `\r\n`, `\r` and `\n` only. `str.splitlines` follows neither (it also breaks
at form feeds and more), so it is not used for positions.
"""

from __future__ import annotations

import re
from functools import lru_cache

JSON_BREAK = re.compile(r"\r\n|\r|\n")
YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_JSON_LIKE = (".json", ".jsonc", ".toml")


def break_for(path: str) -> re.Pattern[str]:
    """The line-break rule of the reader that parsed `path`."""
    return JSON_BREAK if path.endswith(_JSON_LIKE) else YAML_BREAK


def split_lines(text: str, breaks: re.Pattern[str] = YAML_BREAK) -> list[str]:
    """The file's lines without their breaks (a final break adds no empty line)."""
    if not text:
        return []
    lines = breaks.split(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


@lru_cache(maxsize=4)
def line_starts(text: str, breaks: re.Pattern[str] = JSON_BREAK) -> tuple[int, ...]:
    """Offsets where each line begins; built once per file and kept for the next call."""
    return (0, *(match.end() for match in breaks.finditer(text)))
