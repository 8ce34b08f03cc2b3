"""The client rules one behaviour at a time: transports, references, headers in args, env."""

from __future__ import annotations

import ast
import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from scopelint.catalog import load_catalog, load_rules
from scopelint.engine import Engine, Options, lint_document_text
from scopelint.findings import Finding

from conftest import AS_OF, CliResult

Run = Callable[..., CliResult]
TOKEN = "ATATT3xFfGF0c2NvcGVsaW50LXRlc3QtcnVsZXMtbm90LWEtcmVhbC10b2tlbg=AB12CD34"


def lint_text(text: str, name: str, as_of: dt.date = AS_OF) -> list[Finding]:
    """Lint `text` as the file `name`: a client config when the name is a client's."""
    engine = Engine(load_catalog(), load_rules(), Options(as_of=as_of))
    return lint_document_text(engine, name, text).findings


def lint_entry(entry: str, name: str = ".mcp.json", table: str = "mcpServers") -> list[Finding]:
    """Lint one server entry (JSON text) as the only server of a client file."""
    return lint_text(f'{{\n  "{table}": {{\n    "atlassian": {entry}\n  }}\n}}\n', name)


def found(findings: list[Finding]) -> list[tuple[str, int]]:
    return sorted((f.code, f.span.column) for f in findings)


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


# SL406 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "name", "table"),
    [
        ('{"type": "sse", "url": "https://mcp.atlassian.com/v2/mcp"}', ".mcp.json", "mcpServers"),
        (
            '{"transport": "sse", "url": "https://mcp.atlassian.com/v1/mcp"}',
            ".mcp.json",
            "mcpServers",
        ),
        ('{"type": "http", "url": "https://mcp.atlassian.com/v1/sse"}', ".mcp.json", "mcpServers"),
        (
            '{"type": "streamable-http", "url": "https://mcp.atlassian.com/v1/sse"}',
            ".mcp.json",
            "mcpServers",
        ),
        (
            '{"type": "sse", "url": "https://mcp.atlassian.com/v2/mcp"}',
            ".vscode/mcp.json",
            "servers",
        ),
        ('{"httpUrl": "https://mcp.atlassian.com/v1/sse"}', ".gemini/settings.json", "mcpServers"),
        ('{"url": "https://mcp.atlassian.com/v2/mcp"}', ".gemini/settings.json", "mcpServers"),
        (
            '{"command": "npx", "args": ["mcp-remote", "https://mcp.atlassian.com/v1/sse", '
            '"--transport", "http-only"]}',
            ".cursor/mcp.json",
            "mcpServers",
        ),
        (
            '{"command": "npx", "args": ["mcp-remote", "https://mcp.atlassian.com/v2/mcp", '
            '"--transport=sse-only"]}',
            ".cursor/mcp.json",
            "mcpServers",
        ),
    ],
)
def test_transport_mismatch(entry: str, name: str, table: str) -> None:
    assert "SL406" in codes(lint_entry(entry, name, table))


@pytest.mark.parametrize(
    ("entry", "name"),
    [
        ('{"type": "http", "url": "https://mcp.atlassian.com/v2/mcp"}', ".mcp.json"),
        ('{"type": "sse", "url": "https://mcp.atlassian.com/v1/sse"}', ".mcp.json"),
        ('{"url": "https://mcp.atlassian.com/v1/sse"}', ".cursor/mcp.json"),
        ('{"serverUrl": "https://mcp.atlassian.com/v2/mcp"}', "mcp_config.json"),
        ('{"httpUrl": "https://mcp.atlassian.com/v2/mcp"}', ".gemini/settings.json"),
        ('{"url": "https://mcp.atlassian.com/v1/sse"}', ".gemini/settings.json"),
        (
            '{"command": "npx", "args": ["mcp-remote", "https://mcp.atlassian.com/v1/sse", '
            '"--transport", "sse-first"]}',
            ".cursor/mcp.json",
        ),
        (
            '{"type": "stdio", "command": "npx", "args": ["mcp-remote", '
            '"https://mcp.atlassian.com/v2/mcp"]}',
            ".mcp.json",
        ),
    ],
)
def test_matching_or_undeclared_transport_is_fine(entry: str, name: str) -> None:
    assert "SL406" not in codes(lint_entry(entry, name))


def test_transport_finding_points_at_the_declaration() -> None:
    findings = lint_entry('{"type": "sse", "url": "https://mcp.atlassian.com/v2/mcp"}')
    [finding] = [f for f in findings if f.code == "SL406"]
    assert (finding.span.line, finding.span.column) == (3, 27)
    assert finding.connection == "atlassian"
    assert "/v2/mcp speaks streamable HTTP" in finding.message


