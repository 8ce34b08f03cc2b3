"""SL005: the bundled catalog is old next to --as-of, so new tools look unknown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from scopelint.catalog import Catalog
from scopelint.checks.base import Hit, PlanContext
from scopelint.findings import Span
from scopelint.sources.nodes import Mapping

STALE_AFTER_DAYS = 180


def stale_catalog_hits(
    catalog: Catalog, as_of: dt.date, span: Span, connection: str | None = None
) -> Iterator[Hit]:
    """One finding for a file whose verdicts rest on a catalog older than the limit."""
    age = (as_of - catalog.date).days
    if age <= STALE_AFTER_DAYS:
        return
    yield Hit(
        "SL005",
        span,
        f"the bundled catalog was retrieved {catalog.date.isoformat()}, {age} days before "
        f"{as_of.isoformat()}: tools, scopes and endpoints Atlassian changed since are unknown "
        "to it",
        subject="catalog",
        connection=connection,
        help="upgrade scopelint; until then, describe new tools under [[catalog.tools]] in "
        ".scopelint.toml",
    )


def check(ctx: PlanContext) -> Iterator[Hit]:
    """On the plan's `scopelint` marker, once per plan that has connections to judge."""
    root = ctx.plan.document.root
    if not ctx.plan.connections or not isinstance(root, Mapping):
        return
    marker = root.key_node("scopelint") or root
    yield from stale_catalog_hits(ctx.catalog, ctx.as_of, marker.span)
