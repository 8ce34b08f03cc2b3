"""What a report shows about a plan connection beyond the engine's summary.

The summary names the needed scopes; a report also shows which actions need each one,
where the connection sits, and whether its tools are all known. The plan is read again
from the text the engine kept, with the same reader and planner, so both always agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scopelint.catalog import Action, Catalog
from scopelint.checks.base import PlanContext
from scopelint.engine import FileResult
from scopelint.findings import Span
from scopelint.planner import group_of
from scopelint.sources.plan import Value, build_plan
from scopelint.sources.reading import Limits
from scopelint.sources.yaml_source import parse_yaml


@dataclass(frozen=True)
class PlanConnectionDetails:
    name: str
    span: Span  # the connection's mapping in the file
    needs: dict[str, tuple[str, ...]]  # scope -> labels of the actions that need it
    groups: dict[str, str]  # scope -> the permission group the token screen lists it under
    complete: bool  # every tool and action is in the catalog: the minimal set is exact
    url: str | None
    availability: str | None
    credential: str | None
    extended_actions: tuple[str, ...]  # intended actions the config's catalog extension adds


def plan_details(
    file: FileResult, catalog: Catalog, as_of: dt.date, limits: Limits
) -> list[PlanConnectionDetails]:
    """One entry per connection, in the order of `file.connections`."""
    if file.kind != "plan" or not file.connections:
        return []
    plan = build_plan(parse_yaml(file.path, file.text, limits))
    if plan is None:
        return []
    context = PlanContext(plan, catalog, as_of)
    details = []
    for conn in plan.connections:
        view = context.view(conn)
        needed = view.needed
        details.append(
            PlanConnectionDetails(
                name=conn.label,
                span=conn.node.span,
                needs={scope: tuple(a.label for a in actions) for scope, actions in needed.items()},
                groups={scope: _group(scope, actions) for scope, actions in needed.items()},
                complete=view.fully_known,
                url=_text(conn.url),
                availability=_text(conn.availability),
                credential=_text(conn.credential),
                extended_actions=_extended(catalog, [action for action, _ in view.intended]),
            )
        )
    return details


def _group(scope: str, actions: tuple[Action, ...]) -> str:
    # The shared user tools (atlassianUserInfo …) sit in no group on the token screen.
    return group_of(actions) if any(a.group for a in actions) else ""


def _text(value: Value | None) -> str | None:
    return value.value if value is not None else None


def _extended(catalog: Catalog, actions: list[Action]) -> tuple[str, ...]:
    labels = []
    for action in actions:
        tool = catalog.tools.get(action.tool)
        if action.extended or (tool is not None and tool.extended):
            labels.append(action.label)
    return tuple(dict.fromkeys(labels))