# References are never secrets ------------------------------------------------------------


@pytest.mark.parametrize(
    "reference",
    [
        "${ATLASSIAN_API_KEY}",
        "${input:atlassian-key}",
        "${env:ATLASSIAN_API_KEY}",
        "{env:ATLASSIAN_API_KEY}",
        "$ATLASSIAN_API_KEY",
    ],
)
def test_references_are_not_secrets_anywhere(reference: str) -> None:
    entries = [
        f'{{"url": "https://mcp.atlassian.com/v2/mcp", "headers": '
        f'{{"Authorization": "Bearer {reference}", "X-Key": "{reference}"}}}}',
        f'{{"command": "npx", "args": ["-y", "mcp-remote", "https://mcp.atlassian.com/v2/mcp", '
        f'"--header", "Authorization: Bearer {reference}"], '
        f'"env": {{"ATLASSIAN_API_KEY": "{reference}"}}}}',
    ]
    for entry in entries:
        assert not codes(lint_entry(entry)) & {"SL501", "SL502", "SL503"}, entry


# Headers in arguments are headers -----------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (f"Authorization: Bearer {TOKEN}", "SL501"),
        ("Authorization: Basic dev@example.org:${ATLASSIAN_API_TOKEN}", "SL502"),
        ("Authorization:Bearer YOUR_API_TOKEN", "SL503"),
        ("Authorization: ${ATLASSIAN_API_KEY}", None),
    ],
)
def test_a_header_argument_is_checked_like_any_header(header: str, code: str | None) -> None:
    for args in (f'"--header", "{header}"', f'"--header={header}"', f'"-H", "{header}"'):
        entry = (
            '{"command": "npx", "args": ["-y", "mcp-remote@0.1.29", '
            f'"https://mcp.atlassian.com/v2/mcp", {args}]}}'
        )
        got = codes(lint_entry(entry, ".cursor/mcp.json")) & {"SL501", "SL502", "SL503"}
        assert got == ({code} if code else set()), (args, got)


def test_a_token_header_argument_makes_authv2_an_error() -> None:
    with_token = lint_entry(
        '{"command": "npx", "args": ["mcp-remote", "https://mcp.atlassian.com/v1/mcp/authv2", '
        '"--header", "Authorization: Bearer ${KEY}"]}'
    )
    oauth = lint_entry(
        '{"command": "npx", "args": ["mcp-remote", "https://mcp.atlassian.com/v1/mcp/authv2"]}'
    )
    assert "SL402" in codes(with_token) and "SL402" not in codes(oauth)


@pytest.mark.parametrize(
    "argv",
    [
        '"command": "npx", "args": ["-y", "mcp-remote", URL]',
        '"command": "pnpm", "args": ["dlx", "mcp-remote", URL]',
        '"command": "bunx", "args": ["mcp-remote@latest", URL]',
        '"command": "yarn", "args": ["dlx", "mcp-remote", URL]',
        '"command": "cmd", "args": ["/c", "npx", "-y", "mcp-remote", URL]',
        '"command": "deno", "args": ["run", "-A", "npm:mcp-remote", URL]',
        '"command": "/usr/local/bin/mcp-remote", "args": [URL]',
    ],
)
def test_mcp_remote_is_found_through_every_runner(argv: str) -> None:
    entry = (
        "{"
        + argv.replace("URL", '"https://mcp.atlassian.com/v1/sse"')
        + ', "env": {"API_TOKEN": "${T}"}}'
    )
    assert {"SL401", "SL504"} <= codes(lint_entry(entry, ".cursor/mcp.json"))


# SL504 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "fires"),
    [
        ('{"BITBUCKET_MCP_KEY": "${BITBUCKET_MCP_KEY}"}', True),
        ('{"AUTH_HEADER": "Bearer ${KEY}"}', False),  # referenced by the header argument
        ('{"DEBUG": "mcp-remote*"}', False),  # not a credential
        (f'{{"EXTRA": "{TOKEN}"}}', True),  # a credential by its shape
        ('{"MCP_REMOTE_CONFIG_DIR": "/tmp/mcp"}', False),
    ],
)
def test_unforwarded_credentials_in_env(env: str, fires: bool) -> None:
    entry = (
        '{"command": "npx", "args": ["mcp-remote", "https://mcp.atlassian.com/v2/mcp", '
        f'"--header", "Authorization:${{AUTH_HEADER}}"], "env": {env}}}'
    )
    assert ("SL504" in codes(lint_entry(entry))) is fires


