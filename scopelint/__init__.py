"""scopelint: least-privilege linter for Atlassian Rovo MCP server access."""

__version__ = "0.1.0"
