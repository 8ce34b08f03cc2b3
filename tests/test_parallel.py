"""--jobs: several worker processes give exactly the serial run's report."""

from __future__ import annotations

from pathlib import Path

from scopelint.catalog import load_catalog, load_rules
from scopelint.engine import PARALLEL_THRESHOLD, Engine, Options, _worker_count
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
