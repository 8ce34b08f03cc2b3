"""SL801-SL808: each policy key on plans and client entries, where it applies, and where not."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from scopelint.catalog import load_rules
from scopelint.config import configured_catalog, configured_policy, load_config
from scopelint.engine import Engine, Options
from scopelint.findings import Finding
from scopelint.policy import file_names, path_glob
from scopelint.selection import rule_name_index

from conftest import AS_OF, EXAMPLES, CliResult

Run = Callable[..., CliResult]
RULES = load_rules()
HEAD = "scopelint: 1\norganization: {workspace_linked: true, api_token_auth: true}\nconnections:\n"


def token(name: str, scopes: str, tools: str, extra: str = "", url: str = "/v2/mcp") -> str:
    return (
        f"  - name: {name}\n    url: https://mcp.atlassian.com{url}\n    auth: api-token\n"
        "    credential: service-account\n"
        '    header: "Bearer ${KEY}"\n'
        f"{extra}    scopes: [{scopes}]\n    tools: {{{tools}}}\n"
    )


def oauth(name: str, tools: str, extra: str = "") -> str:
    return (
        f"  - name: {name}\n    url: https://mcp.atlassian.com/v2/mcp\n    auth: oauth\n"
        f"{extra}    tools: {{{tools}}}\n"
    )


def run(tmp_path: Path, config: str, files: dict[str, str]) -> list[Finding]:
    """Lint `files` (name -> text) under `config`, as `scopelint check` would from tmp_path."""
    (tmp_path / ".scopelint.toml").write_text(config, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    loaded = load_config(None, tmp_path, rule_name_index(RULES))
    catalog = configured_catalog(loaded)
    options = Options(as_of=AS_OF, policy=configured_policy(loaded, catalog))
    engine = Engine(catalog, RULES, options)
    return engine.run([str(tmp_path / name) for name in files]).findings


def policy_hits(findings: list[Finding]) -> list[tuple[str, int, int]]:
    return sorted((f.code, f.span.line, f.span.column) for f in findings if f.code[2] == "8")


def one(findings: list[Finding], code: str) -> Finding:
    [finding] = [f for f in findings if f.code == code]
    return finding


def test_forbid_scopes_on_a_token_points_at_the_scope(tmp_path: Path) -> None:
    plan = HEAD + token(
        "deploy",
        "read:pipeline:bitbucket, admin:pipeline:bitbucket, delete:repository:bitbucket",
        "bitbucketEnvironment: [list, update]",
    )
    config = '[policy]\nforbid_scopes = ["admin:*", "delete:*:bitbucket"]\n'
    findings = run(tmp_path, config, {"plan.yaml": plan})
    assert policy_hits(findings) == [("SL801", 9, 39), ("SL801", 9, 65)]
    admin = next(f for f in findings if f.code == "SL801")
    assert admin.message == (
        "scope 'admin:pipeline:bitbucket' is forbidden by policy.forbid_scopes ('admin:*')"
    )
    assert (admin.subject, admin.connection) == ("admin:pipeline:bitbucket", "deploy")
    assert admin.span.end_column == admin.span.column + len("admin:pipeline:bitbucket")
    assert "create a new token without it" in admin.help


def test_forbid_scopes_on_oauth_points_at_the_action_needing_it(tmp_path: Path) -> None:
    plan = HEAD + oauth("envs", "bitbucketEnvironment: [get, create, update]")
    findings = run(tmp_path, '[policy]\nforbid_scopes = ["admin:*"]\n', {"plan.yaml": plan})
    finding = one(findings, "SL801")
    assert (finding.span.line, finding.span.column) == (7, 41)  # `create`, the first needing it
    assert finding.message == (
        "scope 'admin:pipeline:bitbucket' (needed by bitbucketEnvironment.create, "
        "bitbucketEnvironment.update) is forbidden by policy.forbid_scopes ('admin:*')"
    )
    assert finding.help.startswith("drop the actions that need it")


def test_allow_scopes_reports_what_it_leaves_out_and_forbid_wins(tmp_path: Path) -> None:
    plan = HEAD + token(
        "jira", "read:jira-work, write:jira-work, admin:project:bitbucket",
        "getJiraIssue: all, createJiraIssue: all",
    )
    config = '[policy]\nallow_scopes = ["read:*", "search:*", "admin:project:*"]\n' \
        'forbid_scopes = ["admin:pipeline:*"]\n'
    findings = run(tmp_path, config, {"plan.yaml": plan})
    assert policy_hits(findings) == [("SL802", 9, 30)]
    assert one(findings, "SL802").message == "scope 'write:jira-work' is not in policy.allow_scopes"
    # A scope both outside the allowlist and forbidden is one finding: the forbidding one.
    config = '[policy]\nallow_scopes = ["read:*"]\nforbid_scopes = ["write:*"]\n'
    assert policy_hits(run(tmp_path, config, {"plan.yaml": plan})) == [
        ("SL801", 9, 30), ("SL802", 9, 47)]


def test_max_scopes_counts_distinct_scopes_and_points_at_the_list(tmp_path: Path) -> None:
    plan = HEAD + token(
        "knowledge", "read:jira-work, search:jira-work, read:jira-work",
        "getJiraIssue: all, searchJiraIssuesUsingJql: all",
    ) + oauth("docs", "getConfluencePage: all, searchConfluenceUsingCql: all, getJiraIssue: all")
    findings = run(tmp_path, "[policy]\nmax_scopes_per_connection = 2\n", {"plan.yaml": plan})
    finding = one(findings, "SL803")
    assert (finding.span.line, finding.span.column, finding.connection) == (14, 5, "docs")
    assert finding.message == (
        "connection 'docs': its intended actions need 3 scopes; "
        "policy.max_scopes_per_connection allows 2"
    )
    findings = run(tmp_path, "[policy]\nmax_scopes_per_connection = 1\n", {"plan.yaml": plan})
    assert policy_hits(findings) == [("SL803", 9, 5), ("SL803", 14, 5)]
    assert one([f for f in findings if f.connection == "knowledge"], "SL803").message == (
        "connection 'knowledge': its token holds 2 scopes; policy.max_scopes_per_connection "
        "allows 1"
    )


def test_global_read_only_applies_to_global_connections_only(tmp_path: Path) -> None:
    scopes = "read:pullrequest:bitbucket, write:pullrequest:bitbucket, search:jira-work"
    tools = "bitbucketPullRequest: [list, comment], searchJiraIssuesUsingJql: all"
    plan = (HEAD + token("shared", scopes, tools, "    availability: global\n")
            + token("mine", scopes, tools)
            + oauth("shared-oauth", "createJiraIssue: all, getJiraIssue: all",
                    "    availability: global\n"))
    findings = run(tmp_path, "[policy]\nglobal_read_only = true\n", {"plan.yaml": plan})
    assert policy_hits(findings) == [("SL804", 10, 42), ("SL804", 23, 13)]
    messages = sorted(f.message for f in findings if f.code == "SL804")
    assert messages[0].startswith(
        "global connection 'shared' holds write scope 'write:pullrequest:bitbucket'; "
        "policy.global_read_only allows only read and search")
    assert messages[1].startswith(
        "global connection 'shared-oauth' holds write scope 'write:jira-work' (needed by "
        "createJiraIssue)")
    assert policy_hits(run(tmp_path, "[policy]\nglobal_read_only = false\n",
                           {"plan.yaml": plan})) == []


def test_require_service_account_for_global(tmp_path: Path) -> None:
    def conn(name: str, credential: str, availability: str) -> str:
        return token(name, "read:jira-work", "getJiraIssue: all",
                     f"    availability: {availability}\n").replace(
            "service-account", credential)

    plan = (HEAD + conn("a", "personal", "global") + conn("b", "service-account", "global")
            + conn("c", "personal", "private")
            + oauth("d", "getJiraIssue: all", "    availability: global\n"))
    findings = run(tmp_path, "[policy]\nrequire_service_account_for_global = true\n",
                   {"plan.yaml": plan})
    finding = one(findings, "SL805")
    assert (finding.span.line, finding.span.column, finding.connection) == (7, 17, "a")
    assert "policy.require_service_account_for_global requires a service-account key" in \
        finding.message


def test_allowed_endpoints_on_plans(tmp_path: Path) -> None:
    plan = (HEAD + oauth("a", "getJiraIssue: all").replace("/v2/mcp", "/v1/mcp")
            + oauth("b", "getJiraIssue: all").replace("/v2/mcp", "/v2/mcp/?tools=all")
            + oauth("c", "getJiraIssue: all").replace("mcp.atlassian.com/v2/mcp",
                                                      "gateway.example.org/atlassian"))
    findings = run(tmp_path, '[policy]\nallowed_endpoints = ["/v2/mcp/"]\n', {"plan.yaml": plan})
    finding = one(findings, "SL806")
    assert (finding.span.line, finding.span.column) == (5, 10)
    assert finding.message == "endpoint /v1/mcp is not in policy.allowed_endpoints (/v2/mcp)"
    assert finding.help == "point the URL at https://mcp.atlassian.com/v2/mcp"


@pytest.mark.parametrize(
    ("header", "fires"),
    [
        ('"Bearer ${KEY}"', False),
        ('"Basic ${BASIC_AUTH}"', False),
        ('"${AUTHORIZATION}"', False),
        ('"Bearer $KEY"', True),
        ('"Bearer ${env:KEY}"', True),  # a client's syntax, not the plan's
        ('"Bearer your-key-here"', True),
        ('"Bearer ${KEY} extra"', True),
    ],
)
def test_require_header_reference_on_plans(tmp_path: Path, header: str, fires: bool) -> None:
    plan = HEAD + token("a", "read:jira-work", "getJiraIssue: all").replace(
        '"Bearer ${KEY}"', header)
    findings = run(tmp_path, "[policy]\nrequire_header_reference = true\n", {"plan.yaml": plan})
    assert policy_hits(findings) == ([("SL807", 8, 13)] if fires else [])


def test_a_literal_header_is_never_printed(run_cli: Run, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "ATATT3xFfGF0aLiteralTokenPastedIntoThePlan0123"
    plan = HEAD + token("a", "read:jira-work", "getJiraIssue: all").replace(
        "${KEY}", secret)
    (tmp_path / "plan.yaml").write_text(plan, encoding="utf-8")
    (tmp_path / ".scopelint.toml").write_text("[policy]\nrequire_header_reference = true\n",
                                              encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for fmt in ("text", "json", "sarif"):
        result = run_cli("check", "--format", fmt, "--select", "SL807", "plan.yaml")
        assert result.code == 1 and "SL807" in result.out
        assert secret not in result.out + result.err and secret[:16] not in result.out


def test_forbid_products_by_auth_method(tmp_path: Path) -> None:
    plan = HEAD + token(
        "docs-bot", "read:page:confluence, read:jira-work", "getConfluencePage: all, getJiraIssue: all",
        "    products: [confluence, jira]\n",
    ) + oauth("bb", "bitbucketPullRequest: [list]")
    config = '[policy]\nforbid_products = { api-token = ["confluence"], oauth = ["jira"] }\n'
    findings = run(tmp_path, config, {"plan.yaml": plan})
    assert policy_hits(findings) == [("SL808", 9, 16), ("SL808", 11, 13)]
    messages = {f.message for f in findings if f.code == "SL808"}
    assert messages == {
        "product confluence: confluence over api-token is forbidden by "
        "policy.forbid_products.api-token",
        "tool getConfluencePage: confluence over api-token is forbidden by "
        "policy.forbid_products.api-token",
    }
    scoped = HEAD + token("bb", "read:pullrequest:bitbucket", "bitbucketPullRequest: [list]")
    config = '[policy]\nforbid_products = { api-token = ["bitbucket"] }\n'
    assert policy_hits(run(tmp_path, config, {"plan.yaml": scoped})) == [
        ("SL808", 9, 14), ("SL808", 10, 13)]  # the scope, then the tool


def test_overrides_by_file_and_connection_later_wins(tmp_path: Path) -> None:
    write = token("bot", "read:jira-work, write:jira-work", "createJiraIssue: all, getJiraIssue: all")
    config = """
