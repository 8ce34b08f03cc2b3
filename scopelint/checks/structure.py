"""SL204: connection names must be unique in a plan."""

from __future__ import annotations

from collections.abc import Iterator

from scopelint.checks.base import Hit, PlanContext


def check(ctx: PlanContext) -> Iterator[Hit]:
    first_seen: dict[str, int] = {}
    for conn in ctx.plan.connections:
        if conn.name is None:
            continue
        name = conn.name.value
        if name in first_seen:
            yield Hit(
                "SL204",
                conn.name.node.span,
                f"connection name '{name}' is already used at line {first_seen[name]}",
                subject=f"{name}#{conn.index}",
                help="give each connection a unique name; reports, baselines and diffs key on it",
                connection=name,
            )
        else:
            first_seen[name] = conn.name.node.span.line
