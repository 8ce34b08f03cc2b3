"""JUnit XML, read the way GitLab's and Bitbucket Pipelines' test report parsers read it."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from scopelint.catalog import load_rules
from scopelint.engine import FileResult, RunResult
from scopelint.findings import Finding, Severity, Span
from scopelint.report import ReportContext
from scopelint.report.junit import FILE_CASE, render_junit

from conftest import CliResult
from snapshot_support import assert_snapshot, run_examples

Run = Callable[..., CliResult]


def parse_junit(text: str) -> dict[str, dict[str, list[dict[str, str]]]]:
    """What a CI test report shows: suite -> test case -> its failures.

    Checks the structure those parsers rely on as it goes: <testsuites> holding
    <testsuite> elements with numeric counts that add up, <testcase> elements with a
    classname and a name, and <failure> elements with a message and a body.
    """
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    suites: dict[str, dict[str, list[dict[str, str]]]] = {}
    total_tests = total_failures = 0
    for suite in root:
        assert suite.tag == "testsuite"
        cases = suite.findall("testcase")
        assert len(suite) == len(cases)
        failed = [case for case in cases if case.findall("failure")]
        assert int(suite.attrib["tests"]) == len(cases)
        # Failed test cases, not failure elements: tests - failures must be what passed.
        assert int(suite.attrib["failures"]) == len(failed) <= len(cases)
        assert int(suite.attrib["errors"]) == 0
        float(suite.attrib["time"])
        total_tests += len(cases)
        total_failures += len(failed)
        shown: dict[str, list[dict[str, str]]] = {}
        for case in cases:
            assert case.attrib["classname"] and case.attrib["name"]
            assert {child.tag for child in case} <= {"failure"}
            shown[case.attrib["name"]] = [
                {"message": f.attrib["message"], "type": f.attrib["type"], "text": f.text or ""}
                for f in case.findall("failure")
            ]
        suites[suite.attrib["name"]] = shown
    assert int(root.attrib["tests"]) == total_tests
    assert int(root.attrib["failures"]) == total_failures
    return suites


def test_one_suite_per_file_one_case_per_connection(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run_examples(run_cli, monkeypatch, "--format", "junit")
    assert result.code == 1
    suites = parse_junit(result.out)
    data = json.loads(run_examples(run_cli, monkeypatch, "--format", "json").out)
    assert set(suites) == {f["path"] for f in data["findings"]} | {"examples/clean.yaml"}
    for connection in data["connections"]:
        assert connection["name"] in suites[connection["path"]]
    # The clean plan passes: a test case per connection, none failing.
    assert suites["examples/clean.yaml"] == {
        "bitbucket-review": [],
        "jira-triage": [],
        "compass-oauth": [],
    }
    failures = [
        (path, case, failure["message"])
        for path, cases in suites.items()
        for case, found in cases.items()
        for failure in found
    ]
    assert len(failures) == len(data["findings"])
    for finding in data["findings"]:
        case = finding["connection"] or FILE_CASE
        message = f"{finding['code']} {finding['name']}: {finding['message']}"
        assert (finding["path"], case, message) in failures


def test_failure_body_names_the_position_and_the_fix(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    suites = parse_junit(run_examples(run_cli, monkeypatch, "--format", "junit").out)
    failure = suites["examples/over-provisioned.yaml"]["bitbucket-shared-read"][0]
    assert failure["type"] == "warning"
    assert failure["text"].startswith("examples/over-provisioned.yaml:16:9: SL101 [excess-scope]")
    assert "\nhelp: remove it and create a token with only:" in failure["text"]


def test_file_level_findings_get_their_own_case(tmp_path: Path, run_cli: Run) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("scopelint: 1\nconnections: [\n")
    suites = parse_junit(run_cli("check", "--format", "junit", str(broken)).out)
    (cases,) = suites.values()
    assert list(cases) == [FILE_CASE]
    assert cases[FILE_CASE][0]["message"].startswith("SL001 invalid-yaml: ")


def test_text_xml_cannot_hold_is_replaced_not_dropped() -> None:
    finding = Finding(
        "SL104",
        "unknown-scope",
        Severity.ERROR,
        "unknown scope 'read:\x01\x1b[31m<x>&'",
        "plan.yaml",
        Span.point(3),
        connection="conn\x00<&>\"'",
    )
    result = RunResult([FileResult("plan.yaml", "plan", [finding])], [])
    text = render_junit(result, ReportContext("2026-11-20", load_rules()))
    suites = parse_junit(text)
    (case,) = suites["plan.yaml"]
    assert case == "conn\ufffd<&>\"'"
    assert suites["plan.yaml"][case][0]["message"] == (
        "SL104 unknown-scope: unknown scope 'read:\ufffd\ufffd[31m<x>&'"
    )


def test_empty_run_is_a_valid_report() -> None:
    text = render_junit(RunResult([], []), ReportContext("2026-11-20", load_rules()))
    assert parse_junit(text) == {}


def test_output_file_in_a_new_directory(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "test-results" / "scopelint.xml"
    result = run_examples(run_cli, monkeypatch, "--format", "junit", "--output", str(target))
    assert result.code == 1 and result.out == ""
    assert parse_junit(target.read_text(encoding="utf-8"))


def test_snapshot(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_snapshot(
        "examples.junit.xml", run_examples(run_cli, monkeypatch, "--format", "junit").out
    )
