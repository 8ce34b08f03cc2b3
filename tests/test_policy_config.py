"""[policy] in the config: every mistake is one line naming the file and the key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from scopelint.catalog import load_rules
from scopelint.config import ConfigError, configured_catalog, configured_policy, load_config
from scopelint.policy import Policy, Rules, Setting
from scopelint.selection import rule_name_index

from conftest import CliResult

Run = Callable[..., CliResult]
NAMES = rule_name_index(load_rules())


def compile_toml(tmp_path: Path, toml: str, name: str = ".scopelint.toml") -> Policy | None:
    (tmp_path / name).write_text(toml, encoding="utf-8")
    config = load_config(None, tmp_path, NAMES)
    return configured_policy(config, configured_catalog(config))


def error(tmp_path: Path, toml: str) -> str:
    with pytest.raises(ConfigError) as caught:
        compile_toml(tmp_path, toml)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{tmp_path / '.scopelint.toml'}: ")
    return message.split(": ", 1)[1]


def test_every_key_compiles_with_the_key_that_set_it(tmp_path: Path) -> None:
    policy = compile_toml(tmp_path, """
[policy]
forbid_scopes = ["admin:*", "delete:*:bitbucket"]
allow_scopes = ["read:*", "search:*", "write:jira-work"]
max_scopes_per_connection = 5
global_read_only = true
require_service_account_for_global = true
allowed_endpoints = ["/v2/mcp/", "/v1/mcp"]
require_header_reference = false
forbid_products = { api-token = ["confluence"], oauth = ["jsm"] }

[[policy.override]]
files = "prod/**"
connections = ["release-*", "deploy"]
allow_scopes = ["read:*"]
""")
    assert policy is not None
    assert policy.root == tmp_path
    rules = policy.rules
    assert rules.forbid_scopes == Setting(("admin:*", "delete:*:bitbucket"), "policy.forbid_scopes")
    assert rules.max_scopes_per_connection == Setting(5, "policy.max_scopes_per_connection")
    assert rules.allowed_endpoints is not None
    assert rules.allowed_endpoints.value == ("/v2/mcp", "/v1/mcp")  # a trailing slash is the same
    assert rules.require_header_reference == Setting(False, "policy.require_header_reference")
    assert rules.forbidden_products("api-token") == ("confluence",)
    assert rules.forbidden_products("oauth") == ("jsm",)
    [override] = policy.overrides
    assert (override.files, override.connections) == (("prod/**",), ("release-*", "deploy"))
    assert override.rules == Rules(allow_scopes=Setting(("read:*",), "policy.override[0].allow_scopes"))
    merged = policy.for_file(str(tmp_path / "prod" / "p.yaml")).for_connection("release-bot")
    assert merged.allow_scopes == override.rules.allow_scopes
    assert merged.forbid_scopes == rules.forbid_scopes
    assert policy.for_file(str(tmp_path / "p.yaml")).for_connection("release-bot") == rules


def test_no_policy_table_no_policy(tmp_path: Path) -> None:
    assert compile_toml(tmp_path, 'fail-on = "error"\n') is None


def test_the_pyproject_section_holds_a_policy(tmp_path: Path) -> None:
    policy = compile_toml(
        tmp_path,
        '[tool.scopelint.policy]\nglobal_read_only = true\n'
        '[[tool.scopelint.policy.override]]\nfiles = "x/**"\nglobal_read_only = false\n',
        name="pyproject.toml",
    )
    assert policy is not None and policy.rules.global_read_only == Setting(
        True, "policy.global_read_only")
    assert len(policy.overrides) == 1


def test_scope_globs_may_match_scopes_the_config_declares(tmp_path: Path) -> None:
    policy = compile_toml(tmp_path, """
[[catalog.scopes]]
name = "admin:issue-tracker:bitbucket"

