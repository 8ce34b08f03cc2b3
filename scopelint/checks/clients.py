"""SL401-SL406 and SL501-SL504 on MCP client entries that reach mcp.atlassian.com.

Endpoint and header rules are the ones plans use; this module adds what only client
entries have: a declared transport, `env` values and command-line arguments.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

from scopelint.catalog import Catalog
from scopelint.checks.base import Hit
from scopelint.checks.credentials import header_hits, scalars
from scopelint.checks.endpoints import endpoint_hits
from scopelint.credentials import ATLASSIAN_TOKEN, is_placeholder, is_reference, looks_like_secret
from scopelint.endpoints import EndpointRef, parse_endpoint
from scopelint.sources.clients import ClientEntry, Header
from scopelint.sources.nodes import Node, Scalar


class EntryContext(NamedTuple):
    entry: ClientEntry
    endpoint: EndpointRef
    catalog: Catalog
    as_of: dt.date
    text: str  # the file, for fixes


ClientCheck = Callable[[EntryContext], Iterator[Hit]]


def atlassian_endpoint(entry: ClientEntry, catalog: Catalog) -> EndpointRef | None:
    """The Rovo MCP endpoint the entry reaches; None for every other server."""
    if entry.url is None or not isinstance(entry.url.value, str):
        return None
    return parse_endpoint(entry.url.value, catalog)


def endpoints(ctx: EntryContext) -> Iterator[Hit]:
    entry = ctx.entry
    assert entry.url is not None
    # Rewriting the URL alone is safe unless the entry also declares SSE beside it.
    editable = entry.transport is None or entry.transport.kind == "streamable-http"
    yield from endpoint_hits(
        ctx.endpoint,
        entry.url.span,
        ctx.catalog,
        ctx.as_of,
        auth=entry.auth,
        token_header=bool(entry.authorization),
        connection=entry.server,
        text=ctx.text if editable else None,
    )


def transport(ctx: EntryContext) -> Iterator[Hit]:
    declared, endpoint = ctx.entry.transport, ctx.endpoint.endpoint
    if declared is None or endpoint is None or declared.kind == endpoint.transport:
        return
    if declared.kind == "sse":
        help = f"declare streamable HTTP: {declared.streamable}"
    else:
        recommended = ctx.catalog.recommended.get(ctx.entry.auth, "/v2/mcp")
        help = f"move the URL to {recommended}, which speaks streamable HTTP"
    names = {"sse": "SSE", "streamable-http": "streamable HTTP"}
    yield Hit(
        "SL406",
        declared.node.span,
        f"the entry declares {names[declared.kind]} ({declared.declared}), but "
        f"{endpoint.path} speaks {names.get(endpoint.transport, endpoint.transport)}",
        subject="transport",
        connection=ctx.entry.server,
        help=help,
    )


_CREDENTIAL_NAME = re.compile(r"TOKEN|KEY|SECRET|PASSW|AUTH|CREDENTIAL|BEARER|BASIC", re.IGNORECASE)
_HEADER_SHAPED = re.compile(r"\s*(?:Basic|Bearer)\s", re.IGNORECASE)
# URLs and file paths are long and mixed-case without being secrets.
_NOT_A_SECRET = re.compile(r"[a-z][a-z0-9+.-]*://|~?\.{0,2}/|[a-z]:\\", re.IGNORECASE)
_REFERENCED_NAME = re.compile(
    r"\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\{env:([A-Za-z_][A-Za-z0-9_]*)\}"
    r"|\$([A-Za-z_][A-Za-z0-9_]*)"
)


def _literal_secret(value: str) -> str | None:
    """A token written out in a value that is not an Authorization header."""
    token = ATLASSIAN_TOKEN.search(value)
    if token:
        return token.group(0)
    if _NOT_A_SECRET.match(value.strip()) or is_reference(value):
        return None
    return value.strip() if looks_like_secret(value) else None


def _secret_hit(where: str, node: Node, connection: str, secret: str) -> Hit:
    return Hit(
        "SL501",
        node.span,
        f"{where} holds a literal credential (value redacted)",
        subject=f"{where}:SL501",
        connection=connection,
        help="revoke it now (it is in version control), create a new one, and reference it "
        "instead, e.g. ${ATLASSIAN_API_KEY}",
        secret=secret,
    )


def _whole_reference(value: str) -> str | None:
    match = _REFERENCED_NAME.fullmatch(value.strip())
    return next((g for g in match.groups() if g), None) if match else None


def credentials(ctx: EntryContext) -> Iterator[Hit]:
    entry = ctx.entry
    server = entry.server
    # Variables whose value is sent whole as an Authorization header (mcp-remote's
    # `--header "Authorization:${AUTH_HEADER}"` with AUTH_HEADER in `env`).
    header_variables = {
        name for h in entry.authorization if (name := _whole_reference(h.value)) is not None
    }
    header_nodes = {id(h.node) for h in entry.headers}
    url = entry.url
    if url is not None and not any(arg is url for arg in entry.argv):
        token = ATLASSIAN_TOKEN.search(str(url.value))
        if token:
            yield _secret_hit("the URL", url, server, token.group(0))
    for header in entry.headers:
        yield from _header(header, server)
    for key, value in entry.env:
        if not (isinstance(value, Scalar) and isinstance(value.value, str)):
            continue
        name, text = str(key.value), value.value
        where = f"env {name}"
        if is_reference(text):
            continue
        if name in header_variables or _HEADER_SHAPED.match(text):
            yield from header_hits(text, value.span, connection=server, subject=where)
            continue
        secret = _literal_secret(text)
        if secret is not None:
            yield _secret_hit(where, value, server, secret)
        elif _CREDENTIAL_NAME.search(name) and is_placeholder(text):
            yield Hit(
                "SL503",
                value.span,
                f"{where} still holds a documentation placeholder",
                subject=f"{where}:SL503",
                connection=server,
                help="set it to a reference to where the credential lives, e.g. ${ATLASSIAN_API_KEY}",
            )
    for index, arg in enumerate(entry.argv):
        if id(arg) in header_nodes:
            continue
        secret = _literal_secret(str(arg.value))
        if secret is not None:
            yield _secret_hit(f"argument {index}", arg, server, secret)


def _header(header: Header, server: str) -> Iterator[Hit]:
    where = f"header {header.name}"
    if header.name.lower() == "authorization" or _HEADER_SHAPED.match(header.value):
        yield from header_hits(header.value, header.node.span, connection=server, subject=where)
        return
    secret = _literal_secret(header.value)
    if secret is not None:
        yield _secret_hit(where, header.node, server, secret)


def unforwarded(ctx: EntryContext) -> Iterator[Hit]:
    entry = ctx.entry
    if entry.bridge != "mcp-remote":
        return
    referenced = {
        next(g for g in match.groups() if g)
        for arg in entry.argv
        for match in _REFERENCED_NAME.finditer(str(arg.value))
    }
    for key, value in entry.env:
        name = str(key.value)
        text = value.value if isinstance(value, Scalar) and isinstance(value.value, str) else ""
        credential = (
            _CREDENTIAL_NAME.search(name)
            or _HEADER_SHAPED.match(text)
            or (text and not is_reference(text) and looks_like_secret(text))
        )
        if credential and name not in referenced:
            yield Hit(
                "SL504",
                key.span,
                f"env {name} holds a credential that no argument passes on: mcp-remote sends "
                "only the headers in its arguments",
                subject=f"env {name}",
                connection=entry.server,
                help=f'reference it in a header argument, e.g. "--header", '
                f'"Authorization: Bearer ${{{name}}}", or remove it',
            )


def stray_atlassian_tokens(entry: ClientEntry) -> Iterator[Hit]:
    """An Atlassian token leaks wherever it is written, even in another server's entry
    (community Jira and Confluence servers take one in `env`)."""
    found = 0
    for node in scalars(entry.node):
        token = ATLASSIAN_TOKEN.search(node.value) if isinstance(node.value, str) else None
        if token:
            found += 1  # numbered in document order, not by line: fingerprints survive moves
            yield Hit(
                "SL501",
                node.span,
                f"server '{entry.server}' holds an Atlassian API token (value redacted)",
                subject=f"token#{found}",
                connection=entry.server,
                help="revoke it now (it is in version control), create a new one, and "
                "reference it instead, e.g. ${ATLASSIAN_API_KEY}",
                secret=token.group(0),
            )


CLIENT_CHECKS: tuple[ClientCheck, ...] = (endpoints, transport, credentials, unforwarded)
