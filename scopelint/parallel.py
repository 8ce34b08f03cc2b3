"""Linting many files on several cores, with the results a serial run gives.

Worker processes are forked from the process that already holds the engine (catalog,
rules, options), so nothing but results travels: each worker writes length-prefixed
pickles of (index, outcome) to its own pipe, and the parent reads all pipes as data
arrives. Plain os.fork and pipes rather than multiprocessing: importing
concurrent.futures and multiprocessing alone costs about 40 ms, which made a pool slower
than one process for anything under a few hundred files.

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
from collections.abc import Iterator
from typing import TYPE_CHECKING

from scopelint.discovery import Candidate

if TYPE_CHECKING:
    from scopelint.engine import Engine, Outcome

_LENGTH = 8  # bytes of the big-endian length before each pickle
_FAILED = None  # sent in place of an outcome when linting the file raised


def can_fork() -> bool:
    return hasattr(os, "fork")


def lint_in_parallel(
    engine: Engine, candidates: list[Candidate], workers: int
) -> Iterator[tuple[int, Outcome]]:
    """(index into `candidates`, its outcome), in the order the files are done."""
    shares = _shares(candidates, workers)
    # Whatever the parent buffered must not be written again by a child.
    sys.stdout.flush()
    sys.stderr.flush()
    children: dict[int, tuple[int, list[int]]] = {}  # read end -> (pid, share)
    try:
        for share in shares:
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: never returns
                os.close(read_end)
                _work(engine, candidates, share, write_end)
            os.close(write_end)
            children[read_end] = (pid, share)
        yield from _collect(engine, candidates, children)
    finally:
        for read_end, (pid, _) in children.items():
            with contextlib.suppress(OSError):
                os.close(read_end)
            _reap(pid)


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


def _work(engine: Engine, candidates: list[Candidate], share: list[int], fd: int) -> None:
    """In the child: lint the share, send each outcome, and exit without running the
    parent's exit handlers or flushing its streams."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends a worker quietly
        with os.fdopen(fd, "wb") as pipe:
            for index in share:
                try:
                    outcome: Outcome | None = engine.lint_one(candidates[index])
                except Exception:  # the parent lints it again and reports it as usual
                    outcome = _FAILED
                data = pickle.dumps((index, outcome), protocol=pickle.HIGHEST_PROTOCOL)
                pipe.write(len(data).to_bytes(_LENGTH, "big") + data)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _collect(
    engine: Engine, candidates: list[Candidate], children: dict[int, tuple[int, list[int]]]
) -> Iterator[tuple[int, Outcome]]:
    done: set[int] = set()
    retry: list[int] = []
    buffers = {read_end: bytearray() for read_end in children}
    with selectors.DefaultSelector() as selector:
        for read_end in children:
            selector.register(read_end, selectors.EVENT_READ)
        while buffers:
            for key, _ in selector.select():
                read_end = int(key.fd)
                chunk = os.read(read_end, 1 << 16)
                buffer = buffers[read_end]
                if not chunk:  # the worker finished, or died
                    selector.unregister(read_end)
                    del buffers[read_end]
                    _, share = children[read_end]
                    retry.extend(i for i in share if i not in done)
                    continue
                buffer += chunk
                for index, outcome in _frames(buffer):
                    done.add(index)
                    if outcome is _FAILED:
                        retry.append(index)
                    else:
                        yield index, outcome
    for index in sorted(retry):
        yield index, engine.lint_one(candidates[index])


def _frames(buffer: bytearray) -> Iterator[tuple[int, Outcome | None]]:
    """The complete frames at the start of `buffer`, removed from it as they are read."""
    while len(buffer) >= _LENGTH:
        size = int.from_bytes(buffer[:_LENGTH], "big")
        if len(buffer) < _LENGTH + size:
            return
        frame = bytes(buffer[_LENGTH : _LENGTH + size])
        del buffer[: _LENGTH + size]
        yield pickle.loads(frame)


def _reap(pid: int) -> None:
    """Wait for a worker; one still running (the parent was interrupted) is stopped."""
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)
        if finished == 0:
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
    except (ChildProcessError, ProcessLookupError):
        pass
