"""Snapshots of the two original formats over the examples, beside the new ones."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from conftest import CliResult
from snapshot_support import assert_snapshot, run_examples

Run = Callable[..., CliResult]


def test_text_snapshot(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_examples(run_cli, monkeypatch)
    assert result.code == 1
    assert_snapshot("examples.txt", result.out)


def test_json_snapshot(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_examples(run_cli, monkeypatch, "--format", "json")
    assert json.loads(result.out)["version"] == 1
    assert_snapshot("examples.json", result.out)
