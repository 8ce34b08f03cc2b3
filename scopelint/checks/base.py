"""What checks receive and what they return."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import NamedTuple

from scopelint.catalog import Action, Catalog
from scopelint.endpoints import EndpointRef, parse_endpoint
from scopelint.findings import Fix, Severity, Span
from scopelint.planner import ActionLookup, minimal_scopes
from scopelint.sources.nodes import Mapping, Sequence
from scopelint.sources.plan import Connection, Plan


class Hit(NamedTuple):
    """A rule firing on a span; the engine turns it into a Finding."""

    code: str
    span: Span
    message: str
    subject: str = ""
    help: str = ""
    connection: str | None = None
    severity: Severity | None = None  # None: the rule's configured severity
    fix: Fix | None = None
    secret: str | None = None  # text that must be redacted from all output


class PlanContext:
    """One plan as the checks see it, with each connection's view computed once."""

    __slots__ = ("actions", "as_of", "catalog", "plan", "views")

    def __init__(
        self, plan: Plan, catalog: Catalog, as_of: dt.date, actions: ActionLookup | None = None
    ) -> None:
        self.plan = plan
        self.catalog = catalog
        self.as_of = as_of
        # Shared by every plan of a run when the engine passes its own.
        self.actions = actions if actions is not None else ActionLookup(catalog)
        self.views: dict[int, ConnectionView] = {}

    def view(self, conn: Connection) -> ConnectionView:
        if conn.index not in self.views:
            self.views[conn.index] = ConnectionView(conn, self.catalog, self.actions)
        return self.views[conn.index]


class ConnectionView:
    """What the checks derive from one connection, computed once."""

    def __init__(
        self, conn: Connection, catalog: Catalog, actions: ActionLookup | None = None
    ) -> None:
        self.conn = conn
        self.catalog = catalog
        self.actions = actions if actions is not None else ActionLookup(catalog)

    @property
    def auth(self) -> str | None:
        return self.conn.auth.value if self.conn.auth else None

    @cached_property
    def endpoint(self) -> EndpointRef | None:
        return parse_endpoint(self.conn.url.value, self.catalog) if self.conn.url else None

    @cached_property
    def fully_known(self) -> bool:
        """Every tool and action is valid and in the catalog, so the minimal set is exact."""
        declared = self.conn.node.get("tools")
        if isinstance(declared, Mapping) and len(declared.pairs) != len(self.conn.tools or []):
            return False  # an entry the reader rejected (SL002) may need any scope
        for intent in self.conn.tools or []:
            if (
                intent.actions is not None
                and isinstance(intent.value_node, Sequence)
                and len(intent.actions) != len(intent.value_node.items)
            ):
                return False
            tool = self.catalog.tool(intent.name)
            if tool is None:
                return False
            if intent.actions is not None and len(
                self.actions(intent.name, tuple(a.value for a in intent.actions))
            ) != len(intent.actions):
                return False
        return True

    @cached_property
    def intended(self) -> list[tuple[Action, Span]]:
        """Each intended catalog action with the node that names it."""
        result: list[tuple[Action, Span]] = []
        for intent in self.conn.tools or []:
            if intent.actions is None:
                result.extend((a, intent.key.span) for a in self.actions(intent.name, None))
                continue
            for value in intent.actions:
                for action in self.actions(intent.name, (value.value,)):
                    result.append((action, value.node.span))
        return result

    @cached_property
    def needed(self) -> dict[str, tuple[Action, ...]]:
        """The minimal scope set, each scope with the intended actions that need it."""
        return minimal_scopes(action for action, _ in self.intended)

    @cached_property
    def products(self) -> set[str]:
        """What the connection reaches: the products declared and those of its tools."""
        declared = {p.value for p in self.conn.products or []}
        return declared | self.tool_products

    @cached_property
    def tool_products(self) -> set[str]:
        found = set()
        for intent in self.conn.tools or []:
            tool = self.catalog.tool(intent.name)
            if tool is not None:
                found.add(tool.product)
        return found

    @property
    def granted(self) -> list[str]:
        return [s.value for s in self.conn.scopes or []]
