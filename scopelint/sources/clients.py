"""MCP client configs: the server entries of each client's file, in one shape.

Each client nests its servers differently; the adapters here turn every shape into
the same ClientEntry, so checks never need to know which client wrote the file.
Loaded only when a client config is linted.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from scopelint.sources.client_files import (
    CODEX_SERVERS,
    MCP_SERVERS,
    OPENCODE_MCP,
    VSCODE_SERVERS,
    ClientFile,
    client_for_path,
    generic_client,
)
from scopelint.sources.nodes import Document, Mapping, Node, Scalar, Sequence
from scopelint.sources.reading import Limits

# Naming lives in client_files; these stay importable from here for callers that read entries.
__all__ = [
    "ClientConfig",
    "ClientEntry",
    "ClientFile",
    "Header",
    "Transport",
    "client_for_path",
    "generic_client",
    "parse_client_text",
    "read_entries",
]


def parse_client_text(path: str, text: str, client_file: ClientFile, limits: Limits) -> Document:
    """The file's nodes; the parser is imported only now, when a client file is read."""
    if client_file.syntax == "toml":
        from scopelint.sources.toml_source import parse_toml

        return parse_toml(path, text, limits)
    from scopelint.sources.json_source import parse_json

    return parse_json(path, text, limits)


class Header(NamedTuple):
    name: str
    value: str  # the value as the client sends it; `${VAR}` when it comes from a variable
    node: Node  # where it is written: the value, or the whole `--header` argument


class Transport(NamedTuple):
    kind: str  # 'sse' or 'streamable-http'
    node: Node
    declared: str  # how the file says it, for messages
    streamable: str  # how this file would say streamable HTTP instead


class ClientEntry:
    """One server entry of a client config, filled in as the entry is read."""

    __slots__ = (
        "argv",
        "bridge",
        "client",
        "env",
        "headers",
        "key",
        "node",
        "server",
        "transport",
        "url",
    )

    def __init__(self, client: str, server: str, key: Node, node: Mapping) -> None:
        self.client = client
        self.server = server
        self.key = key  # the server's name in the file
        self.node = node
        self.url: Scalar | None = None  # the node holding the server URL (value or argument)
        self.transport: Transport | None = None
        self.headers: list[Header] = []
        self.env: list[tuple[Scalar, Node]] = []
        self.argv: list[Scalar] = []  # the command and its arguments
        self.bridge: str | None = None  # 'mcp-remote' when a stdio entry runs it

    @property
    def auth(self) -> str:
        """An Authorization header means an API token; without one the client runs OAuth."""
        return "api-token" if self.authorization else "oauth"

    @property
    def authorization(self) -> list[Header]:
        return [h for h in self.headers if h.name.lower() == "authorization"]


class ShapeProblem(NamedTuple):
    message: str
    node: Node


class ClientConfig:
    __slots__ = ("entries", "problems", "tables")

    def __init__(
        self, entries: list[ClientEntry], problems: list[ShapeProblem], tables: int
    ) -> None:
        self.entries = entries
        self.problems = problems
        self.tables = tables  # how many server tables were found


def read_entries(root: Node | None, client_file: ClientFile) -> ClientConfig:
    config = ClientConfig([], [], 0)
    if root is None:
        return config
    if not isinstance(root, Mapping):
        config.problems.append(
            ShapeProblem(f"a {client_file.client} config holds an object, not a {root.kind}", root)
        )
        return config
    for shape in client_file.shapes:
        table = root.get(shape)
        if table is None:
            continue
        if not isinstance(table, Mapping):
            config.problems.append(
                ShapeProblem(
                    f"`{shape}` must map server names to entries, not be a {table.kind}", table
                )
            )
            continue
        config.tables += 1
        for name, key, value in table.entries():
            if isinstance(name, str) and isinstance(value, Mapping):
                config.entries.append(_entry(client_file, shape, name, key, value))
    return config


def _string(node: Node | None) -> Scalar | None:
    return node if isinstance(node, Scalar) and isinstance(node.value, str) else None


def _strings(node: Node | None) -> list[Scalar]:
    if isinstance(node, Scalar):
        return [node] if isinstance(node.value, str) else []
    items = node.items if isinstance(node, Sequence) else []
    return [item for item in items if isinstance(item, Scalar) and isinstance(item.value, str)]


def _mapping_pairs(node: Node | None) -> list[tuple[Scalar, Node]]:
    pairs = node.pairs if isinstance(node, Mapping) else []
    return [(k, v) for k, v in pairs if isinstance(k, Scalar) and isinstance(k.value, str)]


_URL_KEYS = {
    MCP_SERVERS: ("httpUrl", "url", "serverUrl"),
    VSCODE_SERVERS: ("url",),
    OPENCODE_MCP: ("url",),
    CODEX_SERVERS: ("url",),
}


