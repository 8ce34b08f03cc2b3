"""The config file: strict keys, the JSON Schema shipped for editors, and its reference docs."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from scopelint import cli
from scopelint.catalog import load_rules
from scopelint.config import (
    CATALOG_ACTION_KEYS,
    CATALOG_KEYS,
    CATALOG_SCOPE_KEYS,
    CATALOG_TOOL_KEYS,
    CONFIG_KEYS,
    FORMAT_CHOICES,
    ConfigError,
    configured_catalog,
    configured_policy,
    load_config,
)
from scopelint.config_schema import schema_text
from scopelint.policy import OVERRIDE_KEYS, POLICY_KEYS, TOP_KEYS
from scopelint.report import FORMATS
from scopelint.selection import rule_name_index

from conftest import EXAMPLES, ROOT, CliResult

SCHEMA_PATH = ROOT / "docs" / "config.schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)
NAMES = rule_name_index(load_rules())
CONFIG_DOC = (ROOT / "docs" / "config.md").read_text(encoding="utf-8")
DOC_TOML = re.findall(r"```toml\n(.*?)```", CONFIG_DOC, re.S)
README_TOML = re.findall(
    r"```toml\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S
)


def as_json(value: Any) -> Any:
    """TOML data as a JSON document holds it: dates become YYYY-MM-DD strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return value


def load(tmp_path: Path, toml: str) -> None:
    """Read, extend and compile a config the way `check` does; raises ConfigError."""
    path = tmp_path / ".scopelint.toml"
    path.write_text(toml, encoding="utf-8")
    config = load_config(str(path), tmp_path, NAMES)
    configured_policy(config, configured_catalog(config))


def test_format_choices_follow_the_reporters() -> None:
    assert FORMAT_CHOICES == FORMATS == cli.FORMATS


def test_an_unknown_format_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"'format' must be one of text, json.*\(did you mean "
                                          r"'json'\?\)"):
        load(tmp_path, 'format = "jsn"\n')


def test_the_schema_is_generated_from_the_reader() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "docs/config.schema.json is out of date: "
        "python -m scopelint.config_schema > docs/config.schema.json"
    )
    jsonschema.Draft7Validator.check_schema(SCHEMA)


def _properties(schema: dict[str, Any], *path: str) -> dict[str, Any]:
    node = schema
    for part in path:
        node = node["items"] if part == "[]" else node["properties"][part]
    assert node["additionalProperties"] is False, path
    properties: dict[str, Any] = node["properties"]
    return properties


def test_every_key_the_reader_accepts_is_in_the_schema() -> None:
    assert list(_properties(SCHEMA)) == list(CONFIG_KEYS)
    assert list(_properties(SCHEMA, "catalog")) == list(CATALOG_KEYS)
    assert list(_properties(SCHEMA, "catalog", "tools", "[]")) == list(CATALOG_TOOL_KEYS)
    action = _properties(SCHEMA, "catalog", "tools", "[]")["actions"]["additionalProperties"]
    assert list(action["properties"]) == list(CATALOG_ACTION_KEYS)
    assert list(_properties(SCHEMA, "catalog", "scopes", "[]")) == list(CATALOG_SCOPE_KEYS)
    assert list(_properties(SCHEMA, "policy")) == list(TOP_KEYS)
    assert list(_properties(SCHEMA, "policy", "override", "[]")) == list(OVERRIDE_KEYS)
    assert set(_properties(SCHEMA, "policy", "forbid_products")) == {"api-token", "oauth"}


# Tables are documented by their TOML headers; every other key by its name in backticks.
TABLES = {"policy": "`[policy]`", "catalog": "`[[catalog.tools]]`",
          "override": "`[[policy.override]]`"}


@pytest.mark.parametrize(
    "key", [*CONFIG_KEYS, *POLICY_KEYS, *CATALOG_TOOL_KEYS, *CATALOG_SCOPE_KEYS, "override"]
)
def test_every_key_is_documented(key: str) -> None:
    assert TABLES.get(key, f"`{key}`") in CONFIG_DOC


def test_the_example_configs_validate_and_load(tmp_path: Path) -> None:
    examples = [(EXAMPLES / "policy" / ".scopelint.toml").read_text(encoding="utf-8"),
                *DOC_TOML, *README_TOML]
    assert len(DOC_TOML) >= 12 and README_TOML
    for text in examples:
        data = tomllib.loads(text)
        errors = [e.message for e in VALIDATOR.iter_errors(as_json(data))]
        assert not errors, (text, errors)
        load(tmp_path, text)


@pytest.mark.parametrize(
    "data",
    [
        {"selct": ["SL1"]},
        {"fail-on": "warnings"},
        {"select": ["SL9999"]},
        {"severity": {"SL101": "loud"}},
        {"max-nodes": 0},
        {"policy": {"forbid_scope": []}},
        {"policy": {"override": [{"global_read_only": True}]}},  # neither files nor connections
        {"policy": {"allowed_endpoints": ["/v3/mcp"]}},
        {"policy": {"forbid_products": {"oauth": ["jria"]}}},
        {"catalog": {"tools": [{"product": "jira"}]}},
        {"catalog": {"tools": [{"name": "x", "since": "18/11/2026"}]}},
        {"catalog": {"scopes": [{"name": "read:x", "level": "view"}]}},
    ],
)
def test_the_schema_rejects_what_the_reader_rejects(data: dict[str, Any]) -> None:
    assert list(VALIDATOR.iter_errors(data))


def test_the_error_shown_in_the_docs_is_real(run_cli: Callable[..., CliResult], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    shown = re.search(r"```console\n\$ scopelint check plans\n(.*?)\n```", CONFIG_DOC, re.S)
    assert shown is not None
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plans").mkdir()
    (tmp_path / ".scopelint.toml").write_text("[policy]\nforbid_scope = []\n", encoding="utf-8")
    result = run_cli("check", "plans")
    assert (result.code, result.err.rstrip("\n")) == (2, shown.group(1))