def test_unforwarded_credential_points_at_the_env_key() -> None:
    entry = (
        '{"command": "npx", "args": ["mcp-remote", "https://mcp.atlassian.com/v2/mcp"], '
        '"env": {"JIRA_TOKEN": "${JIRA_TOKEN}"}}'
    )
    [finding] = [f for f in lint_entry(entry) if f.code == "SL504"]
    column = len('    "atlassian": ') + entry.index('"JIRA_TOKEN"') + 1
    assert (finding.span.line, finding.span.column, finding.span.end_column) == (
        3,
        column,
        column + len('"JIRA_TOKEN"'),
    )


def test_env_of_other_bridges_is_not_judged_unforwarded() -> None:
    # mcp-proxy reads API_ACCESS_TOKEN from its environment itself.
    entry = (
        '{"command": "uvx", "args": ["mcp-proxy", "https://mcp.atlassian.com/v1/sse"], '
        '"env": {"API_ACCESS_TOKEN": "${ATLASSIAN_TOKEN}"}}'
    )
    got = codes(lint_entry(entry))
    assert "SL401" in got and "SL504" not in got


def test_env_values_sent_as_the_header_are_checked_as_headers() -> None:
    entry = (
        '{"command": "npx", "args": ["mcp-remote", "https://mcp.atlassian.com/v2/mcp", '
        '"--header", "Authorization:${AUTH_HEADER}"], '
        '"env": {"AUTH_HEADER": "Basic dev@example.org:not-encoded"}}'
    )
    assert "SL502" in codes(lint_entry(entry))


def test_placeholders_in_credential_env_values_are_sl503() -> None:
    entry = (
        '{"command": "npx", "args": ["mcp-remote", "https://mcp.atlassian.com/v2/mcp", '
        '"--header", "Authorization: Bearer ${ATLASSIAN_API_TOKEN}"], '
        '"env": {"ATLASSIAN_API_TOKEN": "<your-api-token>"}}'
    )
    assert "SL503" in codes(lint_entry(entry))


# Scope of the rules ---------------------------------------------------------------------------


def test_entries_for_other_servers_are_ignored() -> None:
    # Another service's key is not ours to judge (an Atlassian token there is: see below).
    entry = (
        '{"type": "sse", "url": "https://mcp.example.com/v2/mcp", '
        '"headers": {"Authorization": "Bearer q8Zr2LkP0vXw9TnB4yHs7MeJ"}, "env": {"K_TOKEN": "x"}}'
    )
    assert lint_entry(entry) == []


def test_a_token_in_the_url_is_a_secret() -> None:
    findings = lint_entry(f'{{"url": "https://mcp.atlassian.com/v2/mcp?token={TOKEN}"}}')
    assert "SL501" in codes(findings)


def test_an_escaped_token_is_found_and_masked_as_written(tmp_path: Path, run_cli: Run) -> None:
    escaped = "\\u0041" + TOKEN[1:]  # \u0041 is "A"
    path = tmp_path / ".mcp.json"
    path.write_text(
        '{"mcpServers": {"a": {"url": "https://mcp.atlassian.com/v2/mcp", '
        f'"headers": {{"X-Token": "{escaped}"}}}}}}}}\n',
        encoding="utf-8",
    )
    result = run_cli("check", "--no-color", str(path))
    assert "SL501" in result.out
    assert TOKEN[8:40] not in result.out and escaped[:30] not in result.out


def test_sl401_fix_is_offered_only_when_no_transport_is_declared() -> None:
    bare = lint_entry('{"url": "https://mcp.atlassian.com/v1/sse"}', ".cursor/mcp.json")
    [retired] = [f for f in bare if f.code == "SL401"]
    assert retired.fix is not None and retired.fix.replacement == "/v2/mcp"
    typed = lint_entry('{"type": "sse", "url": "https://mcp.atlassian.com/v1/sse"}')
    [retired] = [f for f in typed if f.code == "SL401"]
    assert retired.fix is None


def test_suppression_comments_work_in_json_with_comments() -> None:
    text = (
        "{\n"
        '  "mcpServers": {\n'
        '    "atlassian": {\n'
        "      // scopelint: ignore[SL405] moving next sprint\n"
        "      // (tracked in OPS-12)\n"
        '      "url": "https://mcp.atlassian.com/v1/mcp"  // scopelint: ignore[SL501]\n'
        "    }\n"
        "  }\n"
        "}\n"
    )
    findings = lint_text(text, ".mcp.json")
    assert [(f.code, f.span.line) for f in findings] == [("SL004", 6)]


