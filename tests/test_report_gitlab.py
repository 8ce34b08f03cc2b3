"""GitLab Code Quality: the fields the merge request widget reads, with unique fingerprints."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import ROOT, CliResult
from snapshot_support import FIXTURES, assert_snapshot, run_examples

Run = Callable[..., CliResult]
SCHEMA = json.loads((FIXTURES / "gitlab-code-quality.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def issues(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    result = run_examples(run_cli, monkeypatch, "--format", "gitlab")
    assert result.code == 1
    data: list[dict[str, Any]] = json.loads(result.out)
    return data


def test_matches_the_code_quality_format(issues: list[dict[str, Any]]) -> None:
    jsonschema.validate(issues, SCHEMA)
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)


def test_one_issue_per_finding(
    issues: list[dict[str, Any]], run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    findings = json.loads(run_examples(run_cli, monkeypatch, "--format", "json").out)["findings"]
    assert len(issues) == len(findings)
    severity = {"error": "major", "warning": "minor", "info": "info"}
    for issue, finding in zip(issues, findings, strict=True):
        assert issue["check_name"] == f"{finding['code']} {finding['name']}"
        assert issue["fingerprint"] == finding["fingerprint"]
        assert issue["location"] == {
            "path": finding["path"],
            "lines": {"begin": finding["line"], "end": finding["end_line"]},
        }
        assert finding["message"] in issue["description"]
        expected = "critical" if finding["code"] == "SL501" else severity[finding["severity"]]
        assert issue["severity"] == expected


def test_repeated_findings_get_distinct_fingerprints(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    plan = tmp_path / "plan.yaml"
    text = (ROOT / "examples" / "over-provisioned.yaml").read_text(encoding="utf-8")
    plan.write_text(
        text.replace(
            "      - read:pipeline:bitbucket\n",
            "      - read:pipeline:bitbucket\n      - read:pipeline:bitbucket\n",
        )
    )
    issues = json.loads(run_cli("check", "--format", "gitlab", "plan.yaml").out)
    jsonschema.validate(issues, SCHEMA)
    repeated = [
        i for i in issues if "read:pipeline" in i["description"] and "SL101" in i["check_name"]
    ]
    assert len(repeated) == 2
    first, second = (i["fingerprint"] for i in repeated)
    assert second == f"{first}-2"


def test_an_empty_report_is_an_empty_list(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run_cli("check", "--format", "gitlab", "examples/clean.yaml")
    assert (result.code, json.loads(result.out)) == (0, [])


def test_snapshot(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_snapshot(
        "examples.gitlab.json", run_examples(run_cli, monkeypatch, "--format", "gitlab").out
    )
