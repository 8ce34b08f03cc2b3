"""SL401-SL405: the endpoint a connection's URL names."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator

from scopelint.catalog import Catalog
from scopelint.checks.base import Hit, PlanContext
from scopelint.checks.editable import UseCounts
from scopelint.endpoints import EndpointRef
from scopelint.findings import Severity, Span
from scopelint.fixes import replace_url_path
from scopelint.suggest import did_you_mean


def endpoint_hits(
    ref: EndpointRef,
    span: Span,
    catalog: Catalog,
    as_of: dt.date,
    *,
    auth: str | None,
    token_header: bool,
    connection: str,
    text: str | None = None,
) -> Iterator[Hit]:
    """Endpoint rules for one URL; shared by plans and client configs.

    Given `text`, the file the URL node's span points into, SL401 carries a fix that
    rewrites the path to the recommended endpoint. Pass it only when editing the URL
    alone keeps the entry consistent (no transport declared beside it, no alias).
    """
    if ref.scheme != "https":
        yield Hit(
            "SL404",
            span,
            f"the Rovo MCP server is reached over https only, not {ref.scheme or 'a bare host'}",
            subject="url:scheme",
            connection=connection,
            help="use https://",
        )
    endpoint = ref.endpoint
    if endpoint is None:
        yield Hit(
            "SL404",
            span,
            f"unknown endpoint path '{ref.path}' on {catalog.host}"
            f"{did_you_mean(ref.path, catalog.endpoints)}",
            subject="url:path",
            connection=connection,
            help=f"known endpoints: {', '.join(catalog.endpoints)}",
        )
        return
    recommended = catalog.recommended.get(auth or "oauth", "/v2/mcp")
    if endpoint.status == "retired":
        fix = (
            None
            if text is None
            else replace_url_path(
                text,
                span,
                endpoint.path,
                recommended,
                f"use {recommended} instead of {endpoint.path}",
            )
        )
        sunset = endpoint.sunset
        if sunset is not None and as_of <= sunset:
            days = (sunset - as_of).days
            yield Hit(
                "SL401",
                span,
                f"{endpoint.path} is retired and stops working after "
                f"{sunset.isoformat()} ({days} days left)",
                subject="url",
                connection=connection,
                severity=Severity.WARNING,
                help=f"switch to {recommended} before then",
                fix=fix,
            )
        else:
            since = f" since {sunset.isoformat()}" if sunset else ""
            yield Hit(
                "SL401",
                span,
                f"{endpoint.path} is retired: unsupported{since}",
                subject="url",
                connection=connection,
                help=f"switch to {recommended}",
                fix=fix,
            )
    if endpoint.path.endswith("/authv2") and (auth == "api-token" or token_header):
        yield Hit(
            "SL402",
            span,
            f"{endpoint.path} accepts OAuth only, but this connection sends an API token",
            subject="url",
            connection=connection,
            help=f"use {catalog.recommended.get('api-token', '/v2/mcp')} for API tokens",
        )
    if endpoint.status == "preview":
        yield Hit(
            "SL403",
            span,
            f"{endpoint.path} is a preview endpoint: its tools may change without notice",
            subject="url",
            connection=connection,
            help=f"use {recommended} for anything people rely on",
        )
    if endpoint.path == "/v1/mcp":
        yield Hit(
            "SL405",
            span,
            "/v1/mcp serves the v1 product matrix; /v2/mcp is recommended",
            subject="url",
            connection=connection,
            help="move to https://mcp.atlassian.com/v2/mcp when its matrix fits",
        )


def check(ctx: PlanContext) -> Iterator[Hit]:
    uses = functools.cache(lambda: UseCounts(ctx.plan.document.root))
    for conn in ctx.plan.connections:
        view = ctx.view(conn)
        if view.endpoint is None or conn.url is None:
            continue
        retired = view.endpoint.endpoint is not None and view.endpoint.endpoint.status == "retired"
        # A plan's URL is one scalar; an aliased one is shared, so it is not edited here.
        editable = retired and uses().single(conn.node, conn.url.node)
        yield from endpoint_hits(
            view.endpoint,
            conn.url.node.span,
            ctx.catalog,
            ctx.as_of,
            auth=view.auth,
            token_header=conn.header is not None,
            connection=conn.label,
            text=ctx.plan.document.text if editable else None,
        )
