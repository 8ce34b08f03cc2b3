"""`scopelint diff`: privilege changes between two plans, or against a git ref."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scopelint.catalog import PRIVILEGED_LEVELS, load_catalog

from conftest import EXAMPLES, CliResult
from snapshot_support import FIXTURES, assert_snapshot

Run = Callable[..., CliResult]
OVER = (EXAMPLES / "over-provisioned.yaml").read_text(encoding="utf-8")
CATALOG = load_catalog()
# The same plan after a change: a write scope added, a read scope dropped, actions changed.
CHANGED = FIXTURES / "over-provisioned-changed.yaml"


def diff_json(run_cli: Run, *args: str) -> dict[str, Any]:
    result = run_cli("diff", "--format", "json", *args)
    assert result.code == 0, result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


def only_connection(data: dict[str, Any]) -> dict[str, Any]:
    (file,) = data["files"]
    (conn,) = file["connections"]
    return conn


def test_scopes_and_actions_added_and_removed(run_cli: Run) -> None:
    data = diff_json(run_cli, str(EXAMPLES / "over-provisioned.yaml"), str(CHANGED))
    assert data["version"] == 1 and data["escalation"] is True
    conn = only_connection(data)
    assert conn["name"] == "bitbucket-shared-read" and conn["status"] == "modified"
    assert conn["scopes"] == {
        "added": ["write:repository:bitbucket", "read:workspace:bitbucket"],
        "removed": ["read:pipeline:bitbucket"],
    }
    # Which added scopes escalate comes from the catalog's levels.
    assert conn["escalations"] == [
        s for s in conn["scopes"]["added"] if CATALOG.level(s) in PRIVILEGED_LEVELS
    ]
    assert conn["escalations"] == ["write:repository:bitbucket"]
    assert conn["actions"] == {
        "added": [{"action": "bitbucketRepoContent.branch.create", "level": "write"}],
        "removed": ["bitbucketPullRequest.diff"],
    }


def test_direction_toward_and_away_from_the_minimal_set(run_cli: Run, tmp_path: Path) -> None:
    old, changed = str(EXAMPLES / "over-provisioned.yaml"), str(CHANGED)
    forward = only_connection(diff_json(run_cli, old, changed))["minimal"]
    # Before: 3 excess, 1 missing. After: admin and write:pullrequest still excess, nothing
    # missing (read:workspace granted; write:repository now needed by branch.create).
    assert forward == {
        "before": {"excess": 3, "missing": 1},
        "after": {"excess": 2, "missing": 0},
        "direction": "toward",
    }
    backward = only_connection(diff_json(run_cli, changed, old))["minimal"]
    assert backward["direction"] == "away"


def test_a_new_plan_is_all_added_and_a_deleted_one_all_removed(run_cli: Run) -> None:
    clean = str(EXAMPLES / "clean.yaml")
    added = diff_json(run_cli, os.devnull, clean)
    (file,) = added["files"]
    assert file["status"] == "added"
    assert [c["status"] for c in file["connections"]] == ["added"] * 3
    review = file["connections"][0]
    assert review["scopes"]["added"] == ["read:repository:bitbucket", "read:pullrequest:bitbucket"]
    assert review["minimal"]["direction"] == "minimal"
    triage = file["connections"][1]
    assert triage["escalations"] == ["write:jira-work"]
    removed = diff_json(run_cli, clean, os.devnull)
    (file,) = removed["files"]
    assert file["status"] == "removed"
    assert all(c["status"] == "removed" and not c["scopes"]["added"] for c in file["connections"])
    assert removed["escalation"] is False


def test_exit_code_only_for_escalations_when_asked(run_cli: Run) -> None:
    old, changed = str(EXAMPLES / "over-provisioned.yaml"), str(CHANGED)
    assert run_cli("diff", old, changed).code == 0
    assert run_cli("diff", "--fail-on-escalation", old, changed).code == 1
    # Going back removes the write scope and adds a read one: not an escalation.
    assert run_cli("diff", "--fail-on-escalation", changed, old).code == 0


def test_no_changes(run_cli: Run) -> None:
    same = str(EXAMPLES / "clean.yaml")
    result = run_cli("diff", same, same)
    assert (result.code, result.out) == (0, "No privilege changes.\n")
    assert diff_json(run_cli, same, same)["files"] == []


def test_an_unreadable_side_is_reported_not_compared(run_cli: Run, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("scopelint: 1\nconnections: [\n")
    data = diff_json(run_cli, str(EXAMPLES / "clean.yaml"), str(broken))
    (file,) = data["files"]
    assert file["connections"] == []
    assert file["problem"].startswith("the new version cannot be read as a plan (line ")


def test_usage_errors_are_one_line(run_cli: Run, tmp_path: Path) -> None:
    for args, message in [
        (("only-one.yaml",), "give two plan files"),
        (("missing.yaml", str(EXAMPLES / "clean.yaml")), "missing.yaml: no such file"),
    ]:
        result = run_cli("diff", *args)
        assert result.code == 2
        assert result.err.startswith("scopelint: error: ") and message in result.err
        assert result.err.count("\n") == 1


def test_snapshots(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES.parent)
    old = "examples/over-provisioned.yaml"
    new = str(CHANGED.relative_to(EXAMPLES.parent))
    for output_format, name in [
        ("text", "diff.txt"),
        ("markdown", "diff.md"),
        ("json", "diff.json"),
    ]:
        result = run_cli("diff", "--format", output_format, old, new)
        assert_snapshot(name, result.out)


def test_markdown_escapes_names_from_the_file(run_cli: Run, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(OVER.replace("bitbucket-shared-read", "'a | <b>bold</b>'"))
    out = run_cli("diff", "--format", "markdown", os.devnull, str(plan)).out
    assert "<b>" not in out
    assert "| a \\| &lt;b&gt;bold&lt;/b&gt; | added |" in out


# Against git.


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / "plans").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (root / "plans" / "bb.yaml").write_text(OVER)
    (root / "plans" / "clean.yaml").write_text((EXAMPLES / "clean.yaml").read_text())
    (root / "plans" / "gone.yaml").write_text((EXAMPLES / "wrong-auth.yaml").read_text())
    (root / "ci.yaml").write_text("steps: [build]\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    monkeypatch.chdir(root)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    return root


def test_base_ref_covers_modified_added_deleted_and_untracked(repo: Path, run_cli: Run) -> None:
    (repo / "plans" / "bb.yaml").write_text(CHANGED.read_text())
    (repo / "plans" / "gone.yaml").unlink()
    (repo / "plans" / "new.yaml").write_text((EXAMPLES / "shared-identity.yaml").read_text())
    (repo / "ci.yaml").write_text("steps: [build, test]\n")  # not a plan: ignored
    data = diff_json(run_cli, "--base", "main")
    assert data["base"] == "main"
    statuses = {f["path"]: f["status"] for f in data["files"]}
    assert statuses == {
        "plans/bb.yaml": "modified",
        "plans/gone.yaml": "removed",
        "plans/new.yaml": "added",
    }
    assert data["escalation"] is True


def test_base_ref_compares_with_the_merge_base(repo: Path, run_cli: Run) -> None:
    """Changes made on main after the branch forked are not the branch's changes."""
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "plans" / "bb.yaml").write_text(CHANGED.read_text())
    git(repo, "commit", "-q", "-am", "feature")
    git(repo, "checkout", "-q", "main")
    (repo / "plans" / "clean.yaml").write_text((EXAMPLES / "endpoints.yaml").read_text())
    git(repo, "commit", "-q", "-am", "main moves on")
    git(repo, "checkout", "-q", "feature")
    data = diff_json(run_cli, "--base", "main")
    assert [f["path"] for f in data["files"]] == ["plans/bb.yaml"]


