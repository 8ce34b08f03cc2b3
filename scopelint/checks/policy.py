"""SL801-SL808: the organization's policy from `[policy]`, on plans and client entries.

Loaded only when a config sets a policy. A connection holds the scopes its API token was
created with; an OAuth connection holds those its intended actions need, since the consent
screen asks for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scopelint.catalog import Catalog
from scopelint.checks.auth import scope_product
from scopelint.checks.base import ConnectionView, Hit, PlanContext
from scopelint.credentials import analyse_header, is_reference
from scopelint.endpoints import EndpointRef
from scopelint.findings import Span
from scopelint.policy import READ_ONLY_LEVELS, FilePolicy, Rules, Setting
from scopelint.sources.nodes import Node, Scalar

if TYPE_CHECKING:  # a run over plans alone never loads the client readers
    from scopelint.checks.clients import EntryContext

# What a plan's header may be under require_header_reference: `${NAME}`, after a scheme.
_PLAN_REFERENCE = re.compile(r"(?:(?:Basic|Bearer)\s+)?\$\{[A-Za-z_][A-Za-z0-9_]*\}", re.I)
# A client header that is one variable, whose value the entry's `env` may then write out.
_WHOLE_VARIABLE = re.compile(
    r"\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}|\{env:([A-Za-z_][A-Za-z0-9_]*)\}"
    r"|\$([A-Za-z_][A-Za-z0-9_]*)"
)


@dataclass
class Held:
    """A scope a connection holds, the node to point at, and the actions that need it."""

    scope: str
    span: Span
    actions: list[str] = field(default_factory=list)


def plan_policy_hits(ctx: PlanContext, policy: FilePolicy) -> Iterator[Hit]:
    for conn in ctx.plan.connections:
        rules = policy.for_connection(conn.name.value if conn.name else None)
        if rules.empty:
            continue
        view = ctx.view(conn)
        held = held_scopes(view)
        yield from _scope_lists(view, rules, held)
        yield from _scope_count(view, rules, held)
        yield from _global(ctx.catalog, view, rules, held)
        if view.endpoint is not None and conn.url is not None:
            yield from _endpoint(view.endpoint, conn.url.node.span, rules, conn.label)
        header = conn.header
        if (
            header is not None
            and _on(rules.require_header_reference)
            and not _PLAN_REFERENCE.fullmatch(header.value.strip())
        ):
            yield _header_hit(rules, header.node.span, conn.label, "the header", header.value)
        yield from _products(ctx.catalog, view, rules)


def client_policy_hits(ctx: EntryContext, policy: FilePolicy) -> Iterator[Hit]:
    """The keys that mean something for a client entry: endpoints and header references."""
    entry = ctx.entry
    rules = policy.for_connection(entry.server)
    if rules.empty:
        return
    if entry.url is not None:
        yield from _endpoint(ctx.endpoint, entry.url.span, rules, entry.server)
    if not _on(rules.require_header_reference):
        return
    env = {str(key.value): value for key, value in entry.env}
    for header in entry.authorization:
        payload = _payload(header.value)
        if not is_reference(payload):
            where = f"the {header.name} header"
            yield _header_hit(rules, header.node.span, entry.server, where, header.value)
            continue
        # `Authorization: ${AUTH}` with AUTH written out in `env` is a literal all the same.
        variable = _whole_variable(payload)
        value = env.get(variable or "")
        if not (isinstance(value, Scalar) and isinstance(value.value, str)):
            continue  # not set here: the variable comes from the environment
        if not is_reference(_payload(value.value)):
            where = f"env {variable}, sent as the {header.name} header,"
            yield _header_hit(rules, value.span, entry.server, where, value.value)


def held_scopes(view: ConnectionView) -> list[Held]:
    held: dict[str, Held] = {}
    if view.auth == "api-token":
        for granted in view.conn.scopes or []:
            held.setdefault(granted.value, Held(granted.value, granted.node.span))
    elif view.auth == "oauth":
        for action, span in view.intended:
            for needed in action.scopes:
                entry = held.setdefault(needed, Held(needed, span))
                if action.label not in entry.actions:
                    entry.actions.append(action.label)
    return list(held.values())


def _on(setting: Setting[bool] | None) -> bool:
    return setting is not None and setting.value


def _what(held: Held) -> str:
    """How a message names a held scope: the token's scope, or the actions needing it."""
    if not held.actions:
        return f"scope '{held.scope}'"
    names = ", ".join(held.actions[:3]) + (" …" if len(held.actions) > 3 else "")
    return f"scope '{held.scope}' (needed by {names})"


def _drop_help(held: Held, instead: str) -> str:
    if held.actions:
        return f"drop the actions that need it from this connection, or {instead}"
    return f"create a new token without it (scopes are fixed at creation) and remove it here, or {instead}"


def _scope_lists(view: ConnectionView, rules: Rules, held: list[Held]) -> Iterator[Hit]:
    label = view.conn.label
    for item in held:
        pattern = rules.forbidding(item.scope)
        if pattern is not None and rules.forbid_scopes is not None:
            key = rules.forbid_scopes.key
            yield Hit(
                "SL801",
                item.span,
                f"{_what(item)} is forbidden by {key} ('{pattern}')",
                subject=item.scope,
                connection=label,
                help=_drop_help(item, f"narrow {key} with a [[policy.override]]"),
            )
        elif not rules.allows(item.scope) and rules.allow_scopes is not None:
            key = rules.allow_scopes.key
            yield Hit(
                "SL802",
                item.span,
                f"{_what(item)} is not in {key}",
                subject=item.scope,
                connection=label,
                help=_drop_help(item, f"add it to {key} if the organization agrees"),
            )


