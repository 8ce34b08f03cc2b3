"""The versioned JSON format of SPEC §7."""

from __future__ import annotations

from collections import Counter
from typing import Any

from scopelint import __version__
from scopelint.engine import ConnectionSummary, RunResult
from scopelint.findings import Finding, Severity
from scopelint.report.common import dump_json

JSON_VERSION = 1


def finding_dict(finding: Finding) -> dict[str, Any]:
    span = finding.span
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.label,
        "message": finding.message,
        "help": finding.help,
        "path": finding.path,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "connection": finding.connection,
        "fingerprint": finding.fingerprint,
        "fix": None
        if finding.fix is None
        else {
            "description": finding.fix.description,
            "replacement": finding.fix.replacement,
        },
    }


def report_dict(result: RunResult, catalog_date: str) -> dict[str, Any]:
    findings = result.findings
    by = Counter(f.severity for f in findings)
    return {
        "version": JSON_VERSION,
        "tool": {"name": "scopelint", "version": __version__, "catalog": catalog_date},
        "summary": {
            "files": len(result.files),
            "findings": len(findings),
            **{s.label: by[s] for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)},
        },
        "findings": [finding_dict(f) for f in findings],
        "connections": [connection_dict(c) for file in result.files for c in file.connections],
    }


# Keys only client config entries carry; plans keep the keys they always had.
_CLIENT_KEYS = ("client", "server", "url")


def connection_dict(summary: ConnectionSummary) -> dict[str, Any]:
    data = summary._asdict()
    del data["kind"]
    if summary.kind != "client":
        for key in _CLIENT_KEYS:
            del data[key]
    return data


def render_json(result: RunResult, catalog_date: str) -> str:
    # Redacted value by value: redacting the serialised text could break an escape.
    return dump_json(report_dict(result, catalog_date), result.secrets)
