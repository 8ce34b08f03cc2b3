"""Client configs as teams commit them: one fixture per client dialect.

Each fixture has a comment, a trailing comma, a server that is not Atlassian's (and
must be ignored) and a literal token (which must never be printed). Expected
positions are found in the fixture text, so each finding is checked against the
exact place of the offending key or value in the original file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import click
import pytest

from scopelint.catalog import load_catalog, load_rules
from scopelint.cli import cli
from scopelint.engine import Engine, Options, RunResult

from conftest import AS_OF, CliResult

FIXTURES = Path(__file__).parent / "fixtures" / "clients"
TOKEN = "ATATT3xFfGF0c2NvcGVsaW50LXRlc3QtZml4dHVyZS1ub3QtYS1yZWFsLXRva2Vu="
BASIC = (
    "ZGV2QGV4YW1wbGUub3JnOkFUQVRUM3hGZkdGMGMyTnZjR1ZzYVc1MExYUmxjM1F0Wm1sNGRIVnlaUzF1YjNRdFlTMXlaV0Z"
    "zTFhSdmEyVnU9NUU2RjdBOEI="
)

# (code, the text the finding must cover, optionally a unique text that contains it)
Expected = tuple[str, str] | tuple[str, str, str]

CASES: dict[str, tuple[str, str, list[Expected], dict[str, str]]] = {
    "claude-code": (
        ".mcp.json",
        "Claude Code",
        [
            ("SL401", '"https://mcp.atlassian.com/v1/sse"'),
            ("SL405", '"https://mcp.atlassian.com/v1/mcp"'),
            ("SL501", f'"Bearer {TOKEN}CC000001"'),
        ],
        {"atlassian": "oauth", "atlassian-ci": "api-token"},
    ),
    "cursor": (
        ".cursor/mcp.json",
        "Cursor",
        [
            ("SL401", '"https://mcp.atlassian.com/v1/sse"'),
            ("SL501", f'"Authorization: Basic {BASIC}"'),
            ("SL504", '"JIRA_API_TOKEN"'),
        ],
        {"Atlassian": "api-token"},
    ),
    "vscode": (
        ".vscode/mcp.json",
        "VS Code",
        [
            ("SL406", '"sse"'),
            ("SL403", '"https://mcp.atlassian.com/v1/mcp/preview"'),
            ("SL501", f'"{TOKEN}VS000001"'),
        ],
        {"atlassian": "api-token", "atlassian-preview": "oauth"},
    ),
    "claude-desktop": (
        "claude_desktop_config.json",
        "Claude Desktop",
        [
            ("SL402", '"https://mcp.atlassian.com/v1/mcp/authv2"'),
            ("SL501", f'"Bearer {TOKEN}CD000001"'),
        ],
        {"atlassian": "api-token"},
    ),
    "windsurf": (
        "mcp_config.json",
        "Windsurf",
        [
            ("SL404", '"http://mcp.atlassian.com/v2/mcp"'),
            ("SL503", '"Basic YOUR_API_TOKEN"'),
            ("SL501", f'"Authorization: Bearer {TOKEN}WS000001"'),
        ],
        {"atlassian": "api-token", "atlassian-bridge": "api-token"},
    ),
    "gemini": (
        ".gemini/settings.json",
        "Gemini CLI",
        [
            ("SL406", '"url"', '"url": "https://mcp.atlassian.com/v2/mcp"'),
            ("SL406", '"httpUrl"', '"httpUrl": "https://mcp.atlassian.com/v1/sse"'),
            ("SL401", '"https://mcp.atlassian.com/v1/sse"'),
            ("SL501", f'"Bearer {TOKEN}GM000001"'),
        ],
        {"atlassian": "api-token", "atlassian-http": "api-token"},
    ),
    "kiro": (
        ".kiro/settings/mcp.json",
        "Kiro",
        [
            ("SL406", '"sse-only"'),
            ("SL504", '"ATLASSIAN_API_TOKEN"'),
            ("SL501", f'"{TOKEN}KR000001"'),
        ],
        {"atlassian": "oauth"},
    ),
    "amazonq": (
        ".amazonq/mcp.json",
        "Amazon Q",
        [
            ("SL405", '"https://mcp.atlassian.com/v1/mcp?tools=all"'),
            ("SL501", f'"Authorization: Bearer {TOKEN}AQ000001"'),
        ],
        {"atlassian": "api-token"},
    ),
    "opencode": (
        "opencode.json",
        "opencode",
        [
            ("SL405", '"https://mcp.atlassian.com/v1/mcp"'),
            ("SL401", '"https://mcp.atlassian.com/v1/sse"'),
            ("SL501", f'"Authorization: Bearer {TOKEN}OC000001"'),
            ("SL504", '"ATLASSIAN_TOKEN"'),
        ],
        {"atlassian": "api-token", "atlassian-local": "api-token"},
    ),
    "codex": (
        ".codex/config.toml",
        "Codex",
        [
            ("SL406", "url", 'url = "https://mcp.atlassian.com/v1/sse"'),
            ("SL401", '"https://mcp.atlassian.com/v1/sse"'),
            ("SL501", f'"Bearer {TOKEN}CX000001"'),
            ("SL402", '"https://mcp.atlassian.com/v1/mcp/authv2"'),
            ("SL504", "JIRA_TOKEN", 'JIRA_TOKEN = "'),
        ],
        {
            "atlassian": "api-token",
            "atlassian-sse": "api-token",
            "atlassian-token": "api-token",
            "atlassian-remote": "api-token",
        },
    ),
}


def fixture_path(dialect: str) -> Path:
    return FIXTURES / dialect / CASES[dialect][0]


def run(*paths: Path) -> RunResult:
    engine = Engine(load_catalog(), load_rules(), Options(as_of=AS_OF))
    return engine.run([str(p) for p in paths])


def span_of(text: str, needle: str, anchor: str | None = None) -> tuple[int, int, int, int]:
    """1-based line and column where `needle` starts and ends (end-exclusive)."""
    where = anchor or needle
    assert text.count(where) == 1, f"{where!r} must occur once in the fixture"
    offset = text.index(where) + where.index(needle)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column, line, column + len(needle)


@pytest.mark.parametrize("dialect", sorted(CASES))
def test_every_finding_points_at_the_offending_text(dialect: str) -> None:
    path = fixture_path(dialect)
    text = path.read_text(encoding="utf-8")
    assert "//" in text or "#" in text, "the fixture must hold a comment"
    expected = sorted((case[0], *span_of(text, *case[1:])) for case in CASES[dialect][2])
    findings = run(path).findings
    got = sorted(
        (f.code, f.span.line, f.span.column, f.span.end_line, f.span.end_column) for f in findings
    )
    assert got == expected, "\n".join(f"{f.code} {f.span} {f.message}" for f in findings)


@pytest.mark.parametrize("dialect", sorted(CASES))
def test_connections_list_only_the_atlassian_entries(dialect: str) -> None:
    path = fixture_path(dialect)
    _, client, _, auth = CASES[dialect]
    result = run(path)
    assert [f.kind for f in result.files] == ["client"]
    summaries = result.files[0].connections
    assert {c.server: c.auth for c in summaries} == auth
    assert {(c.kind, c.client, c.path) for c in summaries} == {("client", client, str(path))}
    assert all(c.url and "mcp.atlassian.com" in c.url for c in summaries)
    # The other server in each fixture is never named in a finding.
    assert {f.connection for f in result.findings} <= set(auth)


def _formats() -> list[str]:
    option = next(p for p in cli.commands["check"].params if p.name == "output_format")
    assert isinstance(option.type, click.Choice)
    return [str(choice) for choice in option.type.choices]


@pytest.mark.parametrize("fmt", _formats())
def test_literal_tokens_are_redacted_in_every_format(
    fmt: str, run_cli: Callable[..., CliResult]
) -> None:
    paths = [str(fixture_path(d)) for d in sorted(CASES)]
    result = run_cli("check", "--no-color", "--as-of", AS_OF.isoformat(), "--format", fmt, *paths)
    assert result.code == 1, result.err
    output = result.out + result.err
    assert "SL501" in output or "hardcoded-secret" in output
    for secret in (TOKEN[:40], BASIC[:40], "c2NvcGVsaW50LXRlc3Qt"):
        assert secret not in output, f"{fmt} output leaks {secret}"


def test_json_connections_carry_client_file_and_server(
    run_cli: Callable[..., CliResult],
) -> None:
    path = fixture_path("vscode")
    result = run_cli("check", "--format", "json", "--as-of", AS_OF.isoformat(), str(path))
    connections = json.loads(result.out)["connections"]
    assert connections == [
        {
            "path": str(path),
            "name": "atlassian",
            "auth": "api-token",
            "needed": [],
            "granted": [],
            "excess": [],
            "missing": [],
            "client": "VS Code",
            "server": "atlassian",
            "url": "https://mcp.atlassian.com/v2/mcp",
        },
        {
            "path": str(path),
            "name": "atlassian-preview",
            "auth": "oauth",
            "needed": [],
            "granted": [],
            "excess": [],
            "missing": [],
            "client": "VS Code",
            "server": "atlassian-preview",
            "url": "https://mcp.atlassian.com/v1/mcp/preview",
        },
    ]


def test_text_output_shows_the_original_line_with_the_token_masked(
    run_cli: Callable[..., CliResult],
) -> None:
    path = fixture_path("claude-desktop")
    result = run_cli("check", "--no-color", "--as-of", AS_OF.isoformat(), str(path))
    assert f"{path}:14:24: SL501 [hardcoded-secret]" in result.out
    assert '14 |         "AUTH_HEADER": "Bearer ****"' in result.out
    assert f"{path}:8:9: SL402 [oauth-only-endpoint]" in result.out