def test_base_ref_limited_to_paths_and_shown_relative_to_the_cwd(
    repo: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "plans" / "bb.yaml").write_text(CHANGED.read_text())
    (repo / "plans" / "gone.yaml").unlink()
    assert [f["path"] for f in diff_json(run_cli, "--base", "HEAD", "plans/bb.yaml")["files"]] == [
        "plans/bb.yaml"
    ]
    monkeypatch.chdir(repo / "plans")
    paths = [f["path"] for f in diff_json(run_cli, "--base", "HEAD")["files"]]
    assert paths == ["bb.yaml", "gone.yaml"]


def test_base_ref_with_nothing_changed(repo: Path, run_cli: Run) -> None:
    result = run_cli("diff", "--base", "HEAD", "--fail-on-escalation")
    assert (result.code, result.out) == (0, "No privilege changes.\n")


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("no-such-branch", "unknown git ref 'no-such-branch'"),
        ("--output=/tmp/x", "'--output=/tmp/x' is not a git ref"),
    ],
)
def test_bad_refs(repo: Path, run_cli: Run, ref: str, message: str) -> None:
    result = run_cli("diff", "--base", ref)
    assert result.code == 2
    assert message in result.err and result.err.count("\n") == 1


def test_outside_a_repository(
    tmp_path: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "not-a-repo"
    outside.mkdir()
    monkeypatch.chdir(outside)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = run_cli("diff", "--base", "main")
    assert result.code == 2
    assert result.err == (
        "scopelint: error: not inside a git repository (run it in one, or compare two "
        "files: diff OLD NEW)\n"
    )


def test_a_tool_added_by_the_config_catalog_is_known(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".scopelint.toml").write_text(
        '[[catalog.tools]]\nname = "getJiraIssueWatchers"\nproduct = "jira"\n'
        'group = "read_jira"\nscopes = ["read:jira-work"]\nsince = 2026-11-18\n',
        encoding="utf-8",
    )
    base = (
        "scopelint: 1\nconnections:\n  - name: j\n    auth: api-token\n"
        "    credential: personal\n    scopes: [read:jira-work]\n    tools:\n"
    )
    (tmp_path / "old.yaml").write_text(base + "      getJiraIssue: all\n", encoding="utf-8")
    (tmp_path / "new.yaml").write_text(
        base + "      getJiraIssue: all\n      getJiraIssueWatchers: all\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    conn = only_connection(diff_json(run_cli, "old.yaml", "new.yaml"))
    assert conn["actions"]["added"] == [{"action": "getJiraIssueWatchers", "level": "read"}]
