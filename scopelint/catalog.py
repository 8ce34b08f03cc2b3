"""The bundled knowledge in rules/*.yaml as typed, cached lookups."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml

from scopelint.findings import Severity
from scopelint.suggest import did_you_mean

if TYPE_CHECKING:
    from pathlib import Path

LEVELS = ("read", "search", "write", "delete", "admin")
PRIVILEGED_LEVELS = frozenset({"write", "delete", "admin"})
AUTH_METHODS = ("api-token", "oauth")
# Name shapes the catalog holds; a config that extends it is held to the same.
TOOL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
ACTION_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*")
SCOPE_NAME = re.compile(r"[a-z]+(?::[a-z0-9][a-z0-9-]*)+")
# The YAML sources under rules/, compiled together into catalog.json.
CATALOG_FILES = ("tools", "scopes", "endpoints", "rules")


_HERE = os.path.dirname(os.path.realpath(__file__))


def rules_dir() -> Path:
    """rules/ ships inside the wheel as scopelint/_rules; a checkout keeps it at the top."""
    import pathlib  # for tools and tests; a check run reads the rules with os.path

    return pathlib.Path(_rules_path())


def _rules_path() -> str:
    bundled = os.path.join(_HERE, "_rules")
    return bundled if os.path.isdir(bundled) else os.path.join(os.path.dirname(_HERE), "rules")


def source_digest(rules: str | os.PathLike[str]) -> int:
    """A checksum of the YAML sources, to tell when the compiled file is stale."""
    import zlib

    digest = 0
    for name in CATALOG_FILES:
        with open(os.path.join(rules, f"{name}.yaml"), "rb") as handle:
            digest = zlib.crc32(handle.read(), digest)
    return digest


class Action(NamedTuple):
    tool: str
    name: str
    scopes: tuple[str, ...]
    group: str | None
    extended: bool = False  # added by the config's [[catalog.tools]], not bundled
    since: dt.date | None = None  # when Atlassian shipped it, as the config says

    @property
    def label(self) -> str:
        """How users name the action: `tool.action`, or the tool alone for single-action tools."""
        return self.tool if self.name == self.tool else f"{self.tool}.{self.name}"


class Tool(NamedTuple):
    name: str
    product: str
    actions: dict[str, Action]
    aliases: tuple[str, ...] = ()
    extended: bool = False  # the whole tool comes from the config
    since: dt.date | None = None

    @property
    def single_action(self) -> bool:
        return list(self.actions) == [self.name]


class Endpoint(NamedTuple):
    path: str
    generation: str
    transport: str
    auth: tuple[str, ...]
    status: str
    sunset: dt.date | None = None


class RuleInfo(NamedTuple):
    code: str
    name: str
    severity: Severity
    summary: str
    what: str = ""
    why: str = ""
    example: str = ""
    example_file: str = "plan.yaml"
    fix: str = ""
    use_instead: str = ""
    tags: tuple[str, ...] = ()
    config: str = ""  # the .scopelint.toml the example is checked with (policy rules)
    as_of: str = ""  # the --as-of date the example is checked with, when it matters


class Catalog(NamedTuple):
    """The bundled catalog (or one a config extended): tools, scopes, endpoints."""

    tools: dict[str, Tool]
    scopes: dict[str, str]  # scope -> level
    endpoints: dict[str, Endpoint]
    matrix: dict[str, dict[str, tuple[str, ...]]]  # generation -> product -> auth methods
    host: str
    recommended: dict[str, str]  # auth -> endpoint path
    retrieved: dict[str, dt.date]  # catalog file -> date
    sources: dict[str, str]
    aliases: dict[str, str]  # alias -> canonical tool name
    groups: tuple[str, ...]  # Atlassian's permission groups
    # Scopes the config declared under [[catalog.scopes]], with their `since` dates.
    extended_scopes: dict[str, dt.date | None]
    extended_by: str | None = None  # the config file that extended this catalog

    @property
    def date(self) -> dt.date:
        """When the bundled data was retrieved; extensions never move it."""
        return max(self.retrieved.values())

    def tool(self, name: str) -> Tool | None:
        return self.tools.get(self.aliases.get(name, name))

    def tool_names(self) -> list[str]:
        return [*self.tools, *self.aliases]

    def products(self) -> list[str]:
        return sorted({p for table in self.matrix.values() for p in table})

    def level(self, scope: str) -> str | None:
        return self.scopes.get(scope)

    def allowed_auth(self, product: str, generation: str | None) -> tuple[str, ...]:
        """Auth methods that reach `product`; with no known generation, any that some allows."""
        if generation is not None:
            return self.matrix.get(generation, {}).get(product, AUTH_METHODS)
        methods = {m for table in self.matrix.values() for m in table.get(product, AUTH_METHODS)}
        return tuple(m for m in AUTH_METHODS if m in methods)


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


@cache
def _compiled() -> dict[str, Any] | None:
    """scopelint/catalog.json (see catalog_compile), unless rules/ has changed since.

    In a checkout, YAML that no longer matches the compiled file's checksum wins, so an
    edit takes effect at once; CI fails until the compiled file is regenerated.
    """
    try:
        with open(os.path.join(_HERE, "catalog.json"), encoding="utf-8") as handle:
            data: dict[str, Any] = json.load(handle)
    except OSError:
        return None
    source = _rules_path()
    # A checkout (not the wheel's bundled copy): edited YAML wins over a stale compile.
    if os.path.basename(source) == "rules" and data.get("source_digest") != source_digest(source):
        return None
    return data


def _load(name: str) -> dict[str, Any]:
    compiled = _compiled()
    if compiled is not None and name in compiled:
        data = compiled[name]
    else:
        with open(os.path.join(_rules_path(), f"{name}.yaml"), encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, dict):
        raise ValueError(f"rules/{name}.yaml is not a mapping")
    return data


def _tool(name: str, raw: dict[str, Any]) -> Tool:
    if "actions" in raw:
        actions = {
            action: Action(name, action, tuple(spec["scopes"]), spec.get("group"))
            for action, spec in raw["actions"].items()
        }
    else:
        actions = {name: Action(name, name, tuple(raw["scopes"]), raw.get("group"))}
    return Tool(name, raw["product"], actions, tuple(raw.get("aliases", ())))


def scope_problems(scope: str, level: str) -> Iterator[str]:
    if not SCOPE_NAME.fullmatch(scope):
        yield f"'{scope}' is not a scope name (level:resource[:product], lower case)"
    elif level not in LEVELS:
        yield f"scope '{scope}' has unknown level '{level}'{did_you_mean(level, LEVELS)}"
    elif scope.split(":", 1)[0] != level:
        yield f"scope '{scope}' has level '{level}', but its name says '{scope.split(':', 1)[0]}'"


def action_problems(action: Action, catalog: Catalog) -> Iterator[str]:
    """What is wrong with one action against the catalog's scopes and groups."""
    if action.name != action.tool and not ACTION_NAME.fullmatch(action.name):
        yield f"'{action.name}' is not an action name (letters, digits, dots)"
    if not action.scopes:
        yield f"{action.label} needs no scope; every action needs at least one"
    for scope in action.scopes:
        if scope not in catalog.scopes:
            yield (
                f"{action.label} names unknown scope '{scope}'"
                f"{did_you_mean(scope, catalog.scopes)}; declare it under [[catalog.scopes]] "
                "if Atlassian added it"
            )
    if action.group is not None and action.group not in catalog.groups:
        yield (
            f"{action.label} names unknown permission group '{action.group}'"
            f"{did_you_mean(action.group, catalog.groups)}"
        )


