"""SL301-SL304: the authentication method against products, headers and credentials."""

from __future__ import annotations

from collections.abc import Iterator

from scopelint.checks.base import ConnectionView, Hit, PlanContext
from scopelint.credentials import analyse_header
from scopelint.findings import Span
from scopelint.suggest import did_you_mean

_SCOPE_SUFFIX_PRODUCT = {
    ":bitbucket": "bitbucket",
    ":compass": "compass",
    ":jira-service-management": "jsm",
}


def scope_product(scope: str) -> str | None:
    for suffix, product in _SCOPE_SUFFIX_PRODUCT.items():
        if scope.endswith(suffix):
            return product
    return None


def check(ctx: PlanContext) -> Iterator[Hit]:
    for conn in ctx.plan.connections:
        view = ctx.view(conn)
        if view.auth is None:
            continue
        yield from _products_over_auth(ctx, view)
        if view.auth == "oauth" and conn.header is not None:
            yield Hit(
                "SL303",
                conn.header.node.span,
                f"OAuth connection '{conn.label}' carries an Authorization header; the gateway "
                "sends it instead of running OAuth",
                subject="header",
                connection=conn.label,
                help="remove `header` for OAuth, or switch the connection to `auth: api-token`",
            )
        if view.auth == "api-token":
            yield from _credential_mismatch(view)


def _products_over_auth(ctx: PlanContext, view: ConnectionView) -> Iterator[Hit]:
    conn, auth = view.conn, view.auth
    generation = view.endpoint.generation if view.endpoint else None
    where = f" on {generation} endpoints" if generation else ""
    subjects: list[tuple[str, str, Span]] = []  # (product, what, span)
    for intent in conn.tools or []:
        tool = ctx.catalog.tool(intent.name)
        if tool is not None:
            subjects.append((tool.product, f"tool {intent.name}", intent.key.span))
    for listed in conn.products or []:
        if listed.value not in ctx.catalog.products():
            yield Hit(
                "SL002",
                listed.node.span,
                f"unknown product '{listed.value}'"
                f"{did_you_mean(listed.value, ctx.catalog.products())}",
                subject=f"products.{listed.value}",
                connection=conn.label,
                help=f"products: {', '.join(ctx.catalog.products())}",
            )
            continue
        subjects.append((listed.value, f"product {listed.value}", listed.node.span))
    for scope in conn.scopes or []:
        scope_owner = scope_product(scope.value)
        if scope_owner:
            subjects.append((scope_owner, f"scope {scope.value}", scope.node.span))
    for product, what, span in subjects:
        allowed = ctx.catalog.allowed_auth(product, generation)
        if auth in allowed:
            continue
        if auth == "api-token":
            yield Hit(
                "SL301",
                span,
                f"{what}: {product} works only over OAuth{where}, not with an API token",
                subject=what,
                connection=conn.label,
                help=f"move {product} to a separate `auth: oauth` connection",
            )
        else:
            yield Hit(
                "SL302",
                span,
                f"{what}: {product} works only with a scoped API token{where}, not over OAuth",
                subject=what,
                connection=conn.label,
                help=f"move {product} to an `auth: api-token` connection"
                + (" (or use the /v2/mcp endpoint)" if product == "bitbucket" else ""),
            )


def _credential_mismatch(view: ConnectionView) -> Iterator[Hit]:
    conn = view.conn
    if conn.header is None or conn.credential is None:
        return
    scheme = analyse_header(conn.header.value).scheme
    credential = conn.credential.value
    if credential == "personal" and scheme == "bearer":
        message = "a personal API token is sent with `Bearer`; personal tokens use Basic auth"
        help = "send `Basic <base64(email:token)>`, or use a service-account key with Bearer"
    elif credential == "service-account" and scheme == "basic":
        message = "a service-account key is sent with `Basic`; service-account keys use Bearer"
        help = "send `Bearer <key>`, or set `credential: personal` if this is a personal token"
    else:
        return
    yield Hit(
        "SL304", conn.header.node.span, message, subject="header", connection=conn.label, help=help
    )
