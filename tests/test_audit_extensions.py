"""Tools, actions and scopes from a config's catalog extension are marked in every format."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from scopelint.audit.model import AuditReport, build_audit
from scopelint.catalog import Action, Catalog, Tool, load_catalog, load_rules
from scopelint.commands.audit import render_audit
from scopelint.engine import Engine, Options

from conftest import AS_OF, CliResult

Run = Callable[..., CliResult]

NEW_SCOPE = "read:worklog:jira"
NEW_TOOL = "getJiraWorklogs"


def extended_catalog() -> Catalog:
    base = load_catalog()
    action = Action(NEW_TOOL, NEW_TOOL, ("read:jira-work", NEW_SCOPE), "read_jira", extended=True)
    tool = Tool(NEW_TOOL, "jira", {NEW_TOOL: action}, extended=True)
    return base._replace(
        tools={**base.tools, NEW_TOOL: tool},
        scopes={**base.scopes, NEW_SCOPE: "read"},
        extended_scopes={NEW_SCOPE: None},
        extended_by="team/.scopelint.toml",
    )


def audit_of(tmp_path: Path, catalog: Catalog) -> AuditReport:
    (tmp_path / "plan.yaml").write_text(
        f"""\
scopelint: 1
organization: {{api_token_auth: true}}
connections:
  - name: worklogs
    url: https://mcp.atlassian.com/v2/mcp
    auth: api-token
    credential: service-account
    header: "Bearer ${{KEY}}"
    scopes: [read:jira-work, {NEW_SCOPE}]
    tools:
      {NEW_TOOL}: all
      getJiraIssue: all
""",
        encoding="utf-8",
    )
    engine = Engine(catalog, load_rules(), Options(as_of=AS_OF))
    return build_audit(engine.run([str(tmp_path)]), catalog, engine.rules, AS_OF)


def test_the_model_knows_what_the_extension_added(tmp_path: Path) -> None:
    report = audit_of(tmp_path, extended_catalog())
    (c,) = report.connections
    assert c.minimal is True and c.findings == ()
    assert c.extended_actions == (NEW_TOOL,)
    rows = {row.scope: row for row in c.scopes}
    assert rows[NEW_SCOPE].extended and not rows["read:jira-work"].extended
    assert rows["read:jira-work"].actions == (NEW_TOOL, "getJiraIssue")
    assert [col.scope for col in report.columns if col.extended] == [NEW_SCOPE]
    assert report.extended_by == "team/.scopelint.toml"


def test_every_format_shows_it(tmp_path: Path) -> None:
    report = audit_of(tmp_path, extended_catalog())
    text = render_audit("text", report)
    assert "catalog 2026-11-20 extended by team/.scopelint.toml" in text.splitlines()[0]
    markdown = render_audit("markdown", report)
    assert f"| read:worklog:jira (config) | read | read\\_jira | granted | {NEW_TOOL} (config)" in (
        markdown
    )
    data = json.loads(render_audit("json", report))
    assert data["catalog_extension"] == "team/.scopelint.toml"
    assert data["connections"][0]["extended_actions"] == [NEW_TOOL]
    assert [s["scope"] for s in data["scopes"] if s["extended"]] == [NEW_SCOPE]
    html = render_audit("html", report)
    assert "extended by <code>team/.scopelint.toml</code>" in html
    assert f'<code>{NEW_TOOL}</code><span class="ext"' in html
    assert f'<code>{NEW_SCOPE}</code><span class="ext"' in html
    assert f"<span>{NEW_SCOPE} (config)</span>" in html
    assert "marks tools, actions and scopes from the catalog extension in" in html


def test_a_bundled_catalog_shows_no_mark(tmp_path: Path) -> None:
    catalog = load_catalog()
    (tmp_path / "plan.yaml").write_text(
        "scopelint: 1\nconnections:\n  - name: jira\n    url: https://mcp.atlassian.com/v2/mcp\n"
        "    auth: oauth\n    tools:\n      getJiraIssue: all\n",
        encoding="utf-8",
    )
    engine = Engine(catalog, load_rules(), Options(as_of=AS_OF))
    report = build_audit(engine.run([str(tmp_path)]), catalog, engine.rules, AS_OF)
    html = render_audit("html", report)
    assert 'class="ext"' not in html and "extended by" not in html
    assert "(config)" not in render_audit("markdown", report)


def test_audit_reads_the_extension_from_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Run
) -> None:
    (tmp_path / ".scopelint.toml").write_text(
        """\
[[catalog.tools]]
name = "bitbucketPullRequest"
actions = { decline = { scopes = ["write:pullrequest:bitbucket"], group = "write_bitbucket" } }
""",
        encoding="utf-8",
    )
    (tmp_path / "plan.yaml").write_text(
        """\
scopelint: 1
organization: {workspace_linked: true, api_token_auth: true}
connections:
  - name: reviews
    url: https://mcp.atlassian.com/v2/mcp
    auth: api-token
    credential: service-account
    header: "Bearer ${KEY}"
    scopes: [read:pullrequest:bitbucket, write:pullrequest:bitbucket]
    tools:
      bitbucketPullRequest: [list, decline]
""",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    data = json.loads(run_cli("audit", "--as-of", AS_OF.isoformat(), "--format", "json").out)
    assert data["catalog_extension"] == ".scopelint.toml"
    (c,) = data["connections"]
    assert c["extended_actions"] == ["bitbucketPullRequest.decline"]
    assert c["minimal"] is True and c["findings"] == []
