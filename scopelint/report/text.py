"""The human format: ruff/zizmor-style findings with the source line and a caret."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from scopelint.credentials import redact
from scopelint.engine import RunResult
from scopelint.findings import Finding, Severity
from scopelint.lines import break_for, split_lines
from scopelint.report.common import count_phrase, plural
from scopelint.report.sanitize import terminal_safe

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


class _Style:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def __call__(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.colour else text


def render_text(
    result: RunResult, *, colour: bool, quiet: bool = False, statistics: bool = False
) -> str:
    style = _Style(colour)
    texts = {f.path: f.text for f in result.files}
    lines: dict[str, list[str]] = {}  # each file split once, however many findings it has
    out: list[str] = []
    findings = result.findings
    for finding in findings:
        out.append(_headline(finding, style))
        if not quiet:
            path = finding.path
            if path not in lines:
                lines[path] = split_lines(texts.get(path, ""), break_for(path))
            out.extend(_context(finding, lines[path], style, result.secrets))
    if statistics:
        out.extend(render_statistics(findings))
    if not quiet:
        out.append(_summary(result, style))
    return "\n".join(out) + ("\n" if out else "")


def _headline(finding: Finding, style: _Style) -> str:
    span = finding.span
    location = style(f"{terminal_safe(finding.path)}:{span.line}:{span.column}:", "1")
    code = style(finding.code, "1;" + _COLOURS[finding.severity])
    return f"{location} {code} [{finding.name}] {terminal_safe(finding.message)}"


def _context(finding: Finding, lines: list[str], style: _Style, secrets: set[str]) -> list[str]:
    span = finding.span
    help_line = f"   = help: {terminal_safe(finding.help)}" if finding.help else None
    if not (1 <= span.line <= len(lines)):
        return [help_line, ""] if help_line else [""]
    # Redact before measuring, so the caret does not give away a secret's length either.
    source = terminal_safe(redact(lines[span.line - 1], secrets).expandtabs(1))
    gutter = " " * len(str(span.line))
    end = span.end_column if span.end_line == span.line else len(source) + 1
    start = min(span.column, len(source) + 1)
    width = max(1, min(end, len(source) + 1) - start)
    caret = " " * (start - 1) + style("^" * width, _COLOURS[finding.severity])
    out = [
        f"{gutter} |",
        f"{span.line} | {source}",
        f"{gutter} | {caret} {style(finding.severity.label, _COLOURS[finding.severity])}",
    ]
    if finding.help:
        out.append(f"{gutter} = help: {terminal_safe(finding.help)}")
    out.append("")
    return out


def _summary(result: RunResult, style: _Style) -> str:
    findings = result.findings
    files = len(result.files)
    # Paths that could not be read are not "all clear": the run did not see them.
    unread = f" {plural(len(result.errors), 'path')} could not be read." if result.errors else ""
    if not findings:
        if unread:
            return f"No problems in {plural(files, 'file')} read;{unread}"
        return style(f"All clear: no problems in {plural(files, 'file')}.", "32")
    touched = len({f.path for f in findings})
    return (
        f"Found {plural(len(findings), 'problem')} ({count_phrase(findings)}) in {touched} of "
        f"{plural(files, 'file')}.{unread}"
    )


def render_statistics(findings: Sequence[Finding]) -> list[str]:
    counts = Counter((f.code, f.name) for f in findings)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    width = max((len(str(n)) for _, n in rows), default=1)
    return [f"{n:>{width}}\t{code}\t[{name}]" for (code, name), n in rows] + ([""] if rows else [])
