"""`scopelint diff` as text, Markdown (for a pull request comment) or versioned JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scopelint.commands.diff import ConnectionDiff, DiffReport, FileDiff
from scopelint.credentials import redact
from scopelint.privileges import Distance
from scopelint.report.common import dump_json
from scopelint.report.markdown_escape import markdown_text
from scopelint.report.sanitize import terminal_safe

DIFF_JSON_VERSION = 1
MARKER = "<!-- scopelint-diff -->"

_DIRECTION = {
    "toward": "moves toward its minimal scope set",
    "away": "moves away from its minimal scope set",
    "unchanged": "no closer to or further from its minimal scope set",
    "minimal": "at its minimal scope set",
    "beyond": "not at its minimal scope set",
    "removed": "removed",
    "unknown": "minimal set not comparable (OAuth, or a tool not in the catalog)",
}


def _distance(before: Distance | None, after: Distance | None) -> str:
    if before is None and after is None:
        return ""

    def part(attr: str) -> str:
        old = None if before is None else getattr(before, attr)
        new = None if after is None else getattr(after, attr)
        if old is None or new is None:
            return f"{attr} {new if old is None else old}"
        return f"{attr} {old} → {new}"

    return f" ({part('excess')}, {part('missing')})"


def _where(conn: ConnectionDiff) -> str:
    """Where the change leaves the connection relative to its minimal scope set."""
    direction = conn.direction
    if direction == "away" and conn.before is None:  # nothing to move from
        direction = "beyond"
    if direction in ("unknown", "removed"):
        return _DIRECTION[direction]
    return _DIRECTION[direction] + _distance(conn.before, conn.after)


def _headline(conn: ConnectionDiff) -> str:
    auth = f" ({conn.auth})" if conn.auth else ""
    if conn.status == "removed":
        return f"{conn.name}{auth}: removed"
    prefix = "new connection, " if conn.status == "added" else ""
    return f"{conn.name}{auth}: {prefix}{_where(conn)}"


def _summary(report: DiffReport) -> str:
    changed = sum(len(f.connections) for f in report.files)
    if not report.files:
        return "No privilege changes."
    files = len(report.files)
    escalations = len(report.escalations)
    text = (
        f"{changed} connection{'' if changed == 1 else 's'} changed in "
        f"{files} file{'' if files == 1 else 's'}"
    )
    if escalations:
        plural = "" if escalations == 1 else "s"
        return text + f"; {escalations} write, delete or admin scope{plural} added."
    return text + "; no write, delete or admin scope added."


def render_diff_text(report: DiffReport) -> str:
    out: list[str] = []
    for file in report.files:
        out.append(f"{file.path} ({file.status})")
        if file.problem:
            out.append(f"  not compared: {file.problem}")
        for conn in file.connections:
            mark = {"added": "+", "removed": "-"}.get(conn.status, "~")
            out.append(f"  {mark} {_headline(conn)}")
            out.extend(f"      {line}" for line in _change_lines(conn))
        out.append("")
    out.append(_summary(report))
    # Names come from the files: nothing in them may drive the terminal or forge a line.
    return "".join(terminal_safe(redact(line, report.secrets)) + "\n" for line in out)


def _change_lines(conn: ConnectionDiff) -> list[str]:
    lines = []
    for scope in conn.scopes_added:
        tag = "  [escalation]" if scope in conn.escalations else ""
        lines.append(f"+ scope  {scope}{tag}")
    lines.extend(f"- scope  {scope}" for scope in conn.scopes_removed)
    for action, level in conn.actions_added.items():
        tag = f"  [{level}]" if level in ("write", "delete", "admin") else ""
        lines.append(f"+ action {action}{tag}")
    lines.extend(f"- action {action}" for action in conn.actions_removed)
    for key, (old, new) in conn.attributes.items():
        lines.append(f"~ {key} {old or '(unset)'} → {new or '(unset)'}")
    return lines


def _cell(values: list[str], bold: set[str] | None = None) -> str:
    if not values:
        return "—"
    shown = []
    for value in values:
        text = markdown_text(value)
        shown.append(f"**{text}**" if bold and value in bold else text)
    return ", ".join(shown)


def render_diff_markdown(report: DiffReport) -> str:
    clean = _cleaner(report)
    out = [MARKER, "## scopelint: privilege changes", ""]
    escalations = report.escalations
    if escalations:
        out.append("**Write, delete or admin scopes added:**")
        out.append("")
        out.extend(
            f"- {markdown_text(clean(scope))} on {markdown_text(clean(conn.name))} "
            f"({markdown_text(clean(file.path))})"
            for file, conn, scope in escalations
        )
    elif report.files:
        out.append("No write, delete or admin scope added.")
    else:
        out.append("No privilege changes.")
    out.append("")
    for file in report.files:
        out.extend([f"### {markdown_text(clean(file.path))} ({file.status})", ""])
        if file.problem:
            out.extend([f"Not compared: {markdown_text(clean(file.problem))}", ""])
            continue
        out.append(
            "| Connection | Change | Scopes added | Scopes removed | Actions added "
            "| Actions removed | Minimal scope set |"
        )
        out.append("| --- | --- | --- | --- | --- | --- | --- |")
        for conn in file.connections:
            out.append(_markdown_row(conn, clean))
        out.append("")
    # Each value was redacted before it was escaped; redacting the escaped text could not
    # recognise a secret split by a backslash.
    return "\n".join(out).rstrip("\n") + "\n"


def _markdown_row(conn: ConnectionDiff, clean: Callable[[str], str]) -> str:
    escalated = set(conn.escalations)
    actions = [
        f"{clean(a)} ({level})" if level in ("write", "delete", "admin") else clean(a)
        for a, level in conn.actions_added.items()
    ]
    change = conn.status
    for key, (old, new) in conn.attributes.items():
        change += f"; {key}: {old or '(unset)'} → {new or '(unset)'}"
    cells = [
        markdown_text(clean(conn.name)),
        markdown_text(clean(change)),
        _cell([clean(s) for s in conn.scopes_added], {clean(s) for s in escalated}),
        _cell([clean(s) for s in conn.scopes_removed]),
        _cell(actions),
        _cell([clean(a) for a in conn.actions_removed]),
        markdown_text(_where(conn)),
    ]
    return "| " + " | ".join(cells) + " |"


def _cleaner(report: DiffReport) -> Callable[[str], str]:
    def clean(text: str) -> str:
        return redact(text, report.secrets)

    return clean


def diff_dict(report: DiffReport) -> dict[str, Any]:
    def distance(value: Distance | None) -> dict[str, int] | None:
        return None if value is None else {"excess": value.excess, "missing": value.missing}

    def connection(conn: ConnectionDiff) -> dict[str, Any]:
        return {
            "name": conn.name,
            "status": conn.status,
            "auth": conn.auth,
            "scopes": {"added": conn.scopes_added, "removed": conn.scopes_removed},
            "escalations": conn.escalations,
            "actions": {
                "added": [{"action": a, "level": lvl} for a, lvl in conn.actions_added.items()],
                "removed": conn.actions_removed,
            },
            "attributes": {k: {"before": o, "after": n} for k, (o, n) in conn.attributes.items()},
            "minimal": {
                "before": distance(conn.before),
                "after": distance(conn.after),
                "direction": conn.direction,
            },
        }

    def file(entry: FileDiff) -> dict[str, Any]:
        return {
            "path": entry.path,
            "status": entry.status,
            "problem": entry.problem,
            "connections": [connection(c) for c in entry.connections],
        }

    return {
        "version": DIFF_JSON_VERSION,
        "base": report.base,
        "escalation": bool(report.escalations),
        "files": [file(f) for f in report.files],
    }


def render_diff_json(report: DiffReport) -> str:
    return dump_json(diff_dict(report), report.secrets)


def render_diff(report: DiffReport, output_format: str) -> str:
    if output_format == "json":
        return render_diff_json(report)
    if output_format == "markdown":
        return render_diff_markdown(report)
    return render_diff_text(report)
