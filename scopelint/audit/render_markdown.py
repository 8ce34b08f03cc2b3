"""The audit as Markdown: for a wiki page, an issue, or a pull request description."""

from __future__ import annotations

from collections.abc import Iterable

from scopelint.audit.model import EXCESS, AuditFinding, AuditReport, ConnectionAudit
from scopelint.audit.ranking import Tier
from scopelint.report.common import plural
from scopelint.report.markdown_escape import markdown_text

NONE = "—"
EXTENDED = " (config)"  # from the config's catalog extension, not Atlassian's lists


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    return [_row(headers), _row(["---"] * len(headers)), *(_row(r) for r in rows), ""]


def render_markdown(report: AuditReport) -> str:
    t = report.totals
    out = [
        "# scopelint audit",
        "",
        f"{plural(t.files, 'file')}, {plural(t.connections, 'connection')}; "
        f"as of {report.as_of}, catalog {report.catalog_date}"
        + (f" extended by {markdown_text(report.extended_by)}" if report.extended_by else "")
        + f", scopelint {report.version}.",
        "",
        *_table(
            [
                "Findings",
                "Errors",
                "Warnings",
                "Info",
                "Exposed credentials",
                "Excess scopes",
                "At their minimal set",
            ],
            [
                [
                    str(t.findings),
                    str(t.errors),
                    str(t.warnings),
                    str(t.infos),
                    str(t.exposed_secrets),
                    f"{t.excess_scopes} ({t.excess_privileged} write/delete/admin)",
                    f"{t.minimal} of {t.measurable}",
                ]
            ],
        ),
    ]
    risky = [c for c in report.connections if c.tier is not Tier.NONE]
    if risky:
        out.extend(["## What to change first", ""])
        out.extend(
            _table(
                ["#", "Risk", "Connection", "File", "What", "Next step"],
                [
                    [
                        str(c.rank),
                        c.tier.label,
                        markdown_text(c.name),
                        markdown_text(_where(c)),
                        markdown_text(c.headline),
                        markdown_text(c.next_step) or NONE,
                    ]
                    for c in risky
                ],
            )
        )
    if report.connections:
        out.extend(["## Connections", ""])
        for connection in report.connections:
            out.extend(_connection(report, connection))
    if report.findings:
        out.extend(["## Findings", ""])
        out.extend(_findings(report.findings))
    if report.files:
        out.extend(["## Files", ""])
        out.extend(
            _table(
                ["File", "Kind", "Connections", "Errors", "Warnings", "Info"],
                [
                    [
                        markdown_text(f.path),
                        f.kind,
                        str(f.connections),
                        str(f.errors),
                        str(f.warnings),
                        str(f.infos),
                    ]
                    for f in report.files
                ],
            )
        )
    return "\n".join(out)


def _where(c: ConnectionAudit) -> str:
    return c.path + (f":{c.line}" if c.line else "")


def _connection(report: AuditReport, c: ConnectionAudit) -> list[str]:
    facts = [f"**{c.tier.label}**", c.auth or "auth unknown"]
    if c.client:
        facts.append(markdown_text(c.client))
    if c.url:
        facts.append(markdown_text(c.url))
    out = [
        f"### {c.rank}. {markdown_text(c.name)}",
        "",
        f"{markdown_text(_where(c))}: {' · '.join(facts)}",
        "",
    ]
    if c.tier is not Tier.NONE:
        out.extend([f"{markdown_text(c.headline)}.", ""])
    if c.next_step:
        out.extend([f"Next step: {markdown_text(c.next_step)}.", ""])
    if c.scopes:
        out.extend(
            _table(
                ["Scope", "Level", "Group", "Status", "Needed by"],
                [
                    [
                        markdown_text(row.scope) + (EXTENDED if row.extended else ""),
                        row.level or "unknown",
                        markdown_text(row.group) or NONE,
                        row.status,
                        ", ".join(
                            markdown_text(a) + (EXTENDED if a in c.extended_actions else "")
                            for a in row.actions
                        )
                        or NONE,
                    ]
                    for row in c.scopes
                ],
            )
        )
    if c.token and c.needed:
        verb = "Create the replacement token with" if c.replace_token else "Its token holds"
        # Catalog scope names only (the planner's output), so a fence shows them as they are.
        out.extend([f"{verb} exactly these scopes:", "", "```text", *c.needed, "```", ""])
        if not c.complete:
            out.extend(["Some tools or actions are not in the catalog: the set may be short.", ""])
    elif c.kind == "client":
        out.extend(
            [
                "A client config declares no tools: describe them in a plan "
                f"(scopelint init --from {markdown_text(c.path)}) to compute its scopes.",
                "",
            ]
        )
    if any(row.status == EXCESS for row in c.scopes) and not c.complete:
        out.extend(["Excess is not judged while tools are unknown.", ""])
    own = report.connection_findings(c)
    if own:
        out.extend(f"- {_finding_line(f)}" for f in own)
        out.append("")
    return out


def _finding_line(f: AuditFinding) -> str:
    where = markdown_text(f"{f.path}:{f.line}:{f.column}")
    return f"{f.severity.label} {f.code} {f.name} at {where}: {markdown_text(f.message)}"


def _findings(findings: tuple[AuditFinding, ...]) -> list[str]:
    return _table(
        ["Severity", "Rule", "Location", "Connection", "Finding"],
        [
            [
                f.severity.label,
                f"{f.code} {f.name}",
                markdown_text(f"{f.path}:{f.line}:{f.column}"),
                markdown_text(f.connection) if f.connection else NONE,
                markdown_text(f.message),
            ]
            for f in findings
        ],
    )
