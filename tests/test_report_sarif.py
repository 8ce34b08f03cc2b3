"""SARIF 2.1.0: valid against the official schema, rule docs included, GitHub-ready."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from scopelint.catalog import load_rules
from scopelint.commands.catalog_views import rule_markdown

from conftest import ROOT, CliResult
from snapshot_support import assert_snapshot, load_schema, run_examples

Run = Callable[..., CliResult]


@pytest.fixture
def sarif(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    result = run_examples(run_cli, monkeypatch, "--format", "sarif")
    assert result.code == 1
    data: dict[str, Any] = json.loads(result.out)
    return data


def test_validates_against_the_official_schema(sarif: dict[str, Any]) -> None:
    schema = load_schema("sarif-schema-2.1.0.json")
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(sarif), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_schema_rejects_a_broken_log(sarif: dict[str, Any]) -> None:
    """The validation above is real: the same log with a bad level fails it."""
    schema = load_schema("sarif-schema-2.1.0.json")
    sarif["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(sarif, schema)


def test_one_rule_entry_per_rule_with_its_documentation(sarif: dict[str, Any]) -> None:
    rules = load_rules()
    entries = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert [e["id"] for e in entries] == list(rules)
    for entry in entries:
        rule = rules[entry["id"]]
        assert entry["name"] == rule.name
        assert entry["help"]["markdown"] == rule_markdown(rule)
        assert entry["shortDescription"]["text"] == rule.summary
        level = {"error": "error", "warning": "warning", "info": "note"}[rule.severity.label]
        assert entry["defaultConfiguration"]["level"] == level
        assert set(rule.tags) <= set(entry["properties"]["tags"])
    secret = next(e for e in entries if e["id"] == "SL501")
    assert "security" in secret["properties"]["tags"]
    assert float(secret["properties"]["security-severity"]) >= 9.0


def test_results_match_the_json_findings(
    sarif: dict[str, Any], run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    findings = json.loads(run_examples(run_cli, monkeypatch, "--format", "json").out)["findings"]
    results = sarif["runs"][0]["results"]
    assert len(results) == len(findings)
    rule_ids = [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]]
    for result, finding in zip(results, findings, strict=True):
        assert result["ruleId"] == finding["code"]
        assert rule_ids[result["ruleIndex"]] == finding["code"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": finding["path"], "uriBaseId": "%SRCROOT%"}
        assert location["region"] == {
            "startLine": finding["line"],
            "startColumn": finding["column"],
            "endLine": finding["end_line"],
            "endColumn": finding["end_column"],
        }
        assert result["partialFingerprints"] == {"scopelint/v1": finding["fingerprint"]}
        assert result["message"]["text"].startswith(finding["message"])
        assert ("fixes" in result) == (finding["fix"] is not None)


def test_fix_regions_delete_the_excess_scope_line(sarif: dict[str, Any]) -> None:
    result = next(
        r
        for r in sarif["runs"][0]["results"]
        if r["ruleId"] == "SL101"
        and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "examples/over-provisioned.yaml"
    )
    line = result["locations"][0]["physicalLocation"]["region"]["startLine"]
    change = result["fixes"][0]["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "examples/over-provisioned.yaml"
    # The whole line, from its first column to the start of the next one.
    assert change["replacements"] == [
        {
            "deletedRegion": {
                "startLine": line,
                "startColumn": 1,
                "endLine": line + 1,
                "endColumn": 1,
            }
        }
    ]


def test_absolute_paths_inside_the_checkout_become_relative(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    plan = ROOT / "examples" / "over-provisioned.yaml"
    data = json.loads(run_cli("check", "--format", "sarif", str(plan)).out)
    location = data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "examples/over-provisioned.yaml",
        "uriBaseId": "%SRCROOT%",
    }


def test_paths_outside_the_checkout_are_file_uris(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "a dir" / "plan.yaml"
    elsewhere.parent.mkdir()
    elsewhere.write_text((ROOT / "examples" / "over-provisioned.yaml").read_text())
    monkeypatch.chdir(ROOT)
    data = json.loads(run_cli("check", "--format", "sarif", str(elsewhere)).out)
    location = data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": elsewhere.as_uri()}
    assert "%20" in location["artifactLocation"]["uri"]


def test_unreadable_paths_make_the_run_unsuccessful(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", "--format", "sarif", "missing.yaml")
    assert result.code == 2
    invocation = json.loads(result.out)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "missing.yaml" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_snapshot(sarif: dict[str, Any]) -> None:
    # The rule catalogue is checked above against rules.yaml; here only what the run found.
    driver = sarif["runs"][0]["tool"]["driver"]
    driver["rules"] = [rule["id"] for rule in driver["rules"]]
    assert_snapshot("examples.sarif", json.dumps(sarif, indent=2, ensure_ascii=False) + "\n")
