"""`scopelint init --from CLIENT_CONFIG`: a starter plan drawn from the Atlassian entries."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from test_client_configs import BASIC, CASES, TOKEN, fixture_path

from scopelint.credentials import contains_reference

from conftest import CliResult, lint_text

Run = Callable[..., CliResult]


def plan_connections(text: str) -> dict[str, dict[str, object]]:
    data = yaml.safe_load(text)
    assert data["scopelint"] == 1
    return {c["name"]: c for c in data["connections"]}


@pytest.mark.parametrize("dialect", sorted(CASES))
def test_init_from_each_client_writes_a_plan_with_its_atlassian_entries(
    dialect: str, run_cli: Run
) -> None:
    result = run_cli("init", "--from", str(fixture_path(dialect)))
    assert result.code == 0, result.err
    connections = plan_connections(result.out)
    # One connection per Atlassian entry, with the auth the entry uses.
    expected_auth = CASES[dialect][3]
    assert {name: c["auth"] for name, c in connections.items()} == expected_auth
    for connection in connections.values():
        assert connection["tools"] == {}
        assert str(connection["url"]).startswith(("https://mcp.atlassian.com", "http://mcp."))
        if connection["auth"] == "api-token":
            assert connection["scopes"] == []
            assert connection["credential"] in ("personal", "service-account")
            assert contains_reference(str(connection["header"]))
        else:
            assert "header" not in connection and "scopes" not in connection
    assert "Fill in the tools this connection is meant to use" in result.out
    for secret in (TOKEN[:30], BASIC[:30]):
        assert secret not in result.out


@pytest.mark.parametrize("dialect", sorted(CASES))
def test_the_starter_plan_is_a_valid_plan_that_asks_for_tools(dialect: str, run_cli: Run) -> None:
    text = run_cli("init", "--from", str(fixture_path(dialect))).out
    codes = {f.code for f in lint_text(text)}
    assert not codes & {"SL001", "SL002", "SL003", "SL501"}, codes
    # An API-token connection without tools is exactly what is left to do.
    if "api-token" in CASES[dialect][3].values():
        assert "SL203" in codes


def test_header_references_are_kept_and_literals_replaced(run_cli: Run) -> None:
    gemini = plan_connections(run_cli("init", "--from", str(fixture_path("gemini"))).out)
    assert gemini["atlassian"]["header"] == "Bearer $ATLASSIAN_API_KEY"
    assert gemini["atlassian"]["credential"] == "service-account"
    assert gemini["atlassian-http"]["header"] == "Bearer ${ATLASSIAN_API_KEY}"
    cursor = plan_connections(run_cli("init", "--from", str(fixture_path("cursor"))).out)
    assert cursor["Atlassian"]["credential"] == "personal"  # Basic: a personal token
    assert cursor["Atlassian"]["header"] == "Basic ${ATLASSIAN_BASIC_AUTH}"
    codex = plan_connections(run_cli("init", "--from", str(fixture_path("codex"))).out)
    assert codex["atlassian"]["header"] == "${ATLASSIAN_AUTH_HEADER}"
    assert codex["atlassian-sse"]["header"] == "Bearer ${ATLASSIAN_API_KEY}"


def test_init_from_writes_the_output_file_once(tmp_path: Path, run_cli: Run) -> None:
    out = tmp_path / "plan.yaml"
    first = run_cli("init", "--from", str(fixture_path("vscode")), "-o", str(out))
    assert first.code == 0 and f"wrote {out}" in first.err
    assert "atlassian-preview" in out.read_text(encoding="utf-8")
    again = run_cli("init", "--from", str(fixture_path("vscode")), "-o", str(out))
    assert again.code == 2 and "already exists" in again.err


def test_duplicate_server_names_get_unique_connection_names(tmp_path: Path, run_cli: Run) -> None:
    path = tmp_path / "team.json"
    path.write_text(
        '{"mcpServers": {"jira": {"url": "https://mcp.atlassian.com/v2/mcp"}},'
        ' "servers": {"jira": {"type": "http", "url": "https://mcp.atlassian.com/v2/mcp"}}}',
        encoding="utf-8",
    )
    assert list(plan_connections(run_cli("init", "--from", str(path)).out)) == ["jira", "jira-2"]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            ".mcp.json",
            '{"mcpServers": {"gh": {"url": "https://api.githubcopilot.com/mcp/"}}}',
            "no server entry reaches mcp.atlassian.com",
        ),
        (".mcp.json", '{\n  "mcpServers": {,}\n}', ".mcp.json:2:18: invalid JSON"),
        (".codex/config.toml", "[mcp_servers.a\n", "config.toml:1:15: invalid TOML"),
        ("notes.md", "# hi", "not an MCP client config"),
    ],
)
def test_init_from_unusable_files_is_a_one_line_error(
    tmp_path: Path, run_cli: Run, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    result = run_cli("init", "--from", str(path))
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("scopelint: error: ") and message in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_init_from_a_missing_file_is_a_usage_error(tmp_path: Path, run_cli: Run) -> None:
    result = run_cli("init", "--from", str(tmp_path / ".mcp.json"))
    assert result.code == 2 and "no such file or directory" in result.err
