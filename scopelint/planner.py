"""Least privilege as a pure function: intended actions in, minimal scope set out.

Shared by `check`, `scopes`, `diff` and `audit`. Scopes never imply each other, so the
minimal set is exactly the union of what each intended action needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from scopelint.catalog import Action, Catalog


class ScopeComparison(NamedTuple):
    needed: dict[str, tuple[Action, ...]]  # scope -> the actions that need it
    granted: tuple[str, ...]
    excess: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def minimal(self) -> bool:
        return not self.excess and not self.missing


def minimal_scopes(actions: Iterable[Action]) -> dict[str, tuple[Action, ...]]:
    """Each scope the actions need, in first-needed order, with the actions needing it."""
    needs: dict[str, list[Action]] = {}
    for action in actions:
        for scope in action.scopes:
            users = needs.setdefault(scope, [])
            # Catalog actions are shared objects: identity is equality, and far cheaper.
            if not any(user is action for user in users):
                users.append(action)
    return {scope: tuple(users) for scope, users in needs.items()}


def compare(needed: dict[str, tuple[Action, ...]], granted: Iterable[str]) -> ScopeComparison:
    granted_list = tuple(dict.fromkeys(granted))
    granted_set = set(granted_list)
    return ScopeComparison(
        needed=needed,
        granted=granted_list,
        excess=tuple(s for s in granted_list if s not in needed),
        missing=tuple(s for s in needed if s not in granted_set),
    )


def resolve_actions(catalog: Catalog, tool_name: str, wanted: Iterable[str] | None) -> list[Action]:
    """The catalog actions a plan names; None means `all`. Unknown names are skipped."""
    tool = catalog.tool(tool_name)
    if tool is None:
        return []
    if wanted is None:
        return list(tool.actions.values())
    actions: list[Action] = []
    for name in wanted:
        action = tool.actions.get(name)
        if action is None and tool.single_action and name in (tool_name, *tool.aliases):
            action = next(iter(tool.actions.values()))
        if action is not None:
            actions.append(action)
    return actions


class ActionLookup:
    """resolve_actions for one catalog, each answer computed once: a run asks about the
    same few tools and actions in every connection of every file."""

    __slots__ = ("_memo", "catalog")

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._memo: dict[tuple[str, tuple[str, ...] | None], tuple[Action, ...]] = {}

    def __call__(self, tool_name: str, wanted: tuple[str, ...] | None) -> tuple[Action, ...]:
        key = (tool_name, wanted)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = tuple(resolve_actions(self.catalog, tool_name, wanted))
        return found


def parse_action_list(catalog: Catalog, spec: str) -> tuple[list[Action], list[str]]:
    """`bitbucketPullRequest.create,getJiraIssue` -> actions, and the names not found.

    A tool without an action means all of its actions.
    """
    actions: list[Action] = []
    unknown: list[str] = []
    for item in filter(None, (part.strip() for part in spec.split(","))):
        tool_name, _, action_name = item.partition(".")
        tool = catalog.tool(tool_name)
        # Bitbucket actions may contain dots themselves (branch.get).
        if tool is None or (action_name and not resolve_actions(catalog, tool_name, [action_name])):
            unknown.append(item)
            continue
        actions.extend(resolve_actions(catalog, tool_name, [action_name] if action_name else None))
    return actions, unknown


def group_of(actions: Iterable[Action]) -> str:
    """The permission group the token screen lists a scope under."""
    groups = sorted({a.group for a in actions if a.group})
    return ", ".join(groups) if groups else "(no group)"
