"""The audit in a terminal: totals, the riskiest connections, and counts per file."""

from __future__ import annotations

import textwrap

from tabulate import tabulate

from scopelint.audit.model import AuditReport, ConnectionAudit, FileAudit
from scopelint.audit.ranking import Tier
from scopelint.report.common import plural
from scopelint.report.sanitize import terminal_safe

# Column widths that keep the risk table inside a 120-column terminal.
WHERE_WIDTH = 44
WHAT_WIDTH = 56


def render_text(report: AuditReport, top: int) -> str:
    """`top` connections with findings are listed, riskiest first; 0 lists every one."""
    totals = report.totals
    out = [
        f"scopelint audit: {plural(totals.files, 'file')}, "
        f"{plural(totals.connections, 'connection')} "
        f"(as of {report.as_of}, catalog {report.catalog_date}"
        + (f" extended by {_safe(report.extended_by)}" if report.extended_by else "")
        + ")",
        "",
        tabulate(_figures(report), tablefmt="plain", colalign=("left", "right", "left")),
        "",
    ]
    risky = [c for c in report.connections if c.tier is not Tier.NONE]
    if risky:
        shown = risky[:top] if top > 0 else risky
        out.append("Top risks (fix from the top)")
        out.append(
            tabulate(
                [_risk_row(c) for c in shown],
                headers=["#", "risk", "connection and file", "what"],
                colalign=("right", "left", "left", "left"),
            )
        )
        if len(risky) > len(shown):
            out.append(f"… and {plural(len(risky) - len(shown), 'more connection')} with findings")
        out.append("")
    elif report.connections:
        out.extend(["Every connection is at its minimal set with no findings.", ""])
    out.extend(_files(report.files))
    out.append("Full report: scopelint audit --format html --output audit.html")
    return "\n".join(out) + "\n"


def _figures(report: AuditReport) -> list[tuple[str, int, str]]:
    t = report.totals
    severities = ", ".join(
        plural(n, label)
        for n, label in ((t.errors, "error"), (t.warnings, "warning"), (t.infos, "info"))
        if n
    )
    return [
        ("findings", t.findings, f"({severities})" if severities else ""),
        ("tokens exposed", t.exposed_secrets, "(literal credentials in files: revoke them)"),
        ("excess scopes", t.excess_scopes, f"({t.excess_privileged} write/delete/admin)"),
        ("missing scopes", t.missing_scopes, ""),
        ("at their minimal set", t.minimal, f"of {plural(t.measurable, 'API-token connection')}"),
    ]


def _safe(text: str) -> str:
    return terminal_safe(text)


def _risk_row(c: ConnectionAudit) -> tuple[int, str, str, str]:
    where = c.path + (f":{c.line}" if c.line else "")
    name = c.name + (f" ({c.client})" if c.client else "")
    what = textwrap.fill(_safe(c.headline), WHAT_WIDTH, break_on_hyphens=False)
    return (c.rank, c.tier.short, f"{_safe(name)}\n{_wrap_path(_safe(where))}", what)


def _wrap_path(path: str) -> str:
    """Break a long path after a slash, never inside a name, so it can still be copied."""
    lines = [""]
    for part in path.split("/"):
        piece = part if lines[-1] == "" else "/" + part
        if lines[-1] and len(lines[-1]) + len(piece) > WHERE_WIDTH:
            lines[-1] += "/"
            lines.append(part)
        else:
            lines[-1] += piece
    return "\n".join(lines)


def _files(files: tuple[FileAudit, ...]) -> list[str]:
    if not files:
        return ["No plans or client configs found.", ""]
    with_findings = sorted(
        (f for f in files if f.findings),
        key=lambda f: (-f.errors, -f.warnings, -f.infos, f.path),
    )
    out = []
    if with_findings:
        out.append("Findings per file")
        out.append(
            tabulate(
                [
                    (_safe(f.path), f.kind, f.connections, f.errors, f.warnings, f.infos)
                    for f in with_findings
                ],
                headers=["file", "kind", "connections", "errors", "warnings", "info"],
            )
        )
    clean = len(files) - len(with_findings)
    if clean:
        out.append(f"{plural(clean, 'file')} without findings")
    out.append("")
    return out
