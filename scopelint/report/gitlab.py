"""GitLab Code Quality JSON: findings shown in the merge request widget and diff."""

from __future__ import annotations

from typing import Any

from scopelint.engine import RunResult
from scopelint.findings import Finding, Severity
from scopelint.report import ReportContext
from scopelint.report.common import Cleaner, dump_json, is_secret_finding, repo_path, unique_ids

_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}
_SECRET_SEVERITY = "critical"


def render_gitlab(result: RunResult, context: ReportContext) -> str:
    clean = Cleaner(result)
    findings = result.findings
    issues = [
        _issue(finding, issue_id, context, clean)
        for finding, issue_id in zip(findings, unique_ids(findings), strict=True)
    ]
    return dump_json(issues, result.secrets)


def _issue(
    finding: Finding, issue_id: str, context: ReportContext, clean: Cleaner
) -> dict[str, Any]:
    secret = is_secret_finding(finding, context.rules)
    description = f"{finding.code} {finding.name}: {clean(finding.message)}"
    if finding.connection:
        description += f" (connection {clean(finding.connection)})"
    return {
        "type": "issue",
        "engine_name": "scopelint",
        "check_name": f"{finding.code} {finding.name}",
        "description": description,
        "categories": ["Security"],
        "fingerprint": issue_id,
        "severity": _SECRET_SEVERITY if secret else _SEVERITY[finding.severity],
        "location": {
            "path": repo_path(clean(finding.path)),
            "lines": {"begin": max(1, finding.span.line), "end": max(1, finding.span.end_line)},
        },
    }
