"""Making file content inert inside Markdown: no tables broken, no HTML, no links."""

from __future__ import annotations

import html
import re

# Characters that would start emphasis, code, links, HTML or end a table cell.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def markdown_text(text: str) -> str:
    """Text for a paragraph or a table cell, shown literally."""
    text = _CONTROLS.sub("\ufffd", _BREAKS.sub(" ", text))
    return _SPECIAL.sub(r"\\\1", html.escape(text, quote=False))
