"""Making file content safe to show in a terminal."""

from __future__ import annotations

import re

# ESC sequences (CSI, OSC … up to their terminator) and every other C0/C1 control but tab.
# Newlines go too: everything shown is one line, and a newline in a file name or a
# connection name must not forge a line of output.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|.)?")
_CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    return _CONTROLS.sub("\ufffd", _ESCAPES.sub("\ufffd", text))
