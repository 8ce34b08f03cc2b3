"""`scopes`: the minimal scope set per connection, grouped as the token screen shows it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from tabulate import tabulate

from scopelint.catalog import Action, Catalog, load_catalog
from scopelint.checks import credentials
from scopelint.checks.base import PlanContext
from scopelint.credentials import redact
from scopelint.planner import compare, group_of, minimal_scopes, parse_action_list
from scopelint.report.sanitize import terminal_safe
from scopelint.sources.plan import build_plan
from scopelint.sources.reading import Limits, MissingPath, UnreadableFile, decode, read_bytes
from scopelint.sources.yaml_source import parse_yaml


def _rows(
    catalog: Catalog, needed: dict[str, tuple[Action, ...]], granted: list[str] | None
) -> list[dict[str, Any]]:
    comparison = compare(needed, granted or [])
    rows = []
    for scope, actions in needed.items():
        status = (
            "needed"
            if granted is None
            else ("granted" if scope in comparison.granted else "missing")
        )
        rows.append(
            {
                "scope": scope,
                "level": catalog.level(scope) or "?",
                "group": group_of(actions),
                "status": status,
                "actions": [a.label for a in actions],
            }
        )
    for scope in comparison.excess if granted is not None else ():
        rows.append(
            {
                "scope": scope,
                "level": catalog.level(scope) or "unknown",
                "group": "",
                "status": "excess",
                "actions": [],
            }
        )
    rows.sort(key=lambda r: (r["status"] == "excess", r["group"], r["scope"]))
    return rows


def _table(name: str, rows: list[dict[str, Any]], auth: str | None) -> str:
    title = f"{name}" + (f" ({auth})" if auth else "")
    if not rows:
        return f"{title}\n  no tools declared: nothing to compute\n"
    table = [
        [r["group"], r["scope"], r["level"], r["status"], ", ".join(r["actions"])] for r in rows
    ]
    body = tabulate(table, ["group", "scope", "level", "status", "needed by"])
    needed = [r["scope"] for r in rows if r["status"] != "excess"]
    return f"{title}\n{body}\n  create the token with: {' '.join(needed) or '(none)'}\n"


def scopes_command(
    plan_path: str | None,
    connection: str | None,
    tool_spec: str | None,
    output_format: str,
    catalog: Catalog | None = None,
) -> str:
    """`catalog`: the configured one, with its extensions; the bundled one by default."""
    catalog = catalog or load_catalog()
    if tool_spec is not None:
        if plan_path is not None:
            raise ValueError("give either a PLAN or --tools, not both")
        actions, unknown = parse_action_list(catalog, tool_spec)
        if unknown:
            raise ValueError(
                f"unknown tool or action: {', '.join(unknown)} (see `scopelint tools`)"
            )
        rows = _rows(catalog, minimal_scopes(actions), None)
        if output_format == "json":
            return json.dumps({"scopes": rows}, indent=2) + "\n"
        return _table("--tools " + tool_spec, rows, None)
    if plan_path is None:
        raise ValueError("give a PLAN file or --tools tool.action,…")
    try:
        text = decode(read_bytes(plan_path, Limits()))
    except MissingPath as exc:  # its message names the path already
        raise ValueError(str(exc)) from None
    except UnreadableFile as exc:
        raise ValueError(f"{plan_path}: {exc}") from None
    plan = build_plan(parse_yaml(plan_path, text, Limits()))
    if plan is None or not plan.connections:
        raise ValueError(f"{plan_path}: no connections found (run `scopelint check {plan_path}`)")
    context = PlanContext(plan, catalog, dt.date.today())
    results = []
    for conn in plan.connections:
        if connection is not None and conn.label != connection:
            continue
        view = context.view(conn)
        needed = view.needed
        granted = view.granted if view.auth == "api-token" else None
        results.append((conn.label, view.auth, _rows(catalog, needed, granted)))
    if not results:
        names = ", ".join(c.label for c in plan.connections)
        raise ValueError(f"no connection named '{connection}' in {plan_path} ({names})")
    # Names and scopes come from the file: a token pasted there is masked, as `check` does.
    secrets = {hit.secret for hit in credentials.check(context) if hit.secret}
    if output_format == "json":
        data = {
            "connections": [
                {"name": name, "auth": auth, "scopes": rows} for name, auth, rows in results
            ]
        }
        return redact(json.dumps(data, indent=2), secrets) + "\n"
    text = "\n".join(_table(name, rows, auth) for name, auth, rows in results)
    return "\n".join(terminal_safe(line) for line in redact(text, secrets).split("\n"))