def tool_problems(tool: Tool, catalog: Catalog) -> Iterator[str]:
    """What is wrong with a tool's own fields (its actions are checked one by one)."""
    if not TOOL_NAME.fullmatch(tool.name):
        yield f"'{tool.name}' is not a tool name (letters and digits)"
    if tool.product not in catalog.products():
        yield (
            f"{tool.name} has unknown product '{tool.product}'"
            f"{did_you_mean(tool.product, catalog.products())}; products: "
            f"{', '.join(catalog.products())}"
        )
    for alias in tool.aliases:
        if not TOOL_NAME.fullmatch(alias):
            yield f"'{alias}' is not a tool name (letters and digits)"


def catalog_problems(catalog: Catalog) -> list[str]:
    """Every inconsistency in a catalog: the bundled data is held to this in the tests."""
    problems = [p for scope, level in catalog.scopes.items() for p in scope_problems(scope, level)]
    for tool in catalog.tools.values():
        problems.extend(tool_problems(tool, catalog))
        for action in tool.actions.values():
            problems.extend(action_problems(action, catalog))
    for alias, name in catalog.aliases.items():
        if alias in catalog.tools:
            problems.append(f"alias '{alias}' of {name} is also a tool's name")
    return problems


@cache
def load_catalog() -> Catalog:
    tools_data, scopes_data, endpoints_data = _load("tools"), _load("scopes"), _load("endpoints")
    tools = {name: _tool(name, raw) for name, raw in tools_data["tools"].items()}
    aliases = {alias: tool.name for tool in tools.values() for alias in tool.aliases}
    scopes = {scope: level for level, names in scopes_data["scopes"].items() for scope in names}
    endpoints = {
        path: Endpoint(
            path,
            spec["generation"],
            spec["transport"],
            tuple(spec["auth"]),
            spec["status"],
            _date(spec["sunset"]) if spec.get("sunset") else None,
        )
        for path, spec in endpoints_data["endpoints"].items()
    }
    matrix = {
        generation: {product: tuple(methods) for product, methods in table.items()}
        for generation, table in endpoints_data["matrix"].items()
    }
    files = {"tools": tools_data, "scopes": scopes_data, "endpoints": endpoints_data}
    return Catalog(
        tools=tools,
        scopes=scopes,
        endpoints=endpoints,
        matrix=matrix,
        host=endpoints_data["host"],
        recommended=dict(endpoints_data["recommended"]),
        retrieved={name: _date(data["retrieved"]) for name, data in files.items()},
        sources={name: str(data["source"]) for name, data in files.items()},
        aliases=aliases,
        groups=tuple(tools_data.get("groups", ())),
        extended_scopes={},
    )


@cache
def load_rules() -> dict[str, RuleInfo]:
    """Rule documentation by code, in the order of rules/rules.yaml."""
    data = _load("rules")
    rules: dict[str, RuleInfo] = {}
    for raw in data["rules"]:
        rules[raw["code"]] = RuleInfo(
            code=raw["code"],
            name=raw["name"],
            severity=Severity.parse(raw["severity"]),
            summary=raw["summary"].strip(),
            what=raw.get("what", "").strip(),
            why=raw.get("why", "").strip(),
            example=raw.get("example", ""),
            example_file=raw.get("example_file", "plan.yaml"),
            fix=raw.get("fix", "").strip(),
            use_instead=raw.get("use_instead", ""),
            tags=tuple(raw.get("tags", ())),
            config=raw.get("config", ""),
            as_of=str(raw.get("as_of", "")),
        )
    return rules


def rules_by_name() -> dict[str, RuleInfo]:
    return {rule.name: rule for rule in load_rules().values()}
