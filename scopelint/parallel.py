"""Linting many files on several cores, with the same results in the same order as one.

Workers are forked from the process that already holds the engine (catalog, rules,
options), so nothing but file names goes out and only results come back. Where fork is
not available the caller lints serially.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

from scopelint.discovery import Candidate

if TYPE_CHECKING:
    from scopelint.engine import Engine, Outcome

_engine: Engine | None = None  # the forked workers' copy


def _lint(candidate: Candidate) -> Outcome:
    assert _engine is not None
    return _engine.lint_one(candidate)


def lint_in_parallel(
    engine: Engine, candidates: list[Candidate], workers: int
) -> Iterator[Outcome]:
    global _engine
    _engine = engine
    chunk = max(1, min(32, len(candidates) // (workers * 4)))
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            # map keeps the input order, so the report is the one a serial run prints.
            yield from pool.map(_lint, candidates, chunksize=chunk)
    finally:
        _engine = None
