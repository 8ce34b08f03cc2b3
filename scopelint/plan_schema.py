"""The JSON Schema of the token plan format, built from the same constants as the reader."""

from __future__ import annotations

import json
from typing import Any

from scopelint.sources.plan import (
    AUTH_VALUES,
    AVAILABILITY_VALUES,
    CREDENTIAL_VALUES,
    ORGANIZATION_KEYS,
    PLAN_VERSION,
)

SCHEMA_ID = "https://scopelint.dev/schemas/plan-v1.json"


def plan_schema() -> dict[str, Any]:
    from scopelint.catalog import load_catalog

    catalog = load_catalog()
    flag = {"type": ["boolean", "null"]}
    string_list = {"type": "array", "items": {"type": "string"}}
    connection = {
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "auth"],
        "properties": {
            "name": {"type": "string", "minLength": 1, "description": "Unique in the file."},
            "url": {"type": "string", "description": "The Rovo MCP endpoint (or gateway URL)."},
            "auth": {"enum": list(AUTH_VALUES)},
            "credential": {"enum": list(CREDENTIAL_VALUES)},
            "availability": {"enum": list(AVAILABILITY_VALUES)},
            "header": {
                "type": "string",
                "description": 'The Authorization value, e.g. "Bearer ${KEY}".',
            },
            "products": {"type": "array", "items": {"enum": catalog.products()}},
            "scopes": {**string_list, "description": "What the API token was created with."},
            "tools": {
                "type": "object",
                "description": "Intended tools -> their actions, or `all`.",
                "additionalProperties": {
                    "oneOf": [{"const": "all"}, {"const": True}, string_list],
                },
            },
        },
        "allOf": [
            {
                "if": {"properties": {"auth": {"const": "api-token"}}, "required": ["auth"]},
                "then": {"required": ["credential", "scopes"]},
            },
            {
                "if": {"properties": {"auth": {"const": "oauth"}}, "required": ["auth"]},
                "then": {
                    "not": {"anyOf": [{"required": ["scopes"]}, {"required": ["credential"]}]}
                },
            },
        ],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "scopelint token plan",
        "type": "object",
        "additionalProperties": False,
        "required": ["scopelint"],
        "properties": {
            "scopelint": {"const": PLAN_VERSION},
            "organization": {
                "type": ["object", "null"],
                "additionalProperties": False,
                "properties": {key: flag for key in ORGANIZATION_KEYS},
            },
            "connections": {"type": ["array", "null"], "items": connection},
        },
    }


def schema_text() -> str:
    return json.dumps(plan_schema(), indent=2) + "\n"
