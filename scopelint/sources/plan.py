"""The token plan format: nodes in, a typed Plan out, every format breach an SL002 problem."""

from __future__ import annotations

import re
from typing import NamedTuple

from scopelint.sources.nodes import Document, Mapping, Node, Problem, Scalar, Sequence
from scopelint.suggest import did_you_mean

PLAN_VERSION = 1
TOP_KEYS = ("scopelint", "organization", "connections")
ORGANIZATION_KEYS = ("workspace_linked", "api_token_auth", "ip_allowlist", "gateway_egress_allowed")
CONNECTION_KEYS = (
    "name",
    "url",
    "auth",
    "credential",
    "availability",
    "header",
    "products",
    "scopes",
    "tools",
)
AUTH_VALUES = ("api-token", "oauth")
CREDENTIAL_VALUES = ("personal", "service-account")
AVAILABILITY_VALUES = ("private", "global")
ALL_ACTIONS = "all"

# `scopelint: 1` at the top level: plain, quoted, or opening a flow mapping.
_MARKER = re.compile(r"""^(?:\{\s*)?["']?scopelint["']?\s*:""", re.MULTILINE)


def has_marker(text: str) -> bool:
    """Cheap test for discovery: does this YAML text look like a token plan?"""
    return _MARKER.search(text) is not None


class Value(NamedTuple):
    """A scalar the plan sets, with the node to point findings at."""

    value: str
    node: Node


class ToolIntent(NamedTuple):
    name: str
    key: Node
    actions: list[Value] | None  # None: `all`
    value_node: Node


class Connection:
    """One entry of `connections`, filled in key by key as the plan is read."""

    __slots__ = (
        "auth",
        "availability",
        "credential",
        "header",
        "index",
        "name",
        "node",
        "products",
        "scopes",
        "scopes_key",
        "tools",
        "tools_key",
        "url",
    )

    def __init__(self, node: Mapping, index: int) -> None:
        self.node = node
        self.index = index
        self.name: Value | None = None
        self.url: Value | None = None
        self.auth: Value | None = None
        self.credential: Value | None = None
        self.availability: Value | None = None
        self.header: Value | None = None
        self.products: list[Value] | None = None
        self.scopes: list[Value] | None = None
        self.scopes_key: Node | None = None
        self.tools: list[ToolIntent] | None = None
        self.tools_key: Node | None = None

    @property
    def label(self) -> str:
        return self.name.value if self.name else f"connections[{self.index}]"

    @property
    def is_global(self) -> bool:
        return self.availability is not None and self.availability.value == "global"

    def key(self, name: str) -> Node:
        return self.node.key_node(name) or self.node


class Organization:
    __slots__ = ("flags", "node")

    def __init__(self, node: Mapping | None) -> None:
        self.node = node
        self.flags: dict[str, tuple[bool, Node]] = {}

    def flag(self, name: str) -> bool | None:
        entry = self.flags.get(name)
        return entry[0] if entry else None


class Plan:
    __slots__ = ("connections", "document", "organization", "problems")

    def __init__(
        self,
        document: Document,
        connections: list[Connection],
        organization: Organization,
        problems: list[Problem],
    ) -> None:
        self.document = document
        self.connections = connections
        self.organization = organization
        self.problems = problems


