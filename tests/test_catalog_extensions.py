"""[[catalog.tools]] and [[catalog.scopes]]: tools Atlassian shipped after this release."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from scopelint.catalog import Catalog, catalog_problems, load_catalog, load_rules
from scopelint.config import ConfigError, configured_catalog, load_config
from scopelint.engine import Engine, Options
from scopelint.findings import Finding
from scopelint.selection import rule_name_index
from scopelint.sources.client_files import client_for_path

from conftest import AS_OF, CliResult

Run = Callable[..., CliResult]
NAMES = rule_name_index(load_rules())

WATCHERS = """
[[catalog.tools]]
name = "getJiraIssueWatchers"
product = "jira"
group = "read_jira"
scopes = ["read:jira-work"]
since = 2026-11-18
"""
DECLINE = """
[[catalog.tools]]
name = "bitbucketPullRequest"
since = "2026-11-19"
actions = { decline = { scopes = ["write:pullrequest:bitbucket"], group = "write_bitbucket" } }
"""
ISSUES = """
[[catalog.scopes]]
name = "read:issue-tracker:bitbucket"
since = 2026-11-10

[[catalog.tools]]
name = "bitbucketIssue"
product = "bitbucket"
group = "read_bitbucket"
aliases = ["listBitbucketIssues"]
[catalog.tools.actions.list]
scopes = ["read:issue-tracker:bitbucket"]
[catalog.tools.actions.comment]
scopes = ["write:issue:bitbucket"]
group = "write_bitbucket"
since = 2026-11-21
"""


def extended(tmp_path: Path, toml: str, name: str = ".scopelint.toml") -> Catalog:
    path = tmp_path / name
    path.write_text(toml, encoding="utf-8")
    return configured_catalog(load_config(str(path), tmp_path, NAMES))


def config_error(tmp_path: Path, toml: str) -> str:
    with pytest.raises(ConfigError) as caught:
        extended(tmp_path, toml)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{tmp_path / '.scopelint.toml'}: ")
    return message


def lint(catalog: Catalog, plan: str) -> list[Finding]:
    engine = Engine(catalog, load_rules(), Options(as_of=AS_OF))
    return engine.lint_plan_text("plan.yaml", plan, set()).findings


def token_plan(scopes: str, tools: str) -> str:
    return (
        "scopelint: 1\norganization: {workspace_linked: true, api_token_auth: true}\n"
        "connections:\n  - name: c\n    url: https://mcp.atlassian.com/v2/mcp\n"
        "    auth: api-token\n    credential: service-account\n"
        '    header: "Bearer ${KEY}"\n'
        f"    scopes: [{scopes}]\n    tools: {{{tools}}}\n"
    )


def test_the_bundled_catalog_passes_the_checks_extensions_get() -> None:
    assert catalog_problems(load_catalog()) == []


def test_a_new_single_action_tool_is_planned_like_a_bundled_one(tmp_path: Path) -> None:
    catalog = extended(tmp_path, WATCHERS)
    tool = catalog.tools["getJiraIssueWatchers"]
    assert (tool.extended, tool.since, tool.single_action) == (True, dt.date(2026, 11, 18), True)
    action = tool.actions["getJiraIssueWatchers"]
    assert (action.scopes, action.group, action.extended) == (("read:jira-work",), "read_jira", True)
    assert lint(catalog, token_plan("read:jira-work", "getJiraIssueWatchers: all")) == []
    missing = lint(catalog, token_plan("read:me", "getJiraIssueWatchers: all"))
    assert sorted((f.code, f.subject) for f in missing) == [
        ("SL101", "read:me"),
        ("SL103", "read:jira-work"),
    ]
    # Without the extension the same plan names an unknown tool.
    unknown = lint(load_catalog(), token_plan("read:jira-work", "getJiraIssueWatchers: all"))
    assert [f.code for f in unknown] == ["SL201"]


def test_actions_added_to_a_bundled_tool(tmp_path: Path) -> None:
    catalog = extended(tmp_path, DECLINE)
    tool = catalog.tools["bitbucketPullRequest"]
    assert not tool.extended
    assert tool.actions["decline"].extended and tool.actions["decline"].since == dt.date(
        2026, 11, 19
    )
    assert not tool.actions["list"].extended
    assert list(tool.actions)[-1] == "decline"
    plan = token_plan("read:pullrequest:bitbucket", "bitbucketPullRequest: [list, decline]")
    [finding] = lint(catalog, plan)
    assert (finding.code, finding.subject) == ("SL103", "write:pullrequest:bitbucket")
    assert finding.message.startswith("bitbucketPullRequest.decline needs")


def test_a_new_tool_with_actions_aliases_and_a_declared_scope(tmp_path: Path) -> None:
    catalog = extended(tmp_path, ISSUES)
    assert catalog.scopes["read:issue-tracker:bitbucket"] == "read"
    assert catalog.extended_scopes == {"read:issue-tracker:bitbucket": dt.date(2026, 11, 10)}
    tool = catalog.tool("listBitbucketIssues")
    assert tool is not None and tool.name == "bitbucketIssue"
    assert tool.actions["list"].group == "read_bitbucket"  # the tool's group is the default
    assert tool.actions["comment"].since == dt.date(2026, 11, 21)
    plan = token_plan("read:issue-tracker:bitbucket", "bitbucketIssue: [list]")
    assert lint(catalog, plan) == []
    # A declared scope is a known scope: granted without need it is excess, not unknown.
    excess = lint(catalog, token_plan("read:issue-tracker:bitbucket", "bitbucketWorkspace: [list]"))
    assert {f.code for f in excess} == {"SL101", "SL103"}


def test_extending_leaves_the_bundled_catalog_alone(tmp_path: Path) -> None:
    before = {name: dict(tool.actions) for name, tool in load_catalog().tools.items()}
    extended(tmp_path, WATCHERS + DECLINE + ISSUES)
    bundled = load_catalog()
    assert "getJiraIssueWatchers" not in bundled.tools
    assert "read:issue-tracker:bitbucket" not in bundled.scopes
    assert "listBitbucketIssues" not in bundled.aliases
    assert {name: dict(tool.actions) for name, tool in bundled.tools.items()} == before
    assert bundled.extended_by is None


def test_the_pyproject_section_extends_too(tmp_path: Path) -> None:
    toml = WATCHERS.replace("[[catalog.tools]]", "[[tool.scopelint.catalog.tools]]")
    (tmp_path / "pyproject.toml").write_text(toml, encoding="utf-8")
    catalog = configured_catalog(load_config(None, tmp_path, NAMES))
    assert catalog.tools["getJiraIssueWatchers"].extended
    assert catalog.extended_by is not None and catalog.extended_by.endswith("pyproject.toml")


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            WATCHERS.replace('"read:jira-work"', '"read:jira-wrk"'),
            "catalog.tools[0]: getJiraIssueWatchers names unknown scope 'read:jira-wrk' "
            "(did you mean 'read:jira-work'?); declare it under [[catalog.scopes]]",
        ),
        (
            WATCHERS.replace('"jira"', '"jria"'),
            "catalog.tools[0]: getJiraIssueWatchers has unknown product 'jria' "
            "(did you mean 'jira'?)",
        ),
        (
            WATCHERS.replace('"read_jira"', '"read_jria"'),
            "names unknown permission group 'read_jria' (did you mean 'read_jira'?)",
        ),
        (
            WATCHERS.replace("scopes =", "scope ="),
            "unknown key 'scope' in catalog.tools[0] (did you mean 'scopes'?)",
        ),
        (
            WATCHERS.replace('product = "jira"\n', ""),
            "catalog.tools[0]: new tool getJiraIssueWatchers needs a `product`",
        ),
        (
            WATCHERS + 'actions = { a = { scopes = ["read:jira-work"] } }\n',
            "needs either `scopes` (a tool that is its own action) or `actions` "
            "(a table of action -> scopes), not both",
        ),
        (
            WATCHERS.replace('scopes = ["read:jira-work"]\n', ""),
            "not neither",
        ),
        (
            WATCHERS.replace("2026-11-18", '"18/11/2026"'),
            "'catalog.tools[0].since' must be a date, YYYY-MM-DD",
        ),
        (
            WATCHERS.replace("2026-11-18", "2026-11-18T10:00:00"),
            "'catalog.tools[0].since' must be a date, YYYY-MM-DD",
        ),
        (
            WATCHERS.replace("getJiraIssueWatchers", "get-watchers"),
            "'get-watchers' is not a tool name",
        ),
        (
            WATCHERS + WATCHERS,
            "catalog.tools[1]: getJiraIssueWatchers is already described by catalog.tools[0]; "
            "merge the two entries",
        ),
        (
            DECLINE.replace("decline", "merge"),
            "catalog.tools[0].actions.merge: bitbucketPullRequest.merge is in the bundled "
            "catalog already",
        ),
        (
            DECLINE.replace('name = "bitbucketPullRequest"', 'name = "getJiraIssue"'),
            "getJiraIssue is a single-action tool (the action is the tool itself)",
        ),
        (
            DECLINE.replace('name = "bitbucketPullRequest"', 'name = "bitbucketPullRequest"\n'
                            'product = "jira"'),
            "bitbucketPullRequest is a bitbucket tool; an extension cannot change its product",
        ),
        (
            '[[catalog.tools]]\nname = "listJiraProjects"\nscopes = ["read:jira-work"]\n',
            "listJiraProjects (an alias of getVisibleJiraProjects) is in the bundled catalog "
            "already; an extension can add `actions` or `aliases` to it, not redefine its scopes",
        ),
        (
            '[[catalog.tools]]\nname = "getJiraIssue"\n',
            "getJiraIssue is in the bundled catalog already; the entry adds no `actions` or "
            "`aliases`",
        ),
        (
            WATCHERS + 'aliases = ["listJiraProjects"]\n',
            "alias 'listJiraProjects' is already the name of getVisibleJiraProjects",
        ),
        (
            DECLINE.replace('{ scopes = ["write:pullrequest:bitbucket"], group = "write_bitbucket" }',
                            '["write:pullrequest:bitbucket"]'),
            "'catalog.tools[0].actions.decline' must be a table",
        ),
        (
            DECLINE.replace('scopes = ["write:pullrequest:bitbucket"], ', ""),
            "'catalog.tools[0].actions.decline.scopes' is required",
        ),
        (
            DECLINE.replace('["write:pullrequest:bitbucket"]', "[]"),
            "bitbucketPullRequest.decline needs no scope; every action needs at least one",
        ),
        (
            '[[catalog.scopes]]\nname = "read:me"\n',
            "catalog.scopes[0]: scope 'read:me' is in the bundled catalog already (read); "
            "remove the entry",
        ),
        (
            '[[catalog.scopes]]\nname = "write:thing:jira"\nlevel = "read"\n',
            "scope 'write:thing:jira' has level 'read', but its name says 'write'",
        ),
        (
            '[[catalog.scopes]]\nname = "raed:thing:jira"\n',
            "scope 'raed:thing:jira' has unknown level 'raed' (did you mean 'read'?)",
        ),
        (
            '[[catalog.scopes]]\nname = "Read Thing"\n',
            "'Read Thing' is not a scope name",
        ),
        ('[[catalog.scopes]]\nlevel = "read"\n', "'catalog.scopes[0].name' is required"),
        ("[catalog]\ntols = []\n", "unknown key 'tols' in catalog (did you mean 'tools'?)"),
        ('[catalog]\ntools = "x"\n', "'catalog.tools' must be an array of tables"),
    ],
)
def test_extension_errors_name_the_key(tmp_path: Path, toml: str, message: str) -> None:
    assert message in config_error(tmp_path, toml)


def test_tools_marks_extended_entries(run_cli: Run, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    plain = run_cli("tools", "--product", "jira")
    assert "added" not in plain.out.splitlines()[0]
    assert plain.out.rstrip().endswith("52 tools")
    (tmp_path / ".scopelint.toml").write_text(WATCHERS + DECLINE, encoding="utf-8")
    table = run_cli("tools")
    assert table.code == 0
    lines = table.out.splitlines()
    assert lines[0].split()[-1] == "added"
    [watchers] = [line for line in lines if line.startswith("getJiraIssueWatchers")]
    assert watchers.rstrip().endswith("config since 2026-11-18")
    [decline] = [line for line in lines if " decline " in line]
    assert decline.rstrip().endswith("config since 2026-11-19")
    [merge] = [line for line in lines if " merge " in line]
    assert "config" not in merge
    assert lines[-1] == (
        "catalog retrieved 2026-11-20; 53 tools (1 tool and 1 action of bundled tools added "
        "by .scopelint.toml)"
    )
    rows = json.loads(run_cli("tools", "--format", "json").out)["tools"]
    marked = {(r["tool"], r["action"]): r["since"] for r in rows if r["extended"]}
    assert marked == {("getJiraIssueWatchers", ""): "2026-11-18",
                      ("bitbucketPullRequest", "decline"): "2026-11-19"}


def test_check_uses_the_extended_catalog_and_config_errors_exit_2(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    plan = tmp_path / "plan.yaml"
    plan.write_text(token_plan("read:jira-work", "getJiraIssueWatchers: all"), encoding="utf-8")
    assert run_cli("check", "-q", "plan.yaml").code == 1  # SL201 without the extension
    (tmp_path / ".scopelint.toml").write_text(WATCHERS, encoding="utf-8")
    assert run_cli("check", "-q", "plan.yaml").code == 0
    scopes = json.loads(run_cli("scopes", "plan.yaml", "--format", "json").out)
    assert scopes["connections"][0]["scopes"][0]["actions"] == ["getJiraIssueWatchers"]
    (tmp_path / ".scopelint.toml").write_text(WATCHERS.replace('"jira"', '"jria"'),
                                              encoding="utf-8")
    for command in (["check", "plan.yaml"], ["tools"], ["scopes", "plan.yaml"]):
        result = run_cli(*command)
        assert result.code == 2, command
        assert result.err.count("\n") == 1 and "Traceback" not in result.err
        assert ".scopelint.toml: catalog.tools[0]: getJiraIssueWatchers has unknown product" \
            in result.err


PLAN = "scopelint: 1\nconnections:\n  - name: a\n    url: https://mcp.atlassian.com/v2/mcp\n" \
    "    auth: oauth\n    tools: {getJiraIssue: all}\n"
CLIENT = '{"mcpServers": {\n  "other": {"url": "https://example.org/mcp"},\n' \
    '  "one": {"url": "https://mcp.atlassian.com/v2/mcp"},\n' \
    '  "two": {"url": "https://mcp.atlassian.com/v2/mcp"}}}\n'


@pytest.mark.parametrize(("days", "fires"), [(180, False), (181, True)])
def test_stale_catalog_after_180_days(days: int, fires: bool) -> None:
    catalog = load_catalog()
    as_of = catalog.date + dt.timedelta(days=days)
    engine = Engine(catalog, load_rules(), Options(as_of=as_of))
    plan = engine.lint_plan_text("plan.yaml", PLAN, set()).findings
    client_file = client_for_path(".mcp.json")
    assert client_file is not None
    client = engine.lint_client_text(".mcp.json", CLIENT, client_file, set()).findings
    stale = [(f.path, f.span.line, f.span.column, f.severity.label)
             for f in plan + client if f.code == "SL005"]
    assert stale == ([("plan.yaml", 1, 1, "info"), (".mcp.json", 3, 18, "info")] if fires else [])
    if fires:
        message = next(f.message for f in plan if f.code == "SL005")
        assert message.startswith(f"the bundled catalog was retrieved {catalog.date}, 181 days "
                                  f"before {as_of}")


def test_stale_catalog_needs_something_to_judge() -> None:
    late = load_catalog().date + dt.timedelta(days=400)
    engine = Engine(load_catalog(), load_rules(), Options(as_of=late))
    for text in ("scopelint: 1\nconnections: []\n", "scopelint: 1\n"):
        assert [f.code for f in engine.lint_plan_text("p.yaml", text, set()).findings] == []


def test_stale_catalog_is_info_and_can_be_ignored(run_cli: Run, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    late = (load_catalog().date + dt.timedelta(days=365)).isoformat()
    result = run_cli("check", "--no-color", "--as-of", late, "plan.yaml")
    assert result.code == 0  # info stays below the default --fail-on warning
    assert "plan.yaml:1:1: SL005 [stale-catalog]" in result.out
    assert "upgrade scopelint" in result.out
    (tmp_path / ".scopelint.toml").write_text('ignore = ["stale-catalog"]\n', encoding="utf-8")
    assert "SL005" not in run_cli("check", "--as-of", late, "plan.yaml").out
