"""Writing to the terminal without click, so the pre-commit path need not import it."""

from __future__ import annotations

import sys
from typing import TextIO


def echo(text: str, err: bool = False, nl: bool = True) -> None:
    """Write `text` to standard output (or error) as click.echo does for a string."""
    # Looked up on each call: test runners swap the streams.
    stream: TextIO | None = sys.stderr if err else sys.stdout
    if stream is None:  # pythonw, or a closed descriptor
        return
    if nl:
        text += "\n"
    try:
        stream.write(text)
    except UnicodeEncodeError:
        # An ASCII-only stream (PYTHONIOENCODING=ascii): click writes UTF-8 bytes beneath
        # it rather than fail, and so do we.
        buffer = getattr(stream, "buffer", None)
        if buffer is None:
            raise
        stream.flush()
        buffer.write(text.encode("utf-8", "replace"))
    stream.flush()
