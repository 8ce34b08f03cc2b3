"""GitHub Actions workflow commands, and text output that annotates inside Actions."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from scopelint.findings import Finding, Severity, Span
from scopelint.report.github import annotation, escape_data, escape_property

from conftest import ROOT, CliResult
from snapshot_support import EXAMPLE_FILES, assert_snapshot, run_examples

Run = Callable[..., CliResult]
COMMAND = re.compile(
    r"^::(error|warning|notice) ((?:[A-Za-z]+=[^,:]*)(?:,[A-Za-z]+=[^,:]*)*)::(.*)$"
)


def unescape(text: str) -> str:
    """What the runner shows (its escaping, undone in the reverse order)."""
    for escaped, plain in (("%2C", ","), ("%3A", ":"), ("%0A", "\n"), ("%0D", "\r"), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, line
    properties = dict(item.split("=", 1) for item in match.group(2).split(","))
    return match.group(1), {k: unescape(v) for k, v in properties.items()}, unescape(match.group(3))


def test_escaping_follows_the_runner() -> None:
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext%3A a%2C b"
    assert escape_data("%0A") == "%250A"  # already-escaped text stays literal
    assert escape_data("\x1b[31mred") == "\ufffd[31mred"


def test_annotation_carries_position_title_and_help() -> None:
    finding = Finding(
        "SL101",
        "excess-scope",
        Severity.WARNING,
        "read scope 'a,b:c' is granted, 100% unneeded",
        "plans/x, y.yaml",
        Span(14, 9, 14, 35),
        help="remove it",
    )
    line = annotation(finding, lambda text: text)  # type: ignore[arg-type]
    assert line == (
        "::warning file=plans/x%2C y.yaml,line=14,col=9,endLine=14,endColumn=35,"
        "title=SL101 excess-scope::read scope 'a,b:c' is granted, 100%25 unneeded%0Ahelp: remove it"
    )
    kind, properties, message = parse_command(line)
    assert (kind, properties["file"], properties["title"]) == (
        "warning",
        "plans/x, y.yaml",
        "SL101 excess-scope",
    )
    assert message == "read scope 'a,b:c' is granted, 100% unneeded\nhelp: remove it"


def test_every_finding_becomes_one_command(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_examples(run_cli, monkeypatch, "--format", "github")
    findings = json.loads(run_examples(run_cli, monkeypatch, "--format", "json").out)["findings"]
    lines = result.out.splitlines()
    assert len(lines) == len(findings)
    levels = {"error": "error", "warning": "warning", "info": "notice"}
    for line, finding in zip(lines, findings, strict=True):
        kind, properties, message = parse_command(line)
        assert kind == levels[finding["severity"]]
        assert properties["file"] == finding["path"]
        assert (int(properties["line"]), int(properties["col"])) == (
            finding["line"],
            finding["column"],
        )
        assert properties["title"] == f"{finding['code']} {finding['name']}"
        assert message.startswith(finding["message"])


def test_text_plus_annotations_inside_github_actions(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = run_examples(run_cli, monkeypatch)
    annotations = run_examples(run_cli, monkeypatch, "--format", "github").out
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    inside = run_examples(run_cli, monkeypatch)
    assert inside.code == plain.code == 1
    assert inside.out == plain.out + annotations


def test_an_explicit_format_is_left_alone_inside_github_actions(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    data = run_examples(run_cli, monkeypatch, "--format", "json").out
    assert json.loads(data)["version"] == 1
    text = run_examples(run_cli, monkeypatch, "--format", "text").out
    assert "::" not in text.replace("https://", "")


def test_annotations_go_to_stdout_when_the_report_goes_to_a_file(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    target = tmp_path / "report.txt"
    result = run_examples(run_cli, monkeypatch, "--output", str(target))
    assert target.read_text(encoding="utf-8").startswith(EXAMPLE_FILES[1])
    assert result.out.startswith("::") and all(
        line.startswith("::") for line in result.out.splitlines()
    )


def test_a_clean_run_annotates_nothing(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run_cli("check", "--no-color", "examples/clean.yaml")
    assert (result.code, result.out) == (0, "All clear: no problems in 1 file.\n")


def test_snapshot(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_snapshot(
        "examples.github.txt", run_examples(run_cli, monkeypatch, "--format", "github").out
    )
