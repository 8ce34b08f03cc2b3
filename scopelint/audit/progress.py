"""A progress bar on a terminal's standard error while an audit reads many files."""

from __future__ import annotations

from typing import TextIO

# Below this many files an audit takes well under a second: a bar would only flicker.
MIN_FILES = 20
WIDTH = 30


class ProgressBar:
    """`audit [##########....................]  120/500 files`, redrawn in place.

    Redrawn only when the percentage changes, so a walk of 100,000 files writes at most a
    hundred lines' worth; erased when done, so the terminal is left as it was.
    """

    def __init__(self, stream: TextIO, min_files: int = MIN_FILES) -> None:
        self.stream = stream
        self.min_files = min_files
        self.shown = -1
        self.drawn = 0  # length of what is on the line now

    def __call__(self, done: int, total: int) -> None:
        if total < self.min_files:
            return
        if done >= total:
            self.clear()
            return
        percent = done * 100 // total
        if percent == self.shown:
            return
        self.shown = percent
        filled = done * WIDTH // total
        line = f"audit [{'#' * filled}{'.' * (WIDTH - filled)}] {done:>{len(str(total))}}/{total} files"
        self.stream.write("\r" + line)
        self.stream.flush()
        self.drawn = len(line)

    def clear(self) -> None:
        if self.drawn:
            self.stream.write("\r" + " " * self.drawn + "\r")
            self.stream.flush()
            self.drawn = 0


def progress_bar(stream: TextIO, quiet: bool) -> ProgressBar | None:
    """A bar only for a person watching: not with --quiet, not when stderr is piped."""
    if quiet:
        return None
    try:
        interactive = stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        interactive = False
    return ProgressBar(stream) if interactive else None