def _scope_count(view: ConnectionView, rules: Rules, held: list[Held]) -> Iterator[Hit]:
    limit = rules.max_scopes_per_connection
    if limit is None or len(held) <= limit.value:
        return
    conn = view.conn
    anchor = conn.scopes_key if view.auth == "api-token" else conn.tools_key
    where = anchor or (conn.name.node if conn.name else conn.node)
    kind = "its token holds" if view.auth == "api-token" else "its intended actions need"
    yield Hit(
        "SL803",
        where.span,
        f"connection '{conn.label}': {kind} {len(held)} scopes; {limit.key} allows {limit.value}",
        subject="max_scopes_per_connection",
        connection=conn.label,
        help="split the connection by task, each with a token for only what that task needs",
    )


def _global(
    catalog: Catalog, view: ConnectionView, rules: Rules, held: list[Held]
) -> Iterator[Hit]:
    conn = view.conn
    if not conn.is_global:
        return
    read_only = rules.global_read_only
    if _on(read_only):
        assert read_only is not None
        for item in held:
            level = catalog.level(item.scope)
            if level is None or level in READ_ONLY_LEVELS:
                continue
            yield Hit(
                "SL804",
                item.span,
                f"global connection '{conn.label}' holds {level} {_what(item)}; "
                f"{read_only.key} allows only read and search scopes on global connections",
                subject=item.scope,
                connection=conn.label,
                help="keep the shared connection read-only and move writes to a private "
                "connection (OAuth acts as each user)",
            )
    service = rules.require_service_account_for_global
    credential = conn.credential
    if (
        _on(service)
        and view.auth == "api-token"
        and credential is not None
        and credential.value != "service-account"
    ):
        assert service is not None
        yield Hit(
            "SL805",
            credential.node.span,
            f"global connection '{conn.label}' uses a {credential.value} token; "
            f"{service.key} requires a service-account key",
            subject="credential",
            connection=conn.label,
            help="create a service-account API key with the same scopes, send it as Bearer, "
            "and set `credential: service-account`",
        )


def _endpoint(ref: EndpointRef, span: Span, rules: Rules, connection: str) -> Iterator[Hit]:
    allowed = rules.allowed_endpoints
    if allowed is None or ref.path in allowed.value:
        return
    listed = ", ".join(allowed.value) or "none"
    yield Hit(
        "SL806",
        span,
        f"endpoint {ref.path} is not in {allowed.key} ({listed})",
        subject="url",
        connection=connection,
        help=f"point the URL at https://mcp.atlassian.com{allowed.value[0]}"
        if allowed.value
        else f"{allowed.key} allows no endpoint: remove the connection",
    )


def _header_hit(rules: Rules, span: Span, connection: str, where: str, value: str) -> Hit:
    assert rules.require_header_reference is not None
    key = rules.require_header_reference.key
    return Hit(
        "SL807",
        span,
        f"{where} is not a ${{VAR}} reference, as {key} requires (value not shown)",
        subject=where,
        connection=connection,
        help='write it as "Bearer ${MCP_API_KEY}" and keep the credential in the gateway\'s '
        "or the shell's secret store",
        # Whatever the header holds is kept out of every report.
        secret=analyse_header(value).literal_secret,
    )


def _products(catalog: Catalog, view: ConnectionView, rules: Rules) -> Iterator[Hit]:
    forbidden = rules.forbidden_products(view.auth)
    if not forbidden or rules.forbid_products is None:
        return
    conn = view.conn
    key = f"{rules.forbid_products.key}.{view.auth}"
    subjects: list[tuple[str, str, Node]] = []
    for intent in conn.tools or []:
        tool = catalog.tool(intent.name)
        if tool is not None:
            subjects.append((tool.product, f"tool {intent.name}", intent.key))
    for listed in conn.products or []:
        subjects.append((listed.value, f"product {listed.value}", listed.node))
    for scope in conn.scopes or []:
        owner = scope_product(scope.value)
        if owner:
            subjects.append((owner, f"scope {scope.value}", scope.node))
    for product, what, node in subjects:
        if product in forbidden:
            yield Hit(
                "SL808",
                node.span,
                f"{what}: {product} over {view.auth} is forbidden by {key}",
                subject=what,
                connection=conn.label,
                help=f"move {product} to a connection with another auth method, or drop it",
            )


def _payload(value: str) -> str:
    """A header value without `Authorization:` and its scheme: the part that must be a reference."""
    text = value.strip()
    if text.lower().startswith("authorization:"):
        text = text.split(":", 1)[1].strip()
    scheme, _, rest = text.partition(" ")
    return rest.strip() if scheme.lower() in ("basic", "bearer") and rest.strip() else text


def _whole_variable(value: str) -> str | None:
    match = _WHOLE_VARIABLE.fullmatch(value.strip())
    return next((g for g in match.groups() if g), None) if match else None