[policy]
forbid_scopes = ["admin:issue-tracker:*"]
""")
    assert policy is not None


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[policy]\nforbid_scope = []\n",
         "unknown key 'forbid_scope' in policy (did you mean 'forbid_scopes'?); allowed: "),
        ("[policy]\nforbid-scopes = []\n",
         "unknown key 'forbid-scopes' in policy (did you mean 'forbid_scopes'?)"),
        ("[policy]\nglobal_readonly = true\n",
         "unknown key 'global_readonly' in policy (did you mean 'global_read_only'?)"),
        ('[policy]\nfiles = "prod/**"\n', "'files' belongs in a [[policy.override]] entry"),
        ('[[policy.override]]\nfiles = "a/**"\nallow_scope = []\n',
         "unknown key 'allow_scope' in policy.override[0] (did you mean 'allow_scopes'?)"),
        ("[[policy.override]]\nglobal_read_only = true\n",
         "'policy.override[0]' needs `files` or `connections`: the globs it applies to"),
        ('[[policy.override]]\nfiles = "a/**"\n',
         "'policy.override[0]' sets no policy key; set one of forbid_scopes, allow_scopes"),
        ('[policy.override]\nfiles = "a/**"\n',
         "'policy.override' must be an array of tables: write [[policy.override]]"),
        ('policy = "strict"\n', "'policy' must be a table"),
        ('[policy]\nforbid_scopes = ["admn:*"]\n',
         "'policy.forbid_scopes' entry 'admn:*' matches no scope in the catalog "
         "(did you mean 'admin:*'?)"),
        ('[policy]\nforbid_scopes = ["delete:*:bitbuckt"]\n',
         "entry 'delete:*:bitbuckt' matches no scope in the catalog "
         "(did you mean 'delete:*:bitbucket'?)"),
        ('[policy]\nallow_scopes = ["read:jira-wrk"]\n',
         "'policy.allow_scopes' entry 'read:jira-wrk' matches no scope in the catalog "
         "(did you mean 'read:jira-work'?)"),
        ('[policy]\nforbid_scopes = ["delete:*:confluence"]\n',
         "entry 'delete:*:confluence' matches no scope in the catalog"),
        ('[policy]\nforbid_scopes = "admin:*"\n',
         "'policy.forbid_scopes' must be a list of strings"),
        ("[policy]\nmax_scopes_per_connection = 0\n",
         "'policy.max_scopes_per_connection' must be a positive whole number"),
        ("[policy]\nmax_scopes_per_connection = true\n",
         "'policy.max_scopes_per_connection' must be a positive whole number"),
        ('[policy]\nglobal_read_only = "yes"\n', "'policy.global_read_only' must be true or false"),
        ('[policy]\nallowed_endpoints = ["/v3/mcp"]\n',
         "'policy.allowed_endpoints' entry '/v3/mcp' is not an endpoint path in the catalog "
         "(did you mean '/v2/mcp'?); paths: /v1/sse, /v1/mcp"),
        ('[policy]\nallowed_endpoints = ["https://mcp.atlassian.com/v2/mcp"]\n',
         "(did you mean '/v2/mcp'?)"),
        ('[policy]\nforbid_products = { apitoken = ["jira"] }\n',
         "unknown key 'apitoken' in policy.forbid_products (did you mean 'api-token'?)"),
        ('[policy]\nforbid_products = { oauth = ["compas"] }\n',
         "'policy.forbid_products.oauth' entry 'compas' is not a product "
         "(did you mean 'compass'?)"),
        ('[policy]\nforbid_products = { oauth = "jira" }\n',
         "'policy.forbid_products.oauth' must be a list of strings"),
        ('[[policy.override]]\nfiles = 3\nglobal_read_only = true\n',
         "'policy.override[0].files' must be a string or a list of strings"),
    ],
)
def test_policy_errors_name_the_key(tmp_path: Path, toml: str, message: str) -> None:
    assert message in error(tmp_path, toml)


def test_an_allowed_scope_that_is_also_forbidden_is_a_contradiction(tmp_path: Path) -> None:
    assert error(tmp_path, """
[policy]
forbid_scopes = ["admin:*"]
allow_scopes = ["read:*", "admin:pipeline:bitbucket"]
""") == (
        "'policy.allow_scopes' entry 'admin:pipeline:bitbucket' is forbidden by "
        "'policy.forbid_scopes' ('admin:*'), so it allows nothing; remove it from one of the two"
    )
    # An allowlist glob that forbid_scopes only narrows is a policy, not a contradiction.
    assert compile_toml(tmp_path, """
[policy]
forbid_scopes = ["admin:*"]
allow_scopes = ["*:bitbucket"]
""") is not None


def test_a_contradiction_between_the_policy_and_an_override(tmp_path: Path) -> None:
    assert error(tmp_path, """
[policy]
forbid_scopes = ["write:*", "delete:*"]

[[policy.override]]
connections = "bot"
allow_scopes = ["read:*", "delete:*"]
""").startswith(
        "'policy.override[0].allow_scopes' entry 'delete:*' is forbidden by "
        "'policy.forbid_scopes' ('delete:*')"
    )
    # The override may lift the base's forbid_scopes for what it matches.
    assert compile_toml(tmp_path, """
[policy]
forbid_scopes = ["write:*"]

[[policy.override]]
connections = "bot"
forbid_scopes = ["admin:*"]
allow_scopes = ["read:*", "write:jira-work"]
""") is not None


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[policy]\nforbid_scope = []\n", "(did you mean 'forbid_scopes'?)"),
        ('[policy]\nforbid_scopes = ["admn:*"]\n', "(did you mean 'admin:*'?)"),
        ('[policy]\nforbid_scopes = ["admin:*"]\nallow_scopes = ["admin:*"]\n',
         "so it allows nothing"),
    ],
)
def test_the_command_line_exits_2_with_one_line(run_cli: Run, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                toml: str, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".scopelint.toml").write_text(toml, encoding="utf-8")
    (tmp_path / "plan.yaml").write_text("scopelint: 1\nconnections: []\n", encoding="utf-8")
    result = run_cli("check", "plan.yaml")
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("scopelint: error: .scopelint.toml: ")
    assert message in result.err and result.err.count("\n") == 1


def test_a_file_glob_with_a_backslash_in_brackets_compiles() -> None:
    from scopelint.policy import path_glob

    assert path_glob("[\\]").fullmatch("\\")
    assert path_glob("prod/**").fullmatch("prod/a/b.yaml")
    assert path_glob("*.yaml").fullmatch("deep/dir/x.yaml")
