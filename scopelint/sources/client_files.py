"""Which MCP client a config file belongs to, by its name: cheap enough for every walk.

Discovery and the engine ask this for every file they see, so it holds no dataclass
machinery and imports no parser; the entries are read by scopelint.sources.clients.
"""

from __future__ import annotations

import os
import re

MCP_SERVERS, VSCODE_SERVERS, OPENCODE_MCP, CODEX_SERVERS = (
    "mcpServers",
    "servers",
    "mcp",
    "mcp_servers",
)
ALL_SHAPES = (MCP_SERVERS, VSCODE_SERVERS, OPENCODE_MCP, CODEX_SERVERS)


class ClientFile:
    """A kind of client config: the client, how its file is named, and its shape."""

    __slots__ = ("client", "generic", "shapes", "suffix", "syntax")

    def __init__(
        self,
        client: str,
        suffix: tuple[str, ...],
        shapes: tuple[str, ...],
        syntax: str,
        generic: bool = False,
    ) -> None:
        self.client = client
        self.suffix = suffix  # trailing path parts, e.g. (".cursor", "mcp.json")
        self.shapes = shapes  # top-level keys that hold server entries
        self.syntax = syntax  # 'json' (with comments) or 'toml'
        self.generic = generic  # named on the command line, not by a client's naming

    @property
    def name(self) -> str:
        return "/".join(self.suffix)

    def __repr__(self) -> str:
        return f"ClientFile({self.client!r}, {self.name!r})"


CLIENT_FILES = (
    ClientFile("Claude Code", (".mcp.json",), (MCP_SERVERS,), "json"),
    ClientFile("Cursor", (".cursor", "mcp.json"), (MCP_SERVERS,), "json"),
    ClientFile("VS Code", (".vscode", "mcp.json"), (VSCODE_SERVERS,), "json"),
    ClientFile("Claude Desktop", ("claude_desktop_config.json",), (MCP_SERVERS,), "json"),
    ClientFile("Windsurf", ("mcp_config.json",), (MCP_SERVERS,), "json"),
    ClientFile("Gemini CLI", (".gemini", "settings.json"), (MCP_SERVERS,), "json"),
    ClientFile("Kiro", (".kiro", "settings", "mcp.json"), (MCP_SERVERS,), "json"),
    ClientFile("Amazon Q", (".amazonq", "mcp.json"), (MCP_SERVERS,), "json"),
    ClientFile("opencode", ("opencode.json",), (OPENCODE_MCP,), "json"),
    ClientFile("opencode", ("opencode.jsonc",), (OPENCODE_MCP,), "json"),
    ClientFile("Codex", (".codex", "config.toml"), (CODEX_SERVERS,), "toml"),
)
_CLIENT_NAMES = frozenset(f.suffix[-1] for f in CLIENT_FILES)
_GENERIC_SUFFIXES = {".json": "json", ".jsonc": "json", ".toml": "toml"}
_SEPARATORS = re.compile(r"[\\/]+")


def client_for_path(path: str) -> ClientFile | None:
    """The client whose config file this is, by name and parent folders."""
    name = os.path.basename(path)
    if name not in _CLIENT_NAMES:
        return None
    parts = tuple(_SEPARATORS.split(os.path.abspath(path)))
    for client_file in CLIENT_FILES:
        if parts[-len(client_file.suffix) :] == client_file.suffix:
            return client_file
    return None


def generic_client(path: str) -> ClientFile | None:
    """A named JSON or TOML file that no client's naming matches: any shape may hold servers."""
    syntax = _GENERIC_SUFFIXES.get(os.path.splitext(path)[1].lower())
    if syntax is None:
        return None
    return ClientFile("MCP client", (os.path.basename(path),), ALL_SHAPES, syntax, generic=True)
