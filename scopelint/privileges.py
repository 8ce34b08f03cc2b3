"""What one version of a plan grants, per connection: the input of `scopelint diff`.

Built from the same plan reader and planner as `check`, so a diff and a lint of the same
file never disagree about which scopes are excess or missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from scopelint.catalog import LEVELS, Catalog
from scopelint.checks import credentials
from scopelint.checks.base import ConnectionView, PlanContext
from scopelint.planner import compare, resolve_actions
from scopelint.sources.plan import Connection, build_plan
from scopelint.sources.reading import Limits, UnreadableFile, decode
from scopelint.sources.yaml_source import parse_yaml

ATTRIBUTES = ("url", "auth", "credential", "availability")


@dataclass(frozen=True)
class Distance:
    """How far the granted scopes are from the minimal set."""

    excess: int
    missing: int

    @property
    def total(self) -> int:
        return self.excess + self.missing


@dataclass(frozen=True)
class ConnectionPrivileges:
    name: str
    auth: str | None
    scopes: tuple[str, ...]  # granted (API tokens only: OAuth scopes come from consent)
    actions: dict[str, str | None]  # intended action label -> the highest level it needs
    attributes: dict[str, str | None]
    distance: Distance | None  # None when it cannot be known (OAuth, unknown tools)


@dataclass
class PlanPrivileges:
    connections: dict[str, ConnectionPrivileges] = field(default_factory=dict)
    problem: str | None = None  # why the file could not be read as a plan
    secrets: set[str] = field(default_factory=set)


def read_privileges(path: str, data: bytes | None, catalog: Catalog) -> PlanPrivileges:
    """A version of a file (None: it does not exist there) as privileges per connection."""
    if data is None:
        return PlanPrivileges()
    limits = Limits()
    if len(data) > limits.max_file_size:
        return PlanPrivileges(problem="larger than the file size limit")
    try:
        text = decode(data)
    except UnreadableFile as exc:
        return PlanPrivileges(problem=str(exc))
    document = parse_yaml(path, text, limits)
    unreadable = [p for p in document.problems if p.code == "SL001"]
    if unreadable:
        return PlanPrivileges(problem=f"line {unreadable[0].span.line}: {unreadable[0].message}")
    plan = build_plan(document)
    if plan is None:
        return PlanPrivileges()
    context = PlanContext(plan, catalog, dt.date.today())
    result = PlanPrivileges()
    result.secrets = {hit.secret for hit in credentials.check(context) if hit.secret}
    for conn in plan.connections:
        name = conn.label
        while name in result.connections:  # a duplicate name (SL204): keep both apart
            name += "'"
        result.connections[name] = _connection(name, context.view(conn), catalog)
    return result


def _connection(name: str, view: ConnectionView, catalog: Catalog) -> ConnectionPrivileges:
    conn = view.conn
    token = view.auth != "oauth"
    scopes = tuple(dict.fromkeys(view.granted)) if token else ()
    distance = None
    if view.auth == "api-token" and view.fully_known and conn.scopes is not None:
        comparison = compare(view.needed, view.granted)
        distance = Distance(len(comparison.excess), len(comparison.missing))
    return ConnectionPrivileges(
        name=name,
        auth=view.auth,
        scopes=scopes,
        actions=_actions(conn, catalog),
        attributes={key: _attribute(conn, key) for key in ATTRIBUTES},
        distance=distance,
    )


def _attribute(conn: Connection, key: str) -> str | None:
    value = getattr(conn, key)
    return value.value if value is not None else None


def _actions(conn: Connection, catalog: Catalog) -> dict[str, str | None]:
    """Each intended action by its label; names the catalog does not know are kept as written."""
    actions: dict[str, str | None] = {}
    for intent in conn.tools or []:
        wanted = None if intent.actions is None else [a.value for a in intent.actions]
        if catalog.tool(intent.name) is None:
            for label in [f"{intent.name} (all)"] if wanted is None else wanted:
                actions.setdefault(label if wanted is None else f"{intent.name}.{label}", None)
            continue
        for name in wanted if wanted is not None else [None]:
            found = resolve_actions(catalog, intent.name, None if name is None else [name])
            if not found and name is not None:
                actions.setdefault(f"{intent.name}.{name}", None)
            for action in found:
                levels = [catalog.level(s) for s in action.scopes]
                known = [level for level in levels if level in LEVELS]
                actions[action.label] = max(known, key=LEVELS.index) if known else None
    return actions
