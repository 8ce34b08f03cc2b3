"""The JSON Schema of the config, for editors: docs/config.schema.json is generated from here.

`python -m scopelint.config_schema > docs/config.schema.json` rewrites it; a test fails when
the committed file drifts. Draft-07, which TOML editors (Taplo, Even Better TOML) and
SchemaStore read. Names come from the same constants the reader checks against.
"""

from __future__ import annotations

import json
from typing import Any

from scopelint.catalog import AUTH_METHODS, LEVELS, load_catalog, load_rules
from scopelint.config import (
    CATALOG_ACTION_KEYS,
    CATALOG_KEYS,
    CATALOG_SCOPE_KEYS,
    CATALOG_TOOL_KEYS,
    CONFIG_KEYS,
    FAIL_ON_CHOICES,
    FORMAT_CHOICES,
)
from scopelint.policy import OVERRIDE_KEYS, SELECTOR_KEYS, TOP_KEYS

SCHEMA_ID = "https://scopelint.dev/schemas/config.json"
_DATE = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}$",
    "description": "YYYY-MM-DD (a TOML date or a string)",
}
_STRINGS = {"type": "array", "items": {"type": "string", "minLength": 1}}


def _obj(properties: dict[str, Any], keys: tuple[str, ...], **extra: Any) -> dict[str, Any]:
    """An object with exactly `keys`, in the reader's order."""
    assert set(properties) == set(keys), set(properties) ^ set(keys)
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {k: properties[k] for k in keys},
        **extra,
    }


