"""SL201, SL202: tool and action names must exist in the catalog."""

from __future__ import annotations

from collections.abc import Iterator

from scopelint.checks.base import Hit, PlanContext
from scopelint.suggest import did_you_mean


def check(ctx: PlanContext) -> Iterator[Hit]:
    catalog = ctx.catalog
    for conn in ctx.plan.connections:
        for intent in conn.tools or []:
            tool = catalog.tool(intent.name)
            if tool is None:
                yield Hit(
                    "SL201",
                    intent.key.span,
                    f"unknown tool '{intent.name}'{did_you_mean(intent.name, catalog.tool_names())}",
                    subject=intent.name,
                    connection=conn.label,
                    help="use a tool name from `scopelint tools`, or extend the catalog in the "
                    "config if Atlassian added it recently",
                )
                continue
            for action in intent.actions or []:
                if ctx.actions(intent.name, (action.value,)):
                    continue
                choices = list(tool.actions)
                yield Hit(
                    "SL202",
                    action.node.span,
                    f"'{action.value}' is not an action of {tool.name}"
                    f"{did_you_mean(action.value, choices)}",
                    subject=f"{intent.name}.{action.value}",
                    connection=conn.label,
                    help=f"actions of {tool.name}: {', '.join(choices)} (or `all`)",
                )
