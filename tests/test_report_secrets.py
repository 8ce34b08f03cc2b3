"""No secret leaves scopelint, whatever the format: every output is grepped for it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from scopelint.report import FORMATS

from conftest import AS_OF, CliResult
from secret_tree import assert_no_secret, write_tree

Run = Callable[..., CliResult]

@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _check(run_cli: Run, *args: str) -> CliResult:
    return run_cli(
        "check", "--as-of", AS_OF.isoformat(), "--no-color", *args, "plan.yaml", ".mcp.json"
    )


def test_the_fixture_really_holds_findings_about_secrets(tree: Path, run_cli: Run) -> None:
    data = json.loads(_check(run_cli, "--format", "json").out)
    codes = [f["code"] for f in data["findings"]]
    # Both headers, the pasted scope, the name, the URL's query, and the client's header.
    assert codes.count("SL501") == 6
    # Findings whose messages, lines or fixes sit next to a secret.
    assert {"SL101", "SL102", "SL104", "SL401"} <= set(codes)


@pytest.mark.parametrize("output_format", FORMATS)
def test_every_format(tree: Path, run_cli: Run, output_format: str) -> None:
    result = _check(run_cli, "--format", output_format)
    assert result.code == 1
    assert result.out.strip()
    assert_no_secret(result.out + result.err, output_format)


def test_text_with_github_annotations(
    tree: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = _check(run_cli, "--statistics")
    assert "::error" in result.out
    assert_no_secret(result.out + result.err, "text + annotations")


def test_fix_diff(tree: Path, run_cli: Run) -> None:
    result = _check(run_cli, "--diff")
    assert result.code == 1 and result.out.startswith("--- a/")
    assert_no_secret(result.out + result.err, "--diff")


def test_baseline_file_and_stale_entries(tree: Path, run_cli: Run) -> None:
    _check(run_cli, "--write-baseline", "baseline.json")
    written = (tree / "baseline.json").read_text(encoding="utf-8")
    assert json.loads(written)["findings"]
    assert_no_secret(written, "baseline file")
    # Every entry stale now: the stale list is printed, and must not leak either.
    (tree / "plan.yaml").write_text("scopelint: 1\nconnections: []\n", encoding="utf-8")
    result = _check(run_cli, "--baseline", "baseline.json")
    assert "no longer occur" in result.err
    assert_no_secret(result.out + result.err, "stale baseline entries")


@pytest.mark.parametrize("output_format", ["text", "markdown", "json"])
def test_privilege_diff(tree: Path, run_cli: Run, output_format: str) -> None:
    result = run_cli("diff", "--format", output_format, "/dev/null", "plan.yaml")
    assert result.code == 0 and "pasted-bearer" in result.out
    assert_no_secret(result.out + result.err, f"diff --format {output_format}")