[policy]
forbid_scopes = ["write:*"]

[[policy.override]]
files = "sandbox/**"
forbid_scopes = ["admin:*"]

[[policy.override]]
files = ["prod/*.yaml"]
connections = "release-*"
forbid_scopes = ["admin:*"]

[[policy.override]]
connections = "bot"
files = "sandbox/strict/**"
forbid_scopes = ["write:jira-work"]
"""
    files = {
        "plan.yaml": HEAD + write,
        "sandbox/plan.yaml": HEAD + write,
        "sandbox/strict/plan.yaml": HEAD + write,
        "prod/plan.yaml": HEAD + write,
        "prod/release.yaml": HEAD + write.replace("name: bot", "name: release-bot"),
        "prod/deep/release.yaml": HEAD + write.replace("name: bot", "name: release-bot"),
    }
    findings = run(tmp_path, config, files)
    fired = sorted(Path(f.path).relative_to(tmp_path).as_posix() for f in findings
                   if f.code == "SL801")
    assert fired == ["plan.yaml", "prod/deep/release.yaml", "prod/plan.yaml",
                     "sandbox/strict/plan.yaml"]
    strict = [f for f in findings if f.path.endswith("sandbox/strict/plan.yaml")]
    assert strict[0].message.endswith(
        "forbidden by policy.override[2].forbid_scopes ('write:jira-work')")


def test_an_override_can_switch_a_key_off(tmp_path: Path) -> None:
    plan = HEAD + token("legacy", "read:jira-work", "getJiraIssue: all", url="/v1/mcp")
    config = ('[policy]\nallowed_endpoints = ["/v2/mcp"]\nrequire_header_reference = true\n'
              '[[policy.override]]\nconnections = "legacy*"\n'
              'allowed_endpoints = ["/v1/mcp", "/v2/mcp"]\n')
    assert policy_hits(run(tmp_path, config, {"plan.yaml": plan})) == []
    config = config.replace('connections = "legacy*"', 'connections = "other"')
    assert [c for c, _, _ in policy_hits(run(tmp_path, config, {"plan.yaml": plan}))] == ["SL806"]


CLIENT = """{
  "servers": {
    "atlassian": {
      "type": "http",
      "url": "https://mcp.atlassian.com/v1/mcp",
      "headers": {"Authorization": "Bearer ATLASSIAN_MCP_KEY"}
    },
    "referenced": {
      "type": "http",
      "url": "https://mcp.atlassian.com/v2/mcp",
      "headers": {"Authorization": "Bearer ${env:ATLASSIAN_MCP_KEY}"}
    },
    "bridged": {
      "command": "npx",
      "args": ["-y", "mcp-remote", "https://mcp.atlassian.com/v2/mcp",
               "--header", "Authorization:${AUTH_HEADER}"],
      "env": {"AUTH_HEADER": "Bearer not-a-reference-value"}
    },
    "bridged-ok": {
      "command": "npx",
      "args": ["-y", "mcp-remote", "https://mcp.atlassian.com/v2/mcp",
               "--header", "Authorization:${AUTH_HEADER}"],
      "env": {"AUTH_HEADER": "Bearer ${ATLASSIAN_MCP_KEY}"}
    },
    "other": {"type": "http", "url": "https://example.org/v1/mcp",
              "headers": {"Authorization": "Bearer literal"}}
  }
}
"""


def test_client_entries_get_endpoint_and_header_keys(tmp_path: Path) -> None:
    config = ('[policy]\nallowed_endpoints = ["/v2/mcp"]\nrequire_header_reference = true\n'
              'forbid_scopes = ["admin:*"]\nglobal_read_only = true\n')
    findings = run(tmp_path, config, {".vscode/mcp.json": CLIENT})
    assert policy_hits(findings) == [("SL806", 5, 14), ("SL807", 6, 36), ("SL807", 17, 30)]
    by_code = {(f.code, f.connection): f for f in findings if f.code[2] == "8"}
    assert by_code[("SL807", "atlassian")].message == (
        "the Authorization header is not a ${VAR} reference, as "
        "policy.require_header_reference requires (value not shown)")
    assert by_code[("SL807", "bridged")].message.startswith(
        "env AUTH_HEADER, sent as the Authorization header, is not a ${VAR} reference")


def test_client_overrides_match_server_names(tmp_path: Path) -> None:
    config = ('[policy]\nallowed_endpoints = ["/v2/mcp"]\n'
              '[[policy.override]]\nconnections = "atlassian"\n'
              'allowed_endpoints = ["/v1/mcp"]\n')
    assert policy_hits(run(tmp_path, config, {".vscode/mcp.json": CLIENT})) == []


def test_no_policy_no_policy_findings(tmp_path: Path) -> None:
    plan = HEAD + token("a", "admin:pipeline:bitbucket", "bitbucketEnvironment: [update]",
                        "    availability: global\n", url="/v1/mcp")
    assert policy_hits(run(tmp_path, 'select = ["SL"]\n', {"plan.yaml": plan})) == []


def test_selection_and_suppression_work_on_policy_findings(run_cli: Run, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    plan = HEAD + token("a", "read:jira-work", "getJiraIssue: all", url="/v1/mcp")
    (tmp_path / "plan.yaml").write_text(plan, encoding="utf-8")
    (tmp_path / ".scopelint.toml").write_text(
        '[policy]\nallowed_endpoints = ["/v2/mcp"]\n', encoding="utf-8")
    data = json.loads(run_cli("check", "--format", "json", "--select", "SL8", "plan.yaml").out)
    assert [(f["code"], f["line"], f["column"]) for f in data["findings"]] == [("SL806", 5, 10)]
    assert data["findings"][0]["name"] == "endpoint-not-allowed"
    (tmp_path / "plan.yaml").write_text(
        plan.replace("    url: https://mcp.atlassian.com/v1/mcp\n",
                     "    # scopelint: ignore[endpoint-not-allowed] until the migration\n"
                     "    url: https://mcp.atlassian.com/v1/mcp\n"), encoding="utf-8")
    data = json.loads(run_cli("check", "--format", "json", "--select", "SL8,SL004",
                              "plan.yaml").out)
    assert data["findings"] == []


def test_a_run_without_a_policy_loads_no_policy_code(tmp_path: Path) -> None:
    probe = (
        "import sys\nfrom scopelint.entry import main\n"
        f"sys.argv = ['scopelint', 'check', '-q', {str(EXAMPLES / 'clean.yaml')!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if 'policy' in m or 'catalog_extension' in m))\n"
    )

    def loaded(cwd: Path) -> list[str]:
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                             check=True, cwd=cwd).stdout
        return list(ast.literal_eval(out.strip().splitlines()[-1]))

    assert loaded(tmp_path) == []
    (tmp_path / ".scopelint.toml").write_text('fail-on = "error"\n', encoding="utf-8")
    assert loaded(tmp_path) == []
    (tmp_path / ".scopelint.toml").write_text("[policy]\nglobal_read_only = true\n",
                                              encoding="utf-8")
    assert loaded(tmp_path) == ["scopelint.checks.policy", "scopelint.policy",
                                "scopelint.policy_config"]


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("prod/**", "prod/a.yaml", True),
        ("prod/**", "prod/deep/a.yaml", True),
        ("prod/**", "preprod/a.yaml", False),
        ("prod/*.yaml", "prod/deep/a.yaml", False),
        ("prod/", "prod/deep/a.yaml", True),
        ("*.prod.yaml", "teams/x/jira.prod.yaml", True),
        ("**/legacy/*", "a/b/legacy/p.yaml", True),
        ("**/legacy/*", "legacy/p.yaml", True),
        ("plans/[!x]*.yaml", "plans/a.yaml", True),
        ("plans/[!x]*.yaml", "plans/x.yaml", False),
        ("plans/?.yaml", "plans/ab.yaml", False),
        ("/top.yaml", "top.yaml", True),
        ("/top.yaml", "sub/top.yaml", False),
    ],
)
def test_file_globs(pattern: str, path: str, matches: bool) -> None:
    assert bool(path_glob(pattern).fullmatch(path)) is matches


def test_file_names_are_taken_from_the_config_folder(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "repo" / "prod").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert file_names("repo/prod/a.yaml", tmp_path / "repo") == ("prod/a.yaml", "repo/prod/a.yaml")
    assert file_names("./other/a.yaml", tmp_path / "repo") == ("other/a.yaml",)
    assert file_names("<stdin>", tmp_path / "repo") == ()


def test_the_policy_example_breaks_every_key_and_its_clean_plan_passes(
    run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = EXAMPLES / "policy"
    monkeypatch.chdir(folder)
    data = json.loads(run_cli("check", "--format", "json", "--as-of", AS_OF.isoformat(), ".").out)
    by_file: dict[str, set[str]] = {}
    for finding in data["findings"]:
        by_file.setdefault(finding["path"].removeprefix("./"), set()).add(finding["code"])
    assert by_file == {
        "forbid-scopes.yaml": {"SL801"},
        "prod/allow-scopes.yaml": {"SL802"},
        "max-scopes.yaml": {"SL803"},
        "global-read-only.yaml": {"SL804", "SL602"},
        "service-account.yaml": {"SL805", "SL601"},
        "endpoints.yaml": {"SL806", "SL405"},
        "header-reference.yaml": {"SL807"},
        "forbid-products.yaml": {"SL808"},
        "client/.cursor/mcp.json": {"SL806", "SL405", "SL807", "SL503"},
    }
    # The example's README says the same, file by file.
    rows = re.findall(r"^\| ([\w./-]+\.(?:yaml|json)) \| .*? \| (.*?) \|$",
                      (folder / "README.md").read_text(encoding="utf-8"), re.M)
    assert {name: set(re.findall(r"SL\d{3}", codes)) for name, codes in rows} == {
        **by_file, "clean.yaml": set()}
    # Every key of the example's policy is broken by some file.
    config = (folder / ".scopelint.toml").read_text(encoding="utf-8")
    for code in ("SL801", "SL802", "SL803", "SL804", "SL805", "SL806", "SL807", "SL808"):
        assert any(code in codes for codes in by_file.values()), code
    assert "clean.yaml" not in by_file and "getJiraIssueWatchers" in config
    # From elsewhere, --config names it; `files` globs stay relative to the config's folder.
    monkeypatch.chdir(EXAMPLES.parent)
    again = json.loads(run_cli("check", "--format", "json", "--as-of", AS_OF.isoformat(),
                               "--config", "examples/policy/.scopelint.toml",
                               "examples/policy/prod").out)
    assert [f["code"] for f in again["findings"]] == ["SL802"]
