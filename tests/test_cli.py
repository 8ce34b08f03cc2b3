"""The command line as users drive it: exit codes, options, and bad input."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml

from scopelint import __version__

from conftest import EXAMPLES, CliResult

Run = Callable[..., CliResult]
CLEAN = EXAMPLES / "clean.yaml"
OVER = EXAMPLES / "over-provisioned.yaml"


def test_version_names_package_and_catalog(run_cli: Run) -> None:
    result = run_cli("--version")
    assert result.code == 0
    assert result.out.startswith(f"scopelint {__version__} (catalog 20")


def test_clean_plan_exits_zero(run_cli: Run) -> None:
    result = run_cli("check", "--no-color", str(CLEAN))
    assert (result.code, result.out.strip()) == (0, "All clear: no problems in 1 file.")


def test_text_output_shows_location_source_caret_and_help(run_cli: Run) -> None:
    result = run_cli("check", "--no-color", str(OVER))
    assert result.code == 1
    assert f"{OVER}:16:9: SL101 [excess-scope] read scope 'read:pipeline:bitbucket'" in result.out
    assert "16 |       - read:pipeline:bitbucket\n" in result.out
    assert "   |         ^^^^^^^^^^^^^^^^^^^^^^^ warning\n" in result.out
    assert "= help: remove it and create a token with only:" in result.out
    assert result.out.rstrip().endswith(
        "Found 4 problems (3 errors, 1 warning) in 1 of 1 file.")
    assert "\x1b[" not in result.out


def test_json_output_matches_the_contract(run_cli: Run) -> None:
    result = run_cli("check", "--format", "json", str(OVER))
    data = json.loads(result.out)
    assert data["version"] == 1
    assert data["tool"]["name"] == "scopelint"
    assert data["summary"] == {"files": 1, "findings": 4, "error": 3, "warning": 1, "info": 0}
    first = data["findings"][0]
    assert {k: first[k] for k in ("code", "name", "severity", "path", "line", "column",
                                  "end_line", "end_column", "connection")} == {
        "code": "SL101", "name": "excess-scope", "severity": "warning", "path": str(OVER),
        "line": 16, "column": 9, "end_line": 16, "end_column": 32,
        "connection": "bitbucket-shared-read"}
    assert len(first["fingerprint"]) == 16
    assert first["fix"] == {"description": "remove 'read:pipeline:bitbucket' from scopes",
                            "replacement": ""}
    assert data["connections"] == [{
        "path": str(OVER), "name": "bitbucket-shared-read", "auth": "api-token",
        "needed": ["read:repository:bitbucket", "read:pullrequest:bitbucket",
                   "read:workspace:bitbucket"],
        "granted": ["read:repository:bitbucket", "read:pullrequest:bitbucket",
                    "read:pipeline:bitbucket", "write:pullrequest:bitbucket",
                    "admin:repository:bitbucket"],
        "excess": ["read:pipeline:bitbucket", "write:pullrequest:bitbucket",
                   "admin:repository:bitbucket"],
        "missing": ["read:workspace:bitbucket"]}]


def test_relative_paths_stay_relative(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES.parent)
    data = json.loads(run_cli("check", "--format", "json", "examples/over-provisioned.yaml").out)
    assert {f["path"] for f in data["findings"]} == {"examples/over-provisioned.yaml"}


def test_fingerprint_survives_lines_moving(run_cli: Run, tmp_path: Path) -> None:
    text = OVER.read_text(encoding="utf-8")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "p.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b" / "p.yaml").write_text("# a new comment\n\n" + text, encoding="utf-8")
    os.chdir(tmp_path / "a")
    before = json.loads(run_cli("check", "--format", "json", "p.yaml").out)["findings"]
    os.chdir(tmp_path / "b")
    after = json.loads(run_cli("check", "--format", "json", "p.yaml").out)["findings"]
    assert [f["fingerprint"] for f in before] == [f["fingerprint"] for f in after]
    assert [f["line"] + 2 for f in before] == [f["line"] for f in after]


@pytest.mark.parametrize(("fail_on", "code"), [("error", 1), ("never", 0), ("info", 1)])
def test_fail_on(run_cli: Run, fail_on: str, code: int) -> None:
    assert run_cli("check", "--fail-on", fail_on, str(OVER)).code == code


def test_warnings_only_pass_with_fail_on_error(run_cli: Run) -> None:
    assert run_cli("check", "--select", "SL101", str(OVER)).code == 1
    assert run_cli("check", "--select", "SL101", "--fail-on", "error", str(OVER)).code == 0


def test_select_and_ignore_take_codes_names_and_prefixes(run_cli: Run) -> None:
    def found(*args: str) -> list[str]:
        out = run_cli("check", "--format", "json", *args, str(OVER)).out
        return sorted({f["code"] for f in json.loads(out)["findings"]})

    assert found("--select", "SL10") == ["SL101", "SL102", "SL103"]
    assert found("--select", "excess-scope,missing-scope") == ["SL101", "SL103"]
    assert found("--ignore", "SL102", "--ignore", "missing-scope") == ["SL101"]


def test_unknown_rule_is_a_usage_error(run_cli: Run) -> None:
    result = run_cli("check", "--select", "exces-scope", str(OVER))
    assert result.code == 2
    assert "did you mean 'excess-scope'" in result.err


def test_stdin(run_cli: Run) -> None:
    result = run_cli("check", "--no-color", "-", input=OVER.read_text(encoding="utf-8"))
    assert result.code == 1
    assert "<stdin>:16:9: SL101" in result.out


def test_directory_discovery_skips_yaml_that_is_not_a_plan(run_cli: Run, tmp_path: Path) -> None:
    (tmp_path / "ci.yaml").write_text("steps: [build]\n", encoding="utf-8")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "p.yaml").write_text("scopelint: 2\n", encoding="utf-8")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "p.yml").write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("check", "--format", "json", str(tmp_path))
    assert (result.code, json.loads(result.out)["summary"]["files"]) == (0, 1)


def test_named_yaml_without_marker(run_cli: Run, tmp_path: Path) -> None:
    other = tmp_path / "ci.yaml"
    other.write_text("steps: [build]\n", encoding="utf-8")
    result = run_cli("check", "--no-color", str(other))
    assert result.code == 1 and "SL002" in result.out and "marker is missing" in result.out
    quiet = run_cli("check", "--skip-unrecognized", str(other))
    assert quiet.code == 0


@pytest.mark.parametrize("command", ["check", "scopes"])
def test_missing_path_is_a_one_line_error(run_cli: Run, command: str) -> None:
    result = run_cli(command, "no/such/plan.yaml")
    assert result.code == 2
    assert result.err.strip() == "scopelint: error: no/such/plan.yaml: no such file or directory"


@pytest.mark.parametrize(("content", "message"), [
    (b"\x00\x01\x02binary", "binary file (contains NUL bytes)"),
    (b"scopelint: 1\nname: \xff\xfe\xfa\n", "not valid UTF-8 (line 2, byte 19)"),
    (b"- scopelint: 1\n", "a token plan is a mapping"),
    (b"scopelint: 1\nconnections: [\n", "SL001"),
    (b"", "the file is empty"),
])
def test_bad_input_is_a_finding(run_cli: Run, tmp_path: Path, content: bytes, message: str
                                ) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    result = run_cli("check", "--no-color", str(path))
    assert result.code == 1
    assert message in result.out
    assert "Traceback" not in result.out + result.err


def test_alias_bomb_is_refused_quickly(run_cli: Run, tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("scopelint: 1\n" + "\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("check", "--no-color", str(path))
    assert result.code == 1
    assert "SL001 [invalid-yaml] more than 1,000,000 nodes" in result.out


def test_huge_file_is_refused_without_reading_it(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = run_cli("check", "--no-color", str(path))
    assert result.code == 1
    assert "larger than the 10 MiB limit" in result.out


@pytest.mark.parametrize(("depth", "message"), [
    (100, "nesting deeper than 64 levels"), (10000, "SL001 [invalid-yaml]")])
def test_deep_nesting_is_refused(run_cli: Run, tmp_path: Path, depth: int, message: str) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("scopelint: 1\nx: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    result = run_cli("check", "--no-color", "--quiet", str(path))
    assert result.code == 1 and message in result.out


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every directory")
def test_unreadable_directory_is_an_error(run_cli: Run, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        result = run_cli("check", str(tmp_path))
    finally:
        locked.chmod(0o755)
    assert result.code == 2 and "cannot read directory" in result.err


def test_fifo_is_not_read(run_cli: Run, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = run_cli("check", "--no-color", str(fifo))
    assert result.code == 1 and "not a regular file" in result.out


SECRET = "ATATT3xFfGF0UnitTestSecretValue0123456789abcdefABCDEF=12345678"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_secrets_are_never_printed(run_cli: Run, tmp_path: Path, fmt: str) -> None:
    import base64

    basic = base64.b64encode(f"me@example.org:{SECRET}".encode()).decode()
    plan = tmp_path / "leak.yaml"
    plan.write_text(
        "scopelint: 1\norganization: {api_token_auth: true}\nconnections:\n"
        f"  - name: a\n    auth: api-token\n    credential: service-account\n"
        f"    header: \"Bearer {SECRET}\"\n    scopes: [read:me]\n"
        "    tools: {atlassianUserInfo: all}\n"
        f"  - name: b\n    auth: api-token\n    credential: personal\n"
        f"    header: \"Basic {basic}\"\n    scopes: [read:me]\n"
        "    tools: {atlassianUserInfo: all}\n"
        f"    note: {SECRET}\n", encoding="utf-8")
    result = run_cli("check", "--format", fmt, "--statistics", str(plan))
    everything = result.out + result.err
    assert result.code == 1
    assert everything.count("SL501") >= 3
    assert SECRET not in everything and basic not in everything
    assert SECRET[:20] not in everything


def test_config_file_is_strict(run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                               ) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".scopelint.toml").write_text('selct = ["SL1"]\n', encoding="utf-8")
    result = run_cli("check", str(OVER))
    assert result.code == 2
    assert "unknown key 'selct' (did you mean 'select'?)" in result.err


def test_config_severity_override_and_pyproject(run_cli: Run, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.scopelint]\nignore = ["SL103"]\n[tool.scopelint.severity]\n'
        'excess-write-scope = "warning"\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    data = json.loads(run_cli("check", "--format", "json", str(OVER)).out)
    assert {(f["code"], f["severity"]) for f in data["findings"]} == {
        ("SL101", "warning"), ("SL102", "warning")}


def test_bad_config_values(run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for body, message in [
        ('fail-on = "warnings"', "did you mean 'warning'"),
        ('[severity]\nSL999 = "info"', "unknown rule 'SL999'"),
        ("max-nodes = true", "'max-nodes' must be a whole number"),
        ("select = [", "invalid TOML"),
    ]:
        (tmp_path / ".scopelint.toml").write_text(body + "\n", encoding="utf-8")
        result = run_cli("check", str(CLEAN))
        assert result.code == 2 and message in result.err, body
        assert result.err.count("\n") == 1


def test_scopes_command(run_cli: Run) -> None:
    table = run_cli("scopes", str(OVER))
    assert table.code == 0
    assert "read:workspace:bitbucket" in table.out and "missing" in table.out
    data = json.loads(run_cli("scopes", str(OVER), "--format", "json").out)
    rows = {r["scope"]: r for r in data["connections"][0]["scopes"]}
    assert rows["admin:repository:bitbucket"]["status"] == "excess"
    assert rows["read:pullrequest:bitbucket"]["actions"] == [
        "bitbucketPullRequest.list", "bitbucketPullRequest.get", "bitbucketPullRequest.diff"]
    adhoc = json.loads(run_cli("scopes", "--tools", "bitbucketPullRequest.create,getJiraIssue",
                               "--format", "json").out)
    assert sorted(r["scope"] for r in adhoc["scopes"]) == [
        "read:jira-work", "write:pullrequest:bitbucket"]
    bad = run_cli("scopes", "--tools", "getJiraIsue")
    assert bad.code == 2 and "unknown tool or action: getJiraIsue" in bad.err


def test_tools_rules_and_rule(run_cli: Run) -> None:
    tools = run_cli("tools", "--product", "jsm")
    assert tools.code == 0 and "getJsmOpsAlerts" in tools.out and "getJiraIssue" not in tools.out
    assert run_cli("tools", "--product", "jirra").code == 2
    rules = run_cli("rules")
    from scopelint.catalog import load_rules

    assert rules.out.count("\nSL") == len(load_rules()) >= 32
    doc = run_cli("rule", "excess-scope")
    assert doc.code == 0
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## How to fix it"):
        assert heading in doc.out
    assert run_cli("rule", "sl101").out == doc.out
    assert run_cli("rule", "SL999").code == 2


def test_schema_validates_every_example_plan(run_cli: Run) -> None:
    schema = json.loads(run_cli("schema").out)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for name in ("clean", "over-provisioned", "wrong-auth", "endpoints", "credentials",
                 "shared-identity"):
        data = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
        assert not list(validator.iter_errors(data)), name
    broken = yaml.safe_load((EXAMPLES / "format-errors.yaml").read_text(encoding="utf-8"))
    assert list(validator.iter_errors(broken))


def test_init_writes_a_plan_that_lints_clean(run_cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    assert run_cli("init", "--output", str(target)).code == 0
    assert run_cli("check", str(target)).code == 0
    again = run_cli("init", "--output", str(target))
    assert again.code == 2 and "already exists" in again.err


def test_unused_suppression_in_a_clean_file_names_the_file(run_cli: Run, tmp_path: Path) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text("scopelint: 1  # scopelint: ignore[SL101]\n", encoding="utf-8")
    result = run_cli("check", "--no-color", "-q", str(plan))
    assert result.out.startswith(f"{plan}:1:15: SL004 [unused-suppression]")


def test_error_messages_never_echo_a_token(run_cli: Run) -> None:
    token = "ATATT3xFfGF0TypedIntoTheCommandLine0123456789"
    result = run_cli("check", "--select", token, str(CLEAN))
    assert result.code == 2 and "unknown rule" in result.err
    assert token not in result.err and token[:12] not in result.err


def test_redaction_masks_credentials_but_not_prose() -> None:
    from scopelint.credentials import redact

    basic = "bWVAZXhhbXBsZS5vcmc6dG9rZW4="  # base64 of me@example.org:token
    assert redact(f"header: Basic {basic}") == "header: Basic ****"
    assert redact("Bearer ATSTT3xFfGF0abcdefghijklmnop") == "Bearer ****"
    assert redact("Bearer q8Zr2LkP0vXw9TnB4yHs7MeJ") == "Bearer ****"
    prose = "a Basic credential is sent with Bearer instead; use Bearer ${KEY}"
    assert redact(prose) == prose


def test_redaction_never_reaches_across_lines() -> None:
    from scopelint.credentials import redact

    report = (
        "   = help: use a service-account key with Bearer\n"
        "examples/clients/blog-post/.cursor/mcp.json:11:9: SL401 retired"
    )
    assert redact(report) == report


def test_scopes_never_prints_a_token(run_cli: Run, tmp_path: Path) -> None:
    token = "ATATT3xFfGF0T5bq9WmZc1HkLp0oQvXyR7sNd2Ee"
    plan = tmp_path / "sec.yaml"
    plan.write_text(
        f'scopelint: 1\nconnections:\n  - name: "{token}"\n    auth: api-token\n'
        "    credential: personal\n    scopes: [read:jira-work]\n    tools: {getJiraIssue: all}\n",
        encoding="utf-8",
    )
    for fmt in ("table", "json"):
        result = run_cli("scopes", "--format", fmt, str(plan))
        assert result.code == 0 and "read:jira-work" in result.out
        assert token not in result.out and token[:12] not in result.out


def test_a_short_bearer_word_is_reported_but_not_masked_everywhere(
    run_cli: Run, tmp_path: Path
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "scopelint: 1\norganization: {api_token_auth: true}\nconnections:\n  - name: j\n"
        "    auth: api-token\n    credential: service-account\n    header: Bearer token\n"
        "    scopes: [read:me]\n    tools: {atlassianUserInfo: all}\n",
        encoding="utf-8",
    )
    data = json.loads(run_cli("check", "--format", "json", str(plan)).out)
    assert {f["code"] for f in data["findings"]} == {"SL501", "SL502"}
    assert all(f["path"] == str(plan) for f in data["findings"])
    assert all("****" not in f["help"] for f in data["findings"])


def test_a_file_named_twice_is_linted_once(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES.parent)
    data = json.loads(run_cli(
        "check", "--format", "json", "examples/over-provisioned.yaml",
        "./examples/over-provisioned.yaml", "examples").out)
    paths = [f["path"] for f in data["findings"]]
    assert paths.count("examples/over-provisioned.yaml") == 4
    assert "./examples/over-provisioned.yaml" not in paths


def test_discovery_finds_quoted_and_flow_markers(run_cli: Run, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text('"scopelint": 1\nconnections: []\n', encoding="utf-8")
    (tmp_path / "b.yaml").write_text("{scopelint: 1, connections: []}\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text("steps:\n  scopelint: 1\n", encoding="utf-8")
    data = json.loads(run_cli("check", "--format", "json", str(tmp_path)).out)
    assert data["summary"]["files"] == 2


def test_names_and_identifiers_are_not_secrets() -> None:
    from scopelint.credentials import looks_like_secret

    assert not looks_like_secret("atlassian-rovo-mcp-server-v2")
    assert not looks_like_secret("123e4567-e89b-12d3-a456-426614174000")
    assert not looks_like_secret("MCP_REMOTE_CLIENT_NAME_FOR_TESTS")
    assert looks_like_secret("q8Zr2LkP0vXw9TnB4yHs7MeJ")
    assert looks_like_secret("ATATT3xFfGF0T5bq9WmZc1HkLp0oQvXyR7sNd2Ee")


def test_an_unread_path_is_never_all_clear(run_cli: Run) -> None:
    result = run_cli("check", "--no-color", str(CLEAN), "no/such.yaml")
    assert result.code == 2
    assert "All clear" not in result.out
    assert result.out.strip() == "No problems in 1 file read; 1 path could not be read."


def test_an_empty_selector_in_the_config_is_an_error(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".scopelint.toml").write_text('select = [""]\n', encoding="utf-8")
    result = run_cli("check", str(OVER))
    assert result.code == 2 and "names unknown rule ''" in result.err


@pytest.mark.parametrize("command", [
    "scopelint check examples/over-provisioned.yaml",
    "scopelint scopes examples/over-provisioned.yaml",
])
def test_readme_output_is_real(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index(f"$ {command}\n") + len(f"$ {command}\n")
    shown = readme[start : readme.index("```", start)]
    monkeypatch.chdir(EXAMPLES.parent)
    assert run_cli(*command.split()[1:]).out == shown
