"""The Markdown summary for pull requests: findings, needed vs granted, nothing injected."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from scopelint.catalog import load_rules
from scopelint.engine import FileResult, RunResult
from scopelint.findings import Finding, Severity, Span
from scopelint.report import ReportContext
from scopelint.report.markdown import MARKER, MAX_ROWS, render_markdown
from scopelint.report.markdown_escape import markdown_text

from conftest import ROOT, CliResult
from snapshot_support import assert_snapshot, run_examples

Run = Callable[..., CliResult]


def table_rows(text: str, header: str) -> list[list[str]]:
    """The cells of the table whose header row starts with `header`, split as GFM does."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {header} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
        rows.append([cell.strip() for cell in cells])
    return rows


def test_findings_and_connections_tables(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_examples(run_cli, monkeypatch, "--format", "markdown")
    assert result.code == 1
    data = json.loads(run_examples(run_cli, monkeypatch, "--format", "json").out)
    text = result.out
    assert text.startswith(MARKER + "\n## scopelint\n")
    summary = data["summary"]
    assert f"**{summary['error']} errors, {summary['warning']} warnings" in text
    rows = table_rows(text, "Severity")
    assert len(rows) == len(data["findings"])
    for row, finding in zip(rows, data["findings"], strict=True):
        assert row[0] == finding["severity"]
        assert row[1] == f"{finding['code']} {finding['name']}"
        assert row[2] == markdown_text(f"{finding['path']}:{finding['line']}:{finding['column']}")
    connections = table_rows(text, "Connection")
    assert len(connections) == len(data["connections"])
    over = next(r for r in connections if r[0] == markdown_text("bitbucket-shared-read"))
    assert over[3] == ", ".join(
        markdown_text(s)
        for s in [
            "read:repository:bitbucket",
            "read:pullrequest:bitbucket",
            "read:workspace:bitbucket",
        ]
    )
    assert over[5].count(",") == 2 and over[6] == "read:workspace:bitbucket"
    oauth = next(r for r in connections if r[0] == markdown_text("compass-oauth"))
    assert (oauth[2], oauth[4], oauth[5]) == ("oauth", "consent screen", "—")
    assert "can be fixed with `scopelint check --fix`" in text


def test_file_content_cannot_break_the_table_or_inject_html(run_cli: Run, tmp_path: Path) -> None:
    hostile = "evil | <img src=x onerror=alert(1)> [link](https://x.test) `code` *b* _i_"
    plan = tmp_path / "plan.yaml"
    text = (ROOT / "examples" / "over-provisioned.yaml").read_text(encoding="utf-8")
    plan.write_text(text.replace("name: bitbucket-shared-read", f"name: '{hostile}'"))
    out = run_cli("check", "--format", "markdown", str(plan)).out
    assert "<img" not in out and "](https" not in out
    for row in table_rows(out, "Severity"):
        assert len(row) == 5
        assert row[3] == markdown_text(hostile)
    assert markdown_text(hostile) == (
        "evil \\| &lt;img src=x onerror=alert\\(1\\)&gt; \\[link\\]\\(https://x.test\\) "
        "\\`code\\` \\*b\\* \\_i\\_"
    )


def test_a_clean_run(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = run_cli("check", "--format", "markdown", "examples/clean.yaml").out
    assert "**No problems** in 1 file." in out
    assert "| Severity |" not in out and "### Scopes per connection" in out


def test_long_reports_are_cut_to_fit_a_comment() -> None:
    findings = [
        Finding("SL101", "excess-scope", Severity.WARNING, f"m{i}", "p.yaml", Span.point(i + 1))
        for i in range(MAX_ROWS + 5)
    ]
    result = RunResult([FileResult("p.yaml", "plan", findings)], [])
    out = render_markdown(result, ReportContext("2026-11-20", load_rules()))
    assert len(table_rows(out, "Severity")) == MAX_ROWS
    assert "… and 5 more" in out


def test_baseline_note_is_shown(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    baseline = tmp_path / "baseline.json"
    run_examples(run_cli, monkeypatch, "--write-baseline", str(baseline))
    out = run_examples(
        run_cli, monkeypatch, "--format", "markdown", "--baseline", str(baseline)
    ).out
    assert "**No problems**" in out
    assert re.search(r"_\d+ findings accepted by the baseline_", out)


def test_snapshot(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_snapshot("examples.md", run_examples(run_cli, monkeypatch, "--format", "markdown").out)
