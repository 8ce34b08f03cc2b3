"""Linting many files on several cores, with the results a serial run gives.

Worker processes are forked from the process that already holds the engine (catalog,
rules, options), so nothing but results travels. Each worker writes length-prefixed
pickles of (index, outcome) to its own unlinked temporary file, and one byte per file
done to a pipe the parent watches for progress. Results are read once the workers have
finished: streaming them through pipes made the parent compete with the workers for the
cores and the workers wait on full pipes, which cost a quarter of the run on two cores.
Plain os.fork rather than multiprocessing: importing concurrent.futures and
multiprocessing alone costs about 40 ms.

A worker that dies, or a file a worker could not lint, is linted again in the parent, so
a crash surfaces there exactly as it would in a serial run. Where fork is not available
the caller lints serially.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import selectors
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, BinaryIO

from scopelint.discovery import Candidate

if TYPE_CHECKING:
    from scopelint.engine import Engine, Outcome

_LENGTH = 8  # bytes of the big-endian length before each pickle
_FAILED = None  # written in place of an outcome when linting the file raised
_BATCH = 64  # outcomes per pickle


def can_fork() -> bool:
    return hasattr(os, "fork")


class _Worker:
    def __init__(self, share: list[int], report: bool) -> None:
        self.share = share
        self.report = report  # one byte down the pipe per file done
        # Closed by _stop, whatever happens to the worker.
        self.results: BinaryIO = tempfile.TemporaryFile()  # noqa: SIM115
        self.progress, self.progress_end = os.pipe()
        self.pid = 0


def lint_in_parallel(
    engine: Engine,
    candidates: list[Candidate],
    workers: int,
    done: Callable[[], None] | None = None,
) -> list[Outcome]:
    """Every candidate's outcome, in input order; `done`, if given, is called as each
    file ends (without it, workers report nothing until they finish)."""
    # Whatever the parent buffered must not be written again by a child.
    sys.stdout.flush()
    sys.stderr.flush()
    started: list[_Worker] = []
    try:
        for share in _shares(candidates, workers):
            worker = _Worker(share, report=done is not None)
            started.append(worker)
            try:
                worker.pid = os.fork()
            except OSError:  # no process to spare: the parent lints this share itself
                _close_pipe(worker)
                continue
            if worker.pid == 0:  # the child: never returns
                _work(engine, candidates, worker)
            os.close(worker.progress_end)
            worker.progress_end = -1
        _follow([worker for worker in started if worker.pid > 0], done)
        return _gather(engine, candidates, started)
    finally:
        for worker in started:
            _stop(worker)


def _shares(candidates: list[Candidate], workers: int) -> list[list[int]]:
    """Indices per worker, balanced by file size: the largest file first, each to the
    worker with the least bytes so far. Each share is linted in input order."""
    loads = [0] * workers
    shares: list[list[int]] = [[] for _ in range(workers)]
    sizes = [(_size(c.path), index) for index, c in enumerate(candidates)]
    for size, index in sorted(sizes, key=lambda item: (-item[0], item[1])):
        lightest = loads.index(min(loads))
        shares[lightest].append(index)
        loads[lightest] += size + 1
    return [sorted(share) for share in shares if share]


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except (OSError, ValueError):
        return 0


def _work(engine: Engine, candidates: list[Candidate], worker: _Worker) -> None:
    """In the child: lint the share, record each outcome, and exit without running the
    parent's exit handlers or flushing its streams."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends a worker quietly
        os.close(worker.progress)
        with os.fdopen(worker.results.fileno(), "wb", closefd=False) as results:
            batch: list[tuple[int, Outcome | None]] = []
            for position, index in enumerate(worker.share, start=1):
                try:
                    batch.append((index, engine.lint_one(candidates[index])))
                except Exception:  # the parent lints it again and reports it as usual
                    batch.append((index, _FAILED))
                if worker.report:
                    os.write(worker.progress_end, b".")
                if len(batch) == _BATCH or position == len(worker.share):
                    # One pickle per batch: the paths and scope names results share are
                    # written once, and a dying worker loses at most one batch.
                    data = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
                    results.write(len(data).to_bytes(_LENGTH, "big") + data)
                    batch = []
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _follow(workers: list[_Worker], done: Callable[[], None] | None) -> None:
    """Count files as workers report them, until every worker has closed its pipe (at
    exit, whether or not it reports progress)."""
    with selectors.DefaultSelector() as selector:
        for worker in workers:
            selector.register(worker.progress, selectors.EVENT_READ)
        open_pipes = len(workers)
        while open_pipes:
            for key, _ in selector.select():
                chunk = os.read(int(key.fd), 4096)
                if not chunk:  # the worker finished, or died
                    selector.unregister(key.fd)
                    open_pipes -= 1
                if done is not None:
                    for _ in chunk:
                        done()


def _gather(engine: Engine, candidates: list[Candidate], workers: list[_Worker]) -> list[Outcome]:
    outcomes: list[Outcome | None] = [None] * len(candidates)
    for worker in workers:
        worker.results.seek(0)
        for batch in _frames(worker.results.read()):
            for index, outcome in batch:
                outcomes[index] = outcome
    # What no worker delivered (it died, or linting raised there) is linted here.
    return [
        outcome if outcome is not None else engine.lint_one(candidates[index])
        for index, outcome in enumerate(outcomes)
    ]


def _frames(data: bytes) -> Iterator[list[tuple[int, Outcome | None]]]:
    """The complete frames in `data`; a frame cut short by a dying worker is dropped."""
    position = 0
    while position + _LENGTH <= len(data):
        size = int.from_bytes(data[position : position + _LENGTH], "big")
        start = position + _LENGTH
        if start + size > len(data):
            return
        yield pickle.loads(data[start : start + size])
        position = start + size


def _close_pipe(worker: _Worker) -> None:
    for fd in (worker.progress, worker.progress_end):
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)
    worker.progress = worker.progress_end = -1


def _stop(worker: _Worker) -> None:
    """Close what the parent holds of a worker and reap it; one still running (the
    parent was interrupted) is stopped first."""
    _close_pipe(worker)
    worker.results.close()
    if worker.pid <= 0:
        return
    try:
        finished, _ = os.waitpid(worker.pid, os.WNOHANG)
        if finished == 0:
            os.kill(worker.pid, signal.SIGTERM)
            os.waitpid(worker.pid, 0)
    except (ChildProcessError, ProcessLookupError):
        pass
