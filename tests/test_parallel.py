"""--jobs: several worker processes give exactly the serial run's report."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from scopelint import parallel
from scopelint.catalog import load_catalog, load_rules
from scopelint.discovery import Candidate
from scopelint.engine import PARALLEL_THRESHOLD, Engine, Options, Outcome, _worker_count
from scopelint.parallel import _shares
from scopelint.report.json_report import report_dict

from conftest import EXAMPLES


def _tree(tmp_path: Path, count: int) -> list[str]:
    sources = sorted(EXAMPLES.glob("*.yaml"))
    for index in range(count):
        source = sources[index % len(sources)]
        (tmp_path / f"{index:03d}-{source.name}").write_text(
            source.read_text(encoding="utf-8"), encoding="utf-8")
    return [str(tmp_path)]


def _report(paths: list[str], jobs: int) -> dict[str, object]:
    engine = Engine(load_catalog(), load_rules(), Options(jobs=jobs))
    result = engine.run(paths)
    assert result.files
    return report_dict(result, "2026-01-01")


def test_parallel_report_equals_the_serial_one(tmp_path: Path) -> None:
    paths = _tree(tmp_path, 40)
    serial = _report(paths, 1)
    assert serial["summary"]["findings"] > 100  # type: ignore[index]
    assert _report(paths, 3) == serial


def test_secrets_found_by_workers_are_still_redacted(tmp_path: Path) -> None:
    paths = _tree(tmp_path, 14)
    engine = Engine(load_catalog(), load_rules(), Options(jobs=2))
    result = engine.run(paths)
    assert any(len(secret) > 20 for secret in result.secrets)


def test_worker_count() -> None:
    assert _worker_count(1, 5000) == 1
    assert _worker_count(4, 2) == 2
    assert _worker_count(0, PARALLEL_THRESHOLD - 1) == 1
    assert _worker_count(0, 5000) >= 1


def _patched_in_workers(
    monkeypatch: pytest.MonkeyPatch, trouble: Callable[[Candidate], None]
) -> None:
    """Engine.lint_one as workers run it: `trouble` happens first, in workers only."""
    parent = os.getpid()
    original = Engine.lint_one

    def lint_one(self: Engine, candidate: Candidate) -> Outcome:
        if os.getpid() != parent:
            trouble(candidate)
        return original(self, candidate)

    monkeypatch.setattr(Engine, "lint_one", lint_one)


def _die_on_the_seventh(candidate: Candidate) -> None:
    if os.path.basename(candidate.path).startswith("007-"):
        os._exit(3)  # as an out-of-memory kill would: no goodbye


def _fail_every_file(candidate: Candidate) -> None:
    raise RuntimeError(f"cannot lint {candidate.path} here")


@pytest.mark.parametrize(
    "trouble",
    [_die_on_the_seventh, _fail_every_file],
    ids=["a worker that dies loses no file", "a file a worker fails on is linted again"],
)
def test_trouble_in_a_worker_leaves_the_serial_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trouble: Callable[[Candidate], None]
) -> None:
    paths = _tree(tmp_path, 40)
    serial = _report(paths, 1)
    _patched_in_workers(monkeypatch, trouble)
    assert _report(paths, 2) == serial


def test_an_error_the_parent_meets_too_is_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _tree(tmp_path, 20)

    def broken(self: Engine, candidate: Candidate) -> Outcome:
        raise RuntimeError("broken checker")

    monkeypatch.setattr(Engine, "lint_one", broken)
    with pytest.raises(RuntimeError, match="broken checker"):
        Engine(load_catalog(), load_rules(), Options(jobs=2)).run(paths)


def test_progress_counts_every_file_once_in_order(tmp_path: Path) -> None:
    paths = _tree(tmp_path, 30)
    seen: list[tuple[int, int]] = []
    engine = Engine(load_catalog(), load_rules(), Options(jobs=3))
    engine.run(paths, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(done, 30) for done in range(31)]


def test_shares_balance_bytes_and_keep_input_order(tmp_path: Path) -> None:
    sizes = [50_000, 10, 10, 10, 10, 20_000, 30_000]
    candidates = []
    for index, size in enumerate(sizes):
        path = tmp_path / f"{index}.yaml"
        path.write_bytes(b"#" * size)
        candidates.append(Candidate(str(path), True))
    shares = _shares(candidates, 2)
    assert sorted(i for share in shares for i in share) == list(range(len(sizes)))
    assert all(share == sorted(share) for share in shares)
    # Largest first, each to the lighter worker: 50,000 bytes against 30,000 + 20,000.
    assert shares == [[0, 1, 3], [2, 4, 5, 6]]


def test_a_fork_that_fails_leaves_the_share_to_the_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _tree(tmp_path, 40)
    serial = _report(paths, 1)
    real_fork = os.fork
    calls = []

    def fork_once() -> int:
        calls.append(1)
        if len(calls) > 1:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        return real_fork()

    monkeypatch.setattr(parallel.os, "fork", fork_once)
    assert _report(paths, 3) == serial
    assert len(calls) == 3
