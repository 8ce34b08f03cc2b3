"""Recognising Rovo MCP server URLs and the endpoint they name."""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlsplit

from scopelint.catalog import Catalog, Endpoint


class EndpointRef(NamedTuple):
    url: str
    scheme: str
    path: str  # without trailing slash or query
    endpoint: Endpoint | None

    @property
    def generation(self) -> str | None:
        return self.endpoint.generation if self.endpoint else None


def parse_endpoint(url: str, catalog: Catalog) -> EndpointRef | None:
    """The endpoint an mcp.atlassian.com URL names; None for any other host."""
    try:
        parts = urlsplit(url.strip())
        if not parts.scheme and not parts.netloc:
            # `mcp.atlassian.com/v1/sse`: a host with no scheme (reported as not https).
            parts = urlsplit("//" + url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if host != catalog.host:
        return None
    path = parts.path.rstrip("/") or "/"
    return EndpointRef(url, parts.scheme.lower(), path, catalog.endpoints.get(path))
