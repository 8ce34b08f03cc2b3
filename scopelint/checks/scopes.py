"""SL101-SL104 and SL203: granted scopes against the minimal set."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

from scopelint.catalog import PRIVILEGED_LEVELS
from scopelint.checks.base import ConnectionView, Hit, PlanContext
from scopelint.checks.editable import UseCounts
from scopelint.findings import Fix, Span
from scopelint.fixes import collection_style, remove_block_item, remove_flow_item
from scopelint.planner import compare
from scopelint.sources.nodes import Mapping, Scalar, Sequence
from scopelint.sources.plan import Connection
from scopelint.suggest import did_you_mean


def check(ctx: PlanContext) -> Iterator[Hit]:
    # Counted once per plan, and only when some scope is excess.
    uses = functools.cache(lambda: UseCounts(ctx.plan.document.root))
    for conn in ctx.plan.connections:
        view = ctx.view(conn)
        if view.auth != "api-token":
            continue
        yield from _unknown_scopes(ctx, view)
        if not conn.tools:
            # Only when nothing was declared: invalid tool entries are SL002 already.
            declared = conn.node.get("tools")
            empty = isinstance(declared, Mapping) and not declared.pairs
            if (
                declared is None
                or empty
                or (isinstance(declared, Scalar) and declared.value is None)
            ):
                anchor = conn.node.key_node("tools") or (conn.name.node if conn.name else conn.node)
                yield Hit(
                    "SL203",
                    anchor.span,
                    f"connection '{conn.label}' declares no tools, so its minimal scope set "
                    "cannot be computed",
                    subject="tools",
                    connection=conn.label,
                    help="list the tools and actions this connection is meant to use under "
                    "`tools:`",
                )
            continue
        if conn.scopes is not None:  # without `scopes` the plan is incomplete (SL002)
            yield from _against_minimal(ctx, view, uses)


def _unknown_scopes(ctx: PlanContext, view: ConnectionView) -> Iterator[Hit]:
    seen: set[str] = set()
    for scope in view.conn.scopes or []:
        if scope.value in seen:
            yield Hit(
                "SL002",
                scope.node.span,
                f"scope '{scope.value}' is listed twice",
                subject=f"scopes.{scope.value}#dup",
                connection=view.conn.label,
                help="remove the repeated entry",
            )
        seen.add(scope.value)
        if ctx.catalog.level(scope.value) is None:
            yield Hit(
                "SL104",
                scope.node.span,
                f"unknown scope '{scope.value}'{did_you_mean(scope.value, ctx.catalog.scopes)}",
                subject=scope.value,
                connection=view.conn.label,
                help="use a scope name from the API token screen; `scopelint scopes PLAN` "
                "lists the ones this connection needs",
            )


def _against_minimal(
    ctx: PlanContext, view: ConnectionView, uses: Callable[[], UseCounts]
) -> Iterator[Hit]:
    conn = view.conn
    needed = view.needed
    result = compare(needed, view.granted)
    minimal_list = ", ".join(needed) or "(none)"
    if view.fully_known:
        # With an unknown tool or action the minimal set is incomplete: say nothing about excess.
        excess = {
            scope.value
            for scope in conn.scopes or []
            if scope.value in result.excess and ctx.catalog.level(scope.value) is not None
        }
        fixes = _removal_fixes(ctx, conn, excess, uses) if excess else {}
        for scope in conn.scopes or []:
            level = ctx.catalog.level(scope.value)
            if scope.value not in excess or level is None:
                continue
            privileged = level in PRIVILEGED_LEVELS
            yield Hit(
                "SL102" if privileged else "SL101",
                scope.node.span,
                f"{level} scope '{scope.value}' is granted but no intended action needs it",
                subject=scope.value,
                connection=conn.label,
                help=f"remove it and create a token with only: {minimal_list}",
                fix=fixes.get(id(scope.node)),
            )
    first_span: dict[tuple[str, str], Span] = {}
    for action, span in view.intended:
        for needed_scope in action.scopes:
            first_span.setdefault((needed_scope, action.label), span)
    for missing in result.missing:
        actions = needed[missing]
        span = first_span[(missing, actions[0].label)]
        names = ", ".join(a.label for a in actions[:3]) + (" …" if len(actions) > 3 else "")
        yield Hit(
            "SL103",
            span,
            f"{names} {'needs' if len(actions) == 1 else 'need'} '{missing}', which the token lacks",
            subject=missing,
            connection=conn.label,
            help=f"scopes are fixed when a token is created: create a new token with {minimal_list}"
            " and replace this one",
        )


def _removal_fixes(
    ctx: PlanContext, conn: Connection, excess: set[str], uses: Callable[[], UseCounts]
) -> dict[int, Fix]:
    """Fixes that delete each excess item from the plan's `scopes` list, by item node.

    None when the list would end up empty: an empty `scopes` describes no token at all, and
    the token has to be created again anyway (SL103 says with what).
    """
    listing = conn.node.get("scopes")
    text = ctx.plan.document.text
    if not isinstance(listing, Sequence):
        return {}
    kept = [
        item
        for item in listing.items
        if not (isinstance(item, Scalar) and isinstance(item.value, str) and item.value in excess)
    ]
    style = collection_style(text, listing.span)
    if not kept or style is None or not uses().single(conn.node, listing):
        return {}
    fixes: dict[int, Fix] = {}
    spans = [item.span for item in listing.items]
    for index, item in enumerate(listing.items):
        if item in kept or not isinstance(item, Scalar) or not uses().single(item):
            continue
        value = str(item.value)
        description = f"remove '{value}' from scopes"
        fix = (
            remove_flow_item(text, spans, index, value, description)
            if style == "flow"
            else remove_block_item(text, item.span, value, description)
        )
        if fix is not None:
            fixes[id(item)] = fix
    return fixes