class _Builder:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.problems: list[Problem] = []

    def problem(self, message: str, node: Node, subject: str) -> None:
        self.problems.append(Problem("SL002", message, node.span, subject))

    def mapping_keys(self, node: Mapping, allowed: tuple[str, ...], where: str) -> dict[str, Node]:
        """Known keys -> value nodes (null values dropped); unknown keys are problems."""
        values: dict[str, Node] = {}
        for key, key_node, value_node in node.entries():
            if not isinstance(key, str):
                self.problem(
                    f"{where}: keys must be strings, not {key_node.kind}", key_node, f"{where}:key"
                )
                continue
            if key not in allowed:
                self.problem(
                    f"unknown key '{key}' in {where}{did_you_mean(key, allowed)}; "
                    f"allowed: {', '.join(allowed)}",
                    key_node,
                    f"{where}.{key}",
                )
                continue
            if isinstance(value_node, Scalar) and value_node.value is None:
                continue
            values[key] = value_node
        return values

    def string(self, node: Node, where: str, choices: tuple[str, ...] = ()) -> Value | None:
        if not (isinstance(node, Scalar) and isinstance(node.value, str)):
            self.problem(f"{where} must be a string, not {node.kind}", node, where)
            return None
        if choices and node.value not in choices:
            self.problem(
                f"{where} must be one of {', '.join(choices)}, not '{node.value}'"
                f"{did_you_mean(node.value, choices)}",
                node,
                where,
            )
            return None
        return Value(node.value, node)

    def string_list(self, node: Node, where: str) -> list[Value] | None:
        if not isinstance(node, Sequence):
            self.problem(f"{where} must be a list of strings, not {node.kind}", node, where)
            return None
        values = []
        for item in node.items:
            value = self.string(item, f"{where} item")
            if value is not None:
                values.append(value)
        return values

    def build(self) -> Plan | None:
        root = self.document.root
        if root is None:
            return None
        if not isinstance(root, Mapping):
            self.problem(
                f"a token plan is a mapping with `scopelint: {PLAN_VERSION}` at the top, "
                f"not a {root.kind}",
                root,
                "root",
            )
            return Plan(self.document, [], Organization(None), self.problems)
        top = self.mapping_keys(root, TOP_KEYS, "the plan")
        self.version(root, top.get("scopelint"))
        organization = self.organization(top.get("organization"))
        connections = self.connections(top.get("connections"))
        return Plan(self.document, connections, organization, self.problems)

    def version(self, root: Mapping, node: Node | None) -> None:
        if node is None:
            self.problem(
                f"not a token plan: the top-level `scopelint: {PLAN_VERSION}` marker is missing",
                root.key_node("scopelint") or root,
                "marker",
            )
        elif not (
            isinstance(node, Scalar)
            and node.value == PLAN_VERSION
            and not isinstance(node.value, bool)
        ):
            shown = node.value if isinstance(node, Scalar) else node.kind
            self.problem(
                f"unsupported plan version {shown!r}; this scopelint reads `scopelint: "
                f"{PLAN_VERSION}`",
                node,
                "version",
            )

    def organization(self, node: Node | None) -> Organization:
        if node is None:
            return Organization(None)
        if not isinstance(node, Mapping):
            self.problem(f"organization must be a mapping, not {node.kind}", node, "organization")
            return Organization(None)
        org = Organization(node)
        for key, value in self.mapping_keys(node, ORGANIZATION_KEYS, "organization").items():
            if isinstance(value, Scalar) and isinstance(value.value, bool):
                org.flags[key] = (value.value, value)
            else:
                self.problem(
                    f"organization.{key} must be true or false, not {value.kind}",
                    value,
                    f"organization.{key}",
                )
        return org

    def connections(self, node: Node | None) -> list[Connection]:
        if node is None:
            return []
        if not isinstance(node, Sequence):
            self.problem(
                f"connections must be a list of connections (`- name: …`), not a {node.kind}",
                node,
                "connections",
            )
            return []
        result = []
        for index, item in enumerate(node.items):
            if not isinstance(item, Mapping):
                self.problem(
                    f"connections[{index}] must be a mapping, not {item.kind}",
                    item,
                    f"connections[{index}]",
                )
                continue
            result.append(self.connection(item, index))
        return result

    def connection(self, node: Mapping, index: int) -> Connection:
        conn = Connection(node, index)
        keys = self.mapping_keys(node, CONNECTION_KEYS, "a connection")
        for name in ("name", "url", "header"):
            if name in keys:
                setattr(conn, name, self.string(keys[name], name))
        if "auth" in keys:
            conn.auth = self.string(keys["auth"], "auth", AUTH_VALUES)
        if "credential" in keys:
            conn.credential = self.string(keys["credential"], "credential", CREDENTIAL_VALUES)
        if "availability" in keys:
            conn.availability = self.string(
                keys["availability"], "availability", AVAILABILITY_VALUES
            )
        if "products" in keys:
            conn.products = self.string_list(keys["products"], "products")
        if "scopes" in keys:
            conn.scopes = self.string_list(keys["scopes"], "scopes")
            conn.scopes_key = node.key_node("scopes")
        if "tools" in keys:
            conn.tools = self.tools(keys["tools"])
            conn.tools_key = node.key_node("tools")
        self.required(conn, keys)
        return conn

    def required(self, conn: Connection, keys: dict[str, Node]) -> None:
        where = f"connection '{conn.label}'"
        anchor = conn.name.node if conn.name else conn.node
        if "name" not in keys:
            self.problem(
                f"connections[{conn.index}] has no name; every connection needs a unique `name`",
                conn.node,
                f"{conn.label}.name",
            )
        if "auth" not in keys:
            self.problem(
                f"{where} has no `auth` (api-token or oauth)", anchor, f"{conn.label}.auth"
            )
        auth = conn.auth.value if conn.auth else None
        if auth == "api-token":
            if "credential" not in keys:
                self.problem(
                    f"{where} uses an API token but has no `credential` "
                    "(personal or service-account)",
                    conn.auth.node if conn.auth else anchor,
                    f"{conn.label}.credential",
                )
            if "scopes" not in keys:
                self.problem(
                    f"{where} uses an API token but lists no `scopes`: write down the "
                    "scopes the token was created with",
                    conn.auth.node if conn.auth else anchor,
                    f"{conn.label}.scopes",
                )
        elif auth == "oauth":
            for key, why in (
                ("scopes", "OAuth scopes come from the consent screen, not the plan"),
                ("credential", "`credential` describes API tokens only"),
            ):
                if key in keys:
                    self.problem(
                        f"{where} uses OAuth, so `{key}` does not apply: {why}",
                        conn.key(key),
                        f"{conn.label}.{key}",
                    )

    def tools(self, node: Node) -> list[ToolIntent] | None:
        if not isinstance(node, Mapping):
            self.problem(
                f"tools must be a mapping of tool -> actions (or `all`), not {node.kind}",
                node,
                "tools",
            )
            return None
        intents = []
        for name, key_node, value in node.entries():
            if not isinstance(name, str):
                self.problem(
                    f"a tool name must be a string, not {key_node.kind}", key_node, "tools:key"
                )
                continue
            if isinstance(value, Scalar) and (value.value == ALL_ACTIONS or value.value is True):
                intents.append(ToolIntent(name, key_node, None, value))
            elif isinstance(value, Sequence):
                actions = self.string_list(value, f"tools.{name}")
                intents.append(ToolIntent(name, key_node, actions or [], value))
            else:
                shown = (
                    f"'{value.value}'"
                    if isinstance(value, Scalar) and value.value is not None
                    else value.kind
                )
                self.problem(
                    f"tools.{name} must be a list of actions or `all`, not {shown}",
                    value,
                    f"tools.{name}",
                )
        return intents


def build_plan(document: Document) -> Plan | None:
    """The typed plan, or None when the document has no content to check."""
    builder = _Builder(document)
    plan = builder.build()
    if plan is not None:
        plan.problems = builder.problems
    return plan
