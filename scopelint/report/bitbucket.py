"""A Bitbucket Cloud Code Insights report and its annotations, in one JSON file.

contrib/bitbucket_code_insights.py uploads it from a Pipelines step: the `report` object
is PUT as is, and `annotations` are POSTed in batches of 100.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from scopelint import __version__
from scopelint.engine import RunResult
from scopelint.findings import Finding, Severity
from scopelint.report import ReportContext
from scopelint.report.common import (
    Cleaner,
    count_phrase,
    dump_json,
    is_secret_finding,
    plural,
    repo_path,
    severity_counts,
    unique_ids,
)

# Bitbucket's limits: annotations per report, and characters per field.
MAX_ANNOTATIONS = 1000
MAX_SUMMARY = 450
MAX_DETAILS = 2000

_SEVERITY = {Severity.ERROR: "HIGH", Severity.WARNING: "MEDIUM", Severity.INFO: "LOW"}


def render_bitbucket(result: RunResult, context: ReportContext) -> str:
    return dump_json(insights(result, context), result.secrets)


def insights(result: RunResult, context: ReportContext) -> dict[str, Any]:
    clean = Cleaner(result)
    findings = result.findings
    ids = unique_ids(findings)
    # Leaked secrets (CRITICAL), then the most severe: a truncated list keeps what matters.
    ranked = sorted(
        zip(findings, ids, strict=True),
        key=lambda pair: (not is_secret_finding(pair[0], context.rules), -pair[0].severity),
    )
    shown = ranked[:MAX_ANNOTATIONS]
    return {
        "report": _report(result, context, len(shown)),
        "annotations": [_annotation(f, external_id, context, clean) for f, external_id in shown],
    }


def _report(result: RunResult, context: ReportContext, shown: int) -> dict[str, Any]:
    findings = result.findings
    files = plural(len(result.files), "file")
    details = (
        f"Least-privilege check of Atlassian Rovo MCP token plans: {count_phrase(findings)} "
        f"in {files}."
    )
    if shown < len(findings):
        details += f" Showing the {shown} most severe of {len(findings)} annotations."
    counts = severity_counts(findings)
    catalog = dt.datetime.combine(
        dt.date.fromisoformat(context.catalog_date), dt.time(), tzinfo=dt.UTC
    )
    return {
        "title": "scopelint",
        "details": details,
        "external_id": "scopelint",
        "reporter": "scopelint",
        "report_type": "SECURITY",
        "result": "FAILED" if context.failed else "PASSED",
        "data": [
            {"title": "Errors", "type": "NUMBER", "value": counts[Severity.ERROR]},
            {"title": "Warnings", "type": "NUMBER", "value": counts[Severity.WARNING]},
            {"title": "Info", "type": "NUMBER", "value": counts[Severity.INFO]},
            {"title": "Files checked", "type": "NUMBER", "value": len(result.files)},
            # DATE values are milliseconds since the epoch.
            {"title": "Catalog", "type": "DATE", "value": int(catalog.timestamp() * 1000)},
            {"title": "scopelint", "type": "TEXT", "value": __version__},
        ],
    }


def _annotation(
    finding: Finding, external_id: str, context: ReportContext, clean: Cleaner
) -> dict[str, Any]:
    secret = is_secret_finding(finding, context.rules)
    details = clean(finding.help) if finding.help else ""
    if finding.connection:
        details = f"{details} (connection {clean(finding.connection)})".strip()
    annotation: dict[str, Any] = {
        "external_id": external_id,
        "annotation_type": "VULNERABILITY" if secret else "CODE_SMELL",
        "path": repo_path(clean(finding.path)),
        "line": max(1, finding.span.line),
        "summary": _clip(f"{finding.code} {finding.name}: {clean(finding.message)}", MAX_SUMMARY),
        "severity": "CRITICAL" if secret else _SEVERITY[finding.severity],
    }
    if details:
        annotation["details"] = _clip(details, MAX_DETAILS)
    return annotation


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
