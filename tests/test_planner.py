from __future__ import annotations

from scopelint.catalog import load_catalog
from scopelint.planner import compare, minimal_scopes, parse_action_list, resolve_actions

CATALOG = load_catalog()


def test_minimal_set_records_which_actions_need_each_scope() -> None:
    actions = resolve_actions(CATALOG, "bitbucketPullRequest", ["list", "create", "diff"])
    needed = minimal_scopes(actions)
    assert list(needed) == ["read:pullrequest:bitbucket", "write:pullrequest:bitbucket"]
    assert [a.label for a in needed["read:pullrequest:bitbucket"]] == [
        "bitbucketPullRequest.list", "bitbucketPullRequest.diff"]


def test_all_expands_to_every_action() -> None:
    actions = resolve_actions(CATALOG, "bitbucketEnvironment", None)
    assert {a.name for a in actions} == {"list", "get", "create", "delete", "update"}
    assert set(minimal_scopes(actions)) == {"read:pipeline:bitbucket", "admin:pipeline:bitbucket"}


def test_scopes_never_imply_each_other() -> None:
    needed = minimal_scopes(resolve_actions(CATALOG, "bitbucketRepoContent", ["files.get"]))
    result = compare(needed, ["write:repository:bitbucket"])
    assert result.missing == ("read:repository:bitbucket",)
    assert result.excess == ("write:repository:bitbucket",)
    assert not result.minimal


def test_an_action_may_need_several_scopes() -> None:
    needed = minimal_scopes(resolve_actions(CATALOG, "updateJsmOpsAlert", None))
    assert set(needed) == {"read:ops-alert:jira-service-management",
                           "write:ops-alert:jira-service-management"}


def test_action_list_parsing() -> None:
    actions, unknown = parse_action_list(
        CATALOG, "bitbucketRepoContent.branch.get, getJiraIssue,nope.x,bitbucketPullRequest.zap")
    assert [a.label for a in actions] == ["bitbucketRepoContent.branch.get", "getJiraIssue"]
    assert unknown == ["nope.x", "bitbucketPullRequest.zap"]


def test_aliases_resolve_to_the_same_scopes() -> None:
    assert minimal_scopes(resolve_actions(CATALOG, "listJiraProjects", None)) .keys() == {
        "read:jira-work"}
