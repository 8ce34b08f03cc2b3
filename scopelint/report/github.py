"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request."""

from __future__ import annotations

import re

from scopelint.engine import RunResult
from scopelint.findings import Finding, Severity
from scopelint.report import ReportContext
from scopelint.report.common import Cleaner, repo_path

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
# Controls other than the escaped CR and LF would reach the log viewer (ANSI colours…).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def escape_data(text: str) -> str:
    """The message part: GitHub unescapes %25, %0D and %0A."""
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return _CONTROLS.sub("\ufffd", escaped)


def escape_property(text: str) -> str:
    """A `key=value` property: also `:` and `,`, which would end the value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, clean: Cleaner) -> str:
    span = finding.span
    properties = [
        ("file", repo_path(clean(finding.path))),
        ("line", str(span.line)),
        ("col", str(span.column)),
        ("endLine", str(span.end_line)),
    ]
    if span.end_line == span.line:  # GitHub ignores columns on multi-line annotations
        properties.append(("endColumn", str(span.end_column)))
    properties.append(("title", f"{finding.code} {finding.name}"))
    message = clean(finding.message)
    if finding.help:
        message += f"\nhelp: {clean(finding.help)}"
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{_COMMAND[finding.severity]} {rendered}::{escape_data(message)}"


def render_github(result: RunResult, context: ReportContext) -> str:
    clean = Cleaner(result)
    return "".join(annotation(finding, clean) + "\n" for finding in result.findings)