def _globs(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "anyOf": [{"type": "string", "minLength": 1}, {**_STRINGS, "minItems": 1}],
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/definitions/{name}"}


def _definitions() -> dict[str, Any]:
    """Shared value shapes; their lists are what editors offer to complete."""
    catalog = load_catalog()
    rules = load_rules()
    rule_names = [*rules, *(rule.name for rule in rules.values())]
    return {
        "rule": {
            "type": "string",
            "anyOf": [{"enum": rule_names}, {"pattern": "^[Ss][Ll][0-9]{0,3}$"}],
            "description": "A rule code, name or code prefix (SL1).",
        },
        "ruleName": {"enum": [*rule_names, *(code.lower() for code in rules)]},
        "scope": {"type": "string", "minLength": 1, "examples": list(catalog.scopes)},
        "scopeGlob": {
            "type": "string",
            "minLength": 1,
            "examples": [*(f"{level}:*" for level in LEVELS), *catalog.scopes],
            "description": "A scope name or glob (* matches anything, colons too).",
        },
        "product": {"enum": catalog.products()},
        "group": {"enum": list(catalog.groups), "description": "Atlassian's permission group."},
        "date": _DATE,
    }


def _policy_properties() -> dict[str, Any]:
    catalog = load_catalog()
    scope_globs = {"type": "array", "items": _ref("scopeGlob")}
    products = {"type": "array", "items": _ref("product")}
    return {
        "forbid_scopes": {
            **scope_globs,
            "description": "Scope globs no connection may hold, e.g. admin:* or "
            "delete:*:bitbucket (SL801).",
        },
        "allow_scopes": {
            **scope_globs,
            "description": "Scope globs a connection may hold; any other scope is a finding "
            "(SL802).",
        },
        "max_scopes_per_connection": {
            "type": "integer",
            "minimum": 1,
            "description": "The most distinct scopes one connection may hold (SL803).",
        },
        "global_read_only": {
            "type": "boolean",
            "description": "A global connection may hold only read and search scopes (SL804).",
        },
        "require_service_account_for_global": {
            "type": "boolean",
            "description": "A global api-token connection must use a service-account key (SL805).",
        },
        "allowed_endpoints": {
            "type": "array",
            "items": {"enum": [*catalog.endpoints, *(f"{p}/" for p in catalog.endpoints)]},
            "description": "The endpoint paths connections may use (SL806).",
        },
        "require_header_reference": {
            "type": "boolean",
            "description": "An Authorization header must be a ${VAR} reference (SL807).",
        },
        "forbid_products": {
            **_obj({m: products for m in AUTH_METHODS}, AUTH_METHODS),
            "description": "Products no connection with this auth method may reach (SL808).",
        },
    }


def _policy() -> dict[str, Any]:
    rules = _policy_properties()
    selectors = {
        "files": _globs(
            "Path globs from the config's folder: * within a folder, ** across folders; "
            "a glob without / matches a file name anywhere."
        ),
        "connections": _globs("Connection names (plans) or server names (client configs)."),
    }
    override = _obj(
        {**selectors, **rules},
        OVERRIDE_KEYS,
        anyOf=[{"required": [key]} for key in SELECTOR_KEYS],
        description="The policy for the files and connections the globs match; its keys "
        "replace the policy's, and later entries win.",
    )
    return _obj(
        {**rules, "override": {"type": "array", "items": override}},
        TOP_KEYS,
        description="The organization's own rules, on top of least privilege (SL8xx).",
    )


def _catalog() -> dict[str, Any]:
    scopes = {"type": "array", "minItems": 1, "items": _ref("scope")}
    group = _ref("group")
    action = _obj(
        {"scopes": scopes, "group": group, "since": _ref("date")},
        CATALOG_ACTION_KEYS,
        required=["scopes"],
    )
    tool = _obj(
        {
            "name": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_]*$"},
            "product": _ref("product"),
            "group": group,
            "scopes": {**scopes, "description": "A tool that is its own action."},
            "actions": {
                "type": "object",
                "additionalProperties": action,
                "description": "Action name -> the scopes it needs.",
            },
            "aliases": {**_STRINGS, "description": "Other names of the tool (v2 renames)."},
            "since": _ref("date"),
        },
        CATALOG_TOOL_KEYS,
        required=["name"],
        description="A tool the bundled catalog lacks, or new actions and aliases of one.",
    )
    scope = _obj(
        {
            "name": {"type": "string", "pattern": "^[a-z]+(:[a-z0-9][a-z0-9-]*)+$"},
            "level": {"enum": list(LEVELS)},
            "since": _ref("date"),
        },
        CATALOG_SCOPE_KEYS,
        required=["name"],
        description="A scope the bundled catalog lacks.",
    )
    return _obj(
        {"tools": {"type": "array", "items": tool}, "scopes": {"type": "array", "items": scope}},
        CATALOG_KEYS,
        description="Additions to the bundled catalog of tools and scopes.",
    )


def config_schema() -> dict[str, Any]:
    selector = _ref("rule")
    size = {"type": "integer", "minimum": 1}
    top = {
        "select": {"type": "array", "items": selector, "description": "Rules to run."},
        "ignore": {"type": "array", "items": selector, "description": "Rules to skip."},
        "fail-on": {"enum": list(FAIL_ON_CHOICES)},
        "format": {"enum": list(FORMAT_CHOICES)},
        "skip-unrecognized": {"type": "boolean"},
        "exclude": {**_STRINGS, "description": "Path globs that directory walks skip."},
        "severity": {
            "type": "object",
            "propertyNames": _ref("ruleName"),
            "additionalProperties": {"enum": ["error", "warning", "info"]},
            "description": "Rule code or name -> severity.",
        },
        "max-file-size": {**size, "description": "Bytes; larger files are an SL001 finding."},
        "max-nodes": {**size, "description": "YAML nodes once aliases are expanded."},
        "max-depth": {**size, "description": "Nesting levels."},
        "catalog": _catalog(),
        "policy": _policy(),
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "scopelint configuration",
        "description": ".scopelint.toml, or the [tool.scopelint] table of pyproject.toml",
        **_obj(top, tuple(CONFIG_KEYS)),
        "definitions": _definitions(),
    }


def schema_text() -> str:
    return json.dumps(config_schema(), indent=2) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
