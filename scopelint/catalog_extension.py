"""[[catalog.tools]] and [[catalog.scopes]] from the config: an extended copy of the catalog.

Atlassian ships tools between scopelint releases; a config can describe them so that plans
using them are checked like any other. Extensions only add: a bundled tool, action or scope
cannot be redefined, and every entry is held to the rules the bundled data follows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scopelint.catalog import (
    Action,
    Catalog,
    Tool,
    action_problems,
    scope_problems,
    tool_problems,
)
from scopelint.suggest import did_you_mean


class CatalogExtensionError(ValueError):
    """One thing wrong with one entry; `where` is its key in the config."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where


@dataclass(frozen=True)
class ScopeEntry:
    where: str  # e.g. catalog.scopes[0]
    name: str
    level: str | None  # None: the level the name starts with
    since: dt.date | None = None


@dataclass(frozen=True)
class ActionEntry:
    where: str
    name: str
    scopes: tuple[str, ...]
    group: str | None = None
    since: dt.date | None = None


@dataclass(frozen=True)
class ToolEntry:
    where: str  # e.g. catalog.tools[2]
    name: str
    product: str | None = None
    group: str | None = None  # for `scopes`, and the default for `actions`
    scopes: tuple[str, ...] | None = None  # a single-action tool
    actions: tuple[ActionEntry, ...] | None = None
    aliases: tuple[str, ...] = ()
    since: dt.date | None = None


@dataclass(frozen=True)
class CatalogExtension:
    tools: tuple[ToolEntry, ...] = ()
    scopes: tuple[ScopeEntry, ...] = ()


def extend_catalog(base: Catalog, extension: CatalogExtension, source: str) -> Catalog:
    """A copy of `base` with the extension's scopes and tools; `base` is left as it was."""
    catalog = base._replace(
        tools=dict(base.tools),
        scopes=dict(base.scopes),
        aliases=dict(base.aliases),
        extended_scopes=dict(base.extended_scopes),
        extended_by=source,
    )
    for scope in extension.scopes:
        _add_scope(catalog, base, scope)
    added: dict[str, str] = {}  # tool name -> the entry that added or extended it
    for entry in extension.tools:
        existing = catalog.tool(entry.name)
        canonical = existing.name if existing else entry.name
        if canonical in added:
            raise CatalogExtensionError(
                entry.where,
                f"{entry.name} is already described by {added[canonical]}; merge the two entries",
            )
        added[canonical] = entry.where
        tool = _extended_tool(existing, entry) if existing else _new_tool(catalog, entry)
        _check(catalog, tool, entry)
        catalog.tools[tool.name] = tool
        for alias in tool.aliases:
            catalog.aliases[alias] = tool.name
    return catalog


def _add_scope(catalog: Catalog, base: Catalog, entry: ScopeEntry) -> None:
    if entry.name in base.scopes:
        raise CatalogExtensionError(
            entry.where,
            f"scope '{entry.name}' is in the bundled catalog already ({base.scopes[entry.name]});"
            " remove the entry",
        )
    if entry.name in catalog.scopes:
        raise CatalogExtensionError(entry.where, f"scope '{entry.name}' is declared twice")
    level = entry.level or entry.name.split(":", 1)[0]
    for problem in scope_problems(entry.name, level):
        raise CatalogExtensionError(entry.where, problem)
    catalog.scopes[entry.name] = level
    catalog.extended_scopes[entry.name] = entry.since


def _new_tool(catalog: Catalog, entry: ToolEntry) -> Tool:
    if entry.product is None:
        raise CatalogExtensionError(
            entry.where,
            f"new tool {entry.name} needs a `product` ({', '.join(catalog.products())})"
            f"{did_you_mean(entry.name, catalog.tool_names())}",
        )
    if (entry.scopes is None) == (entry.actions is None):
        raise CatalogExtensionError(
            entry.where,
            f"new tool {entry.name} needs either `scopes` (a tool that is its own action) or "
            "`actions` (a table of action -> scopes), not "
            + ("both" if entry.scopes is not None else "neither"),
        )
    if entry.scopes is not None:
        actions = {
            entry.name: Action(entry.name, entry.name, entry.scopes, entry.group, True, entry.since)
        }
    else:
        actions = _actions(entry.name, entry, {})
    return Tool(entry.name, entry.product, actions, entry.aliases, True, entry.since)


def _extended_tool(tool: Tool, entry: ToolEntry) -> Tool:
    """New actions and aliases on a bundled tool."""
    shown = tool.name if entry.name == tool.name else f"{entry.name} (an alias of {tool.name})"
    if entry.product is not None and entry.product != tool.product:
        raise CatalogExtensionError(
            entry.where,
            f"{shown} is a {tool.product} tool; an extension cannot change its product",
        )
    if entry.scopes is not None:
        raise CatalogExtensionError(
            entry.where,
            f"{shown} is in the bundled catalog already; an extension can add `actions` "
            "or `aliases` to it, not redefine its scopes",
        )
    if entry.actions and tool.single_action:
        raise CatalogExtensionError(
            entry.where,
            f"{shown} is a single-action tool (the action is the tool itself); describe a "
            "new action as a new tool",
        )
    if not entry.actions and not entry.aliases:
        raise CatalogExtensionError(
            entry.where,
            f"{shown} is in the bundled catalog already; the entry adds no `actions` or `aliases`",
        )
    actions = _actions(tool.name, entry, tool.actions) if entry.actions else dict(tool.actions)
    return tool._replace(actions=actions, aliases=(*tool.aliases, *entry.aliases))


def _actions(tool: str, entry: ToolEntry, existing: dict[str, Action]) -> dict[str, Action]:
    actions = dict(existing)
    for spec in entry.actions or ():
        if spec.name in actions:
            raise CatalogExtensionError(
                spec.where,
                f"{tool}.{spec.name} is "
                + ("in the bundled catalog already" if spec.name in existing else "listed twice"),
            )
        actions[spec.name] = Action(
            tool, spec.name, spec.scopes, spec.group or entry.group, True, spec.since or entry.since
        )
    if not actions:
        raise CatalogExtensionError(entry.where, f"{tool} lists no actions")
    return actions


def _check(catalog: Catalog, tool: Tool, entry: ToolEntry) -> None:
    """The new parts of `tool`, held to the rules the bundled catalog follows."""
    for problem in tool_problems(tool, catalog):
        raise CatalogExtensionError(entry.where, problem)
    for alias in entry.aliases:
        if alias in catalog.tools or alias in catalog.aliases:
            owner = catalog.aliases.get(alias, alias)
            raise CatalogExtensionError(
                entry.where, f"alias '{alias}' is already the name of {owner} in the catalog"
            )
        if alias == tool.name:
            raise CatalogExtensionError(entry.where, f"{tool.name} cannot be its own alias")
    specs = {spec.name: spec.where for spec in entry.actions or ()}
    for action in tool.actions.values():
        if not action.extended:
            continue  # bundled actions are held to this by the tests
        for problem in action_problems(action, catalog):
            raise CatalogExtensionError(specs.get(action.name, entry.where), problem)
