"""SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from scopelint import __version__
from scopelint.catalog import RuleInfo
from scopelint.commands.catalog_views import rule_markdown
from scopelint.engine import RunResult
from scopelint.findings import Finding, Fix, Severity
from scopelint.report import ReportContext
from scopelint.report.common import Cleaner, deep_redact, repo_path, text_position

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "scopelint/v1"

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# GitHub ranks alerts tagged `security` by this score (critical >= 9, high >= 7, medium >= 4).
_SECURITY_SEVERITY = {Severity.ERROR: "7.5", Severity.WARNING: "5.0", Severity.INFO: "2.0"}
_SECRET_SECURITY_SEVERITY = "9.5"
# Rule tags that make a finding a security alert rather than a plain code-quality note.
_SECURITY_TAGS = frozenset(
    {"security", "secrets", "credentials", "least-privilege", "auth", "identity"}
)


def render_sarif(result: RunResult, context: ReportContext) -> str:
    return json.dumps(sarif_log(result, context), indent=2, ensure_ascii=False) + "\n"


def sarif_log(result: RunResult, context: ReportContext) -> dict[str, Any]:
    clean = Cleaner(result)
    rules = list(context.rules.values())
    index = {rule.code: i for i, rule in enumerate(rules)}
    texts = {file.path: file.text for file in result.files}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "scopelint",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule(rule) for rule in rules],
                "properties": {"catalog": context.catalog_date},
            }
        },
        "columnKind": "unicodeCodePoints",  # columns count characters, not UTF-16 units
        # What came from the files is redacted value by value; the rule documentation
        # above is the package's own text and stays as written.
        "results": deep_redact(
            [
                _result(f, index, texts.get(f.path, ""), clean)
                for f in result.findings
                if f.code in index
            ],
            result.secrets,
        ),
        "invocations": deep_redact(
            [
                {
                    "executionSuccessful": not result.errors,
                    "toolExecutionNotifications": [
                        {"level": "error", "message": {"text": error}} for error in result.errors
                    ],
                }
            ],
            result.secrets,
        ),
    }
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def _is_secret_rule(rule: RuleInfo) -> bool:
    return "secrets" in rule.tags


def _rule(rule: RuleInfo) -> dict[str, Any]:
    tags = list(rule.tags)
    properties: dict[str, Any] = {"tags": tags}
    if _SECURITY_TAGS.intersection(rule.tags):
        if "security" not in tags:
            tags.append("security")
        properties["security-severity"] = (
            _SECRET_SECURITY_SEVERITY
            if _is_secret_rule(rule)
            else _SECURITY_SEVERITY[rule.severity]
        )
    plain = "\n\n".join(part for part in (rule.summary, rule.what, rule.why, rule.fix) if part)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.what or rule.summary},
        "help": {"text": plain, "markdown": rule_markdown(rule)},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": properties,
    }


def artifact_location(path: str) -> dict[str, str]:
    """Relative to the checkout (`%SRCROOT%`) when it can be, else an absolute file URI."""
    shown = repo_path(path)
    if Path(shown).is_absolute():
        return {"uri": Path(shown).as_uri()}
    return {"uri": quote(shown, safe="/"), "uriBaseId": SRCROOT}


def _result(finding: Finding, index: dict[str, int], text: str, clean: Cleaner) -> dict[str, Any]:
    span = finding.span
    message = clean(finding.message) + (f" (help: {clean(finding.help)})" if finding.help else "")
    location = artifact_location(finding.path)
    entry: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": _LEVEL[finding.severity],
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": location,
                    "region": {
                        "startLine": span.line,
                        "startColumn": span.column,
                        "endLine": span.end_line,
                        "endColumn": span.end_column,
                    },
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    if finding.connection:
        entry["properties"] = {"connection": clean(finding.connection)}
    if finding.fix is not None and text:
        entry["fixes"] = [_fix(finding.fix, location, text, clean)]
    return entry


def _fix(fix: Fix, location: dict[str, str], text: str, clean: Cleaner) -> dict[str, Any]:
    start_line, start_column = text_position(text, fix.start)
    end_line, end_column = text_position(text, fix.end)
    replacement: dict[str, Any] = {
        "deletedRegion": {
            "startLine": start_line,
            "startColumn": start_column,
            "endLine": end_line,
            "endColumn": end_column,
        }
    }
    if fix.replacement:
        replacement["insertedContent"] = {"text": clean(fix.replacement)}
    return {
        "description": {"text": clean(fix.description)},
        "artifactChanges": [{"artifactLocation": location, "replacements": [replacement]}],
    }
