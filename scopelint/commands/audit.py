"""`audit` after the options are read: lint everything, rank connections, render, decide the exit."""

from __future__ import annotations

from dataclasses import dataclass, field

from scopelint.audit.model import AuditReport, build_audit
from scopelint.credentials import redact
from scopelint.engine import Engine, Progress
from scopelint.exits import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from scopelint.findings import Severity

AUDIT_FORMATS = ("text", "markdown", "json", "html")
DEFAULT_TOP = 10  # connections under "top risks" in the text format


@dataclass
class AuditRequest:
    paths: list[str]
    output_format: str = "text"
    fail_on: str = "never"  # an audit reports; it fails only when asked to
    top: int = DEFAULT_TOP
    progress: Progress | None = None


@dataclass
class AuditOutcome:
    report: str
    messages: list[str] = field(default_factory=list)  # for standard error
    exit_code: int = EXIT_OK


def run_audit(engine: Engine, request: AuditRequest) -> AuditOutcome:
    result = engine.run(request.paths or ["."], progress=request.progress)
    messages = [f"scopelint: error: {redact(error, result.secrets)}" for error in result.errors]
    options = engine.options
    report = build_audit(result, engine.catalog, engine.rules, options.as_of, options.limits)
    text = render_audit(request.output_format, report, request.top)
    # Every value was redacted when the model was built. Text gets one more pass as a last
    # line of defence; in the other formats it could eat an escape (`&lt;`, `\(`, `\u003c`)
    # and mask prose, as it does for check's self-redacting formats.
    if request.output_format == "text":
        text = redact(text, result.secrets)
    threshold = None if request.fail_on == "never" else Severity.parse(request.fail_on)
    failed = threshold is not None and any(f.severity >= threshold for f in report.findings)
    code = EXIT_ERROR if result.errors else (EXIT_FINDINGS if failed else EXIT_OK)
    return AuditOutcome(text, messages, code)


def render_audit(output_format: str, report: AuditReport, top: int = DEFAULT_TOP) -> str:
    """Each renderer is imported only when its format is asked for."""
    if output_format == "text":
        from scopelint.audit.render_text import render_text

        return render_text(report, top)
    if output_format == "markdown":
        from scopelint.audit.render_markdown import render_markdown

        return render_markdown(report)
    if output_format == "json":
        from scopelint.audit.render_json import render_json

        return render_json(report)
    if output_format == "html":
        from scopelint.audit.render_html import render_html

        return render_html(report)
    raise ValueError(f"unknown format '{output_format}' ({', '.join(AUDIT_FORMATS)})")