def test_a_clean_client_config_has_no_findings() -> None:
    entry = (
        '{"type": "http", "url": "https://mcp.atlassian.com/v2/mcp", '
        '"headers": {"Authorization": "Bearer ${ATLASSIAN_API_KEY}"}}'
    )
    assert lint_entry(entry) == []


def _modules_loaded_by_check(path: Path) -> list[str]:
    script = (
        "import sys\n"
        "from scopelint.entry import main\n"
        f"sys.argv = ['scopelint', 'check', '-q', {str(path)!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print([m for m in ('scopelint.sources.json_source', 'scopelint.sources.toml_source',\n"
        "                   'scopelint.sources.clients', 'scopelint.checks.clients',\n"
        "                   'scopelint.gitignore') if m in sys.modules])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    return list(ast.literal_eval(out.strip().splitlines()[-1]))


def test_linting_a_plan_does_not_load_the_client_readers(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("scopelint: 1\nconnections: []\n", encoding="utf-8")
    assert _modules_loaded_by_check(plan) == []
    client = tmp_path / ".mcp.json"
    client.write_text("{}", encoding="utf-8")
    assert _modules_loaded_by_check(client) == [
        "scopelint.sources.json_source",
        "scopelint.sources.clients",
        "scopelint.checks.clients",
    ]


def test_retired_endpoint_in_a_client_follows_the_as_of_date() -> None:
    text = '{"mcpServers": {"a": {"url": "https://mcp.atlassian.com/v1/sse"}}}'
    [before] = lint_text(text, ".mcp.json", as_of=dt.date(2026, 6, 20))
    [after] = lint_text(text, ".mcp.json")
    assert (before.code, before.severity.label) == ("SL401", "warning")
    assert "10 days left" in before.message
    assert (after.code, after.severity.label) == ("SL401", "error")


@pytest.mark.parametrize(
    ("value", "secret"),
    [
        ("kX9fQ2mZ7pL4vR8sT1wY6nB3cD5eF0gH", True),  # a long random key
        ("/Users/DevUser/Library/Caches/mcp-auth9", False),  # a path, however mixed
        ("C:\\\\Users\\\\DevUser\\\\AppData\\\\mcp-auth9", False),
        ("https://auth.example.org/Callback/9xYz", False),
        ("info", False),
    ],
)
def test_env_values_and_arguments_are_secrets_by_shape(value: str, secret: bool) -> None:
    entry = (
        '{"command": "npx", "args": ["mcp-remote", "https://mcp.atlassian.com/v2/mcp", '
        f'"--resource", "{value}"], "env": {{"MCP_REMOTE_EXTRA": "{value}"}}}}'
    )
    findings = [f for f in lint_entry(entry) if f.code == "SL501"]
    assert len(findings) == (2 if secret else 0), findings


def test_atlassian_token_in_another_servers_env_is_still_a_leak(tmp_path: Path) -> None:
    from conftest import lint_text

    token = "ATATT3xFfGF0CommunityServerToken0123456789abcdef=ABCD1234"
    text = (
        '{"mcpServers": {"mcp-atlassian": {"command": "uvx", "args": ["mcp-atlassian"],\n'
        f'  "env": {{"JIRA_URL": "https://example.atlassian.net",\n  "JIRA_API_TOKEN": "{token}"}}}},\n'
        '  "other": {"command": "npx", "env": {"HOME_DIR": "/home/me"}}}}\n'
    )
    findings = lint_text(text, ".mcp.json", tmp_path)
    assert [(f.code, f.span.line, f.connection) for f in findings] == [
        ("SL501", 3, "mcp-atlassian")]
    assert token not in findings[0].message


def test_a_token_under_any_key_of_an_atlassian_entry_is_found(tmp_path: Path) -> None:
    from conftest import lint_text

    token = "ATATT3xFfGF0CommunityServerToken0123456789abcdef=ABCD1234"
    text = (
        '{"mcpServers": {"a": {"url": "https://mcp.atlassian.com/v2/mcp",\n'
        f'  "auth": {{"token": "{token}"}},\n'
        f'  "headers": {{"Authorization": "Bearer {token}"}}}}}}}}\n'
    )
    findings = lint_text(text, ".mcp.json", tmp_path)
    assert sorted((f.code, f.span.line) for f in findings if f.code == "SL501") == [
        ("SL501", 2), ("SL501", 3)]
