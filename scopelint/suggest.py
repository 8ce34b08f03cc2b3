"""Did-you-mean suggestions for names users mistype."""

from __future__ import annotations

from collections.abc import Iterable


def closest(word: str, candidates: Iterable[str]) -> str | None:
    options = list(candidates)
    by_lower = {c.lower(): c for c in options}
    if word.lower() in by_lower:
        return by_lower[word.lower()]
    import difflib  # only a mistyped name pays for it

    matches = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[matches[0]] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """' (did you mean 'x'?)' or '' — ready to append to a message."""
    match = closest(word, candidates)
    return f" (did you mean '{match}'?)" if match and match != word else ""