def _entry(client_file: ClientFile, shape: str, name: str, key: Node, node: Mapping) -> ClientEntry:
    entry = ClientEntry(client_file.client, name, key, node)
    url_key = next((k for k in _URL_KEYS[shape] if _string(node.get(k))), None)
    if url_key is not None:
        entry.url = _string(node.get(url_key))
        entry.transport = _declared_transport(node) or _implied_transport(
            client_file.client, url_key, node
        )
    for header_key in ("headers", "http_headers"):
        for header_name, value in _mapping_pairs(node.get(header_key)):
            text = _string(value)
            if text is not None:
                entry.headers.append(Header(str(header_name.value), str(text.value), text))
    _codex_env_headers(entry, node)
    env_key = "environment" if shape == OPENCODE_MCP else "env"
    entry.env = _mapping_pairs(node.get(env_key))
    # opencode writes the command and its arguments as one list.
    entry.argv = _strings(node.get("command")) + _strings(node.get("args"))
    if entry.url is None and entry.argv:
        _stdio_bridge(entry)
    return entry


# Codex names the variable that holds a header's value rather than the value itself.
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _codex_env_headers(entry: ClientEntry, node: Mapping) -> None:
    def from_variable(text: str) -> str:
        return f"${{{text}}}" if _ENV_NAME.fullmatch(text) else text

    for header_name, value in _mapping_pairs(node.get("env_http_headers")):
        text = _string(value)
        if text is not None:
            entry.headers.append(
                Header(str(header_name.value), from_variable(str(text.value)), text)
            )
    bearer = _string(node.get("bearer_token_env_var"))
    if bearer is not None:
        entry.headers.append(
            Header("Authorization", f"Bearer {from_variable(str(bearer.value))}", bearer)
        )


_TYPE_KEYS = ("type", "transport", "transportType")


def _declared_transport(node: Mapping) -> Transport | None:
    for key in _TYPE_KEYS:
        value = _string(node.get(key))
        if value is None:
            continue
        word = re.sub(r"[^a-z]", "", str(value.value).lower())
        declared, streamable = f'"{key}": "{value.value}"', f'"{key}": "http"'
        if word == "sse":
            return Transport("sse", value, declared, streamable)
        if word in ("http", "streamablehttp", "streamable", "httpstream"):
            return Transport("streamable-http", value, declared, streamable)
    return None


def _implied_transport(client: str, url_key: str, node: Mapping) -> Transport | None:
    key = node.key_node(url_key)
    if key is None:
        return None
    if url_key == "httpUrl":
        return Transport("streamable-http", key, "`httpUrl`", "`httpUrl`")
    if client == "Gemini CLI" and url_key == "url":
        declared = "`url`, which Gemini CLI connects to over SSE"
        return Transport("sse", key, declared, "`httpUrl` in place of `url`")
    if client == "Codex":
        declared = "`url`, which Codex reaches over streamable HTTP only"
        return Transport("streamable-http", key, declared, "`url`")
    return None


# `mcp-remote`, `mcp-remote@0.1.29`, `npm:mcp-remote`, `node_modules/.bin/mcp-remote`.
_MCP_REMOTE = re.compile(r"(?:npm:)?(?:.*[\\/])?mcp-remote(?:@[\w.^~*-]+)?")
_HEADER_FLAGS = ("--header", "-H")
_MCP_REMOTE_TRANSPORTS = {"sse-only": "sse", "http-only": "streamable-http"}


def _stdio_bridge(entry: ClientEntry) -> None:
    """A stdio entry that bridges to a remote server: its URL, headers and transport flag."""
    tokens = entry.argv
    texts = [str(t.value) for t in tokens]
    start = next((i for i, t in enumerate(texts) if _MCP_REMOTE.fullmatch(t)), None)
    if start is not None:
        entry.bridge = "mcp-remote"
    i = 0 if start is None else start + 1
    while i < len(tokens):
        text = texts[i]
        flag, eq, inline = text.partition("=")
        takes_value = flag in (*_HEADER_FLAGS, "--transport")
        value_node = tokens[i] if eq else (tokens[i + 1] if i + 1 < len(tokens) else None)
        value = inline if eq else (texts[i + 1] if i + 1 < len(texts) else "")
        if takes_value and value_node is not None:
            if flag == "--transport":
                kind = _MCP_REMOTE_TRANSPORTS.get(value.strip())
                if kind is not None and entry.bridge:
                    entry.transport = Transport(
                        kind,
                        value_node,
                        f"--transport {value.strip()}",
                        "--transport http-first (the default), or no --transport",
                    )
            else:
                _header_argument(entry, value, value_node)
            i += 1 if eq else 2
            continue
        if entry.url is None and re.match(r"https?://", text, re.IGNORECASE):
            entry.url = tokens[i]
        elif text.lower().startswith("authorization:"):
            _header_argument(entry, text, tokens[i])
        i += 1


def _header_argument(entry: ClientEntry, spec: str, node: Node) -> None:
    name, colon, value = spec.partition(":")
    if colon and name.strip():
        entry.headers.append(Header(name.strip(), value.strip(), node))
