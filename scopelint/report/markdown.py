"""A Markdown summary a bot can post on a pull request, or a job can add to its summary."""

from __future__ import annotations

from collections.abc import Iterable

from scopelint import __version__
from scopelint.engine import ConnectionSummary, RunResult
from scopelint.findings import Finding
from scopelint.report import ReportContext
from scopelint.report.common import Cleaner, count_phrase, plural, repo_path
from scopelint.report.markdown_escape import markdown_text

# A bot that updates its earlier comment finds it by this marker.
MARKER = "<!-- scopelint-report -->"
# Comments on GitHub stop at 65,536 characters; tables this long are not read anyway.
MAX_ROWS = 100
NONE = "—"


def render_markdown(result: RunResult, context: ReportContext) -> str:
    clean = Cleaner(result)
    findings = result.findings
    touched = len({f.path for f in findings})
    out = [MARKER, "## scopelint", ""]
    if findings:
        out.append(
            f"**{count_phrase(findings)}** in {touched} of {plural(len(result.files), 'file')}."
        )
    else:
        out.append(f"**No problems** in {plural(len(result.files), 'file')}.")
    out.extend(["", *_findings_table(findings, clean)])
    connections = [c for file in result.files for c in file.connections]
    if connections:
        out.extend(["### Scopes per connection", "", *_connections_table(connections, clean)])
    fixable = sum(1 for f in findings if f.fix is not None)
    footer = [markdown_text(note) for note in context.notes]
    if fixable:
        footer.append(f"{plural(fixable, 'finding')} can be fixed with `scopelint check --fix`.")
    footer.append(f"scopelint {__version__}, catalog {context.catalog_date}.")
    out.append("\n\n".join(f"_{line}_" for line in footer))
    return "\n".join(out) + "\n"


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _findings_table(findings: list[Finding], clean: Cleaner) -> list[str]:
    if not findings:
        return []
    lines = [
        _row(("Severity", "Rule", "Location", "Connection", "Finding")),
        _row(("---",) * 5),
    ]
    for finding in findings[:MAX_ROWS]:
        span = finding.span
        location = f"{repo_path(clean(finding.path))}:{span.line}:{span.column}"
        lines.append(
            _row(
                (
                    finding.severity.label,
                    f"{finding.code} {finding.name}",
                    markdown_text(location),
                    markdown_text(clean(finding.connection)) if finding.connection else NONE,
                    markdown_text(clean(finding.message)),
                )
            )
        )
    if len(findings) > MAX_ROWS:
        lines.append("")
        lines.append(f"… and {len(findings) - MAX_ROWS} more; the full list is in the job log.")
    lines.append("")
    return lines


def _scopes(values: list[str], clean: Cleaner) -> str:
    return ", ".join(markdown_text(clean(v)) for v in values) if values else NONE


def _connections_table(connections: list[ConnectionSummary], clean: Cleaner) -> list[str]:
    lines = [
        _row(("Connection", "File", "Auth", "Needed", "Granted", "Excess", "Missing")),
        _row(("---",) * 7),
    ]
    for c in connections[:MAX_ROWS]:
        token = c.auth == "api-token"
        lines.append(
            _row(
                (
                    markdown_text(clean(c.name)),
                    markdown_text(repo_path(clean(c.path))),
                    markdown_text(c.auth or "?"),
                    _scopes(c.needed, clean),
                    _scopes(c.granted, clean) if token else "consent screen",
                    _scopes(c.excess, clean) if token else NONE,
                    _scopes(c.missing, clean) if token else NONE,
                )
            )
        )
    if len(connections) > MAX_ROWS:
        lines.extend(["", f"… and {len(connections) - MAX_ROWS} more connections."])
    lines.append("")
    return lines
