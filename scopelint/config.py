"""`.scopelint.toml` or `[tool.scopelint]` in pyproject.toml: strict keys, did-you-mean."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scopelint.findings import Severity
from scopelint.suggest import did_you_mean

CONFIG_FILE = ".scopelint.toml"
FAIL_ON_CHOICES = ("error", "warning", "info", "never")


class ConfigError(Exception):
    """A one-line message naming the file and the key."""


@dataclass
class Config:
    path: Path | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str | None = None
    format: str | None = None
    skip_unrecognized: bool = False
    exclude: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)  # rule code -> severity
    max_file_size: int | None = None
    max_nodes: int | None = None
    max_depth: int | None = None


_KEYS: dict[str, type | tuple[type, ...]] = {
    "select": list,
    "ignore": list,
    "fail-on": str,
    "format": str,
    "skip-unrecognized": bool,
    "exclude": list,
    "severity": dict,
    "max-file-size": int,
    "max-nodes": int,
    "max-depth": int,
}


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest config upward from `start`: .scopelint.toml, else a pyproject section."""
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate, _read(candidate)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            section = _read(pyproject).get("tool", {}).get("scopelint")
            if isinstance(section, dict):
                return pyproject, section
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def load_config(explicit: str | None, cwd: Path, rule_names: dict[str, str]) -> Config:
    """Read and validate the config; `rule_names` maps codes and names to codes."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{explicit}: config file not found")
        raw = _read(path)
        if path.name == "pyproject.toml":
            raw = raw.get("tool", {}).get("scopelint", {})
        found: tuple[Path, dict[str, Any]] | None = (path, raw)
    else:
        found = find_config(cwd)
    if found is None:
        return Config()
    return parse_config(found[0], found[1], rule_names)


def parse_config(path: Path, raw: dict[str, Any], rule_names: dict[str, str]) -> Config:
    config = Config(path=path)
    for key, raw_value in raw.items():
        value: Any = raw_value
        expected = _KEYS.get(key)
        if expected is None:
            raise ConfigError(f"{path}: unknown key '{key}'{did_you_mean(key, _KEYS)}")
        if not _has_type(value, expected):
            raise ConfigError(f"{path}: '{key}' must be a {_type_name(expected)}")
        attr = key.replace("-", "_")
        if key in ("select", "ignore"):
            for item in value:
                _check_selector(path, key, item, rule_names)
            setattr(config, attr, list(value))
        elif key == "exclude":
            if not all(isinstance(item, str) for item in value):
                raise ConfigError(f"{path}: 'exclude' must be a list of glob strings")
            config.exclude = list(value)
        elif key == "severity":
            config.severity = _severities(path, value, rule_names)
        elif key == "fail-on" and value not in FAIL_ON_CHOICES:
            raise ConfigError(
                f"{path}: 'fail-on' must be one of {', '.join(FAIL_ON_CHOICES)}"
                f"{did_you_mean(value, FAIL_ON_CHOICES)}"
            )
        elif key.startswith("max-") and value <= 0:
            raise ConfigError(f"{path}: '{key}' must be a positive number")
        else:
            setattr(config, attr, value)
    return config


def _has_type(value: Any, expected: type | tuple[type, ...]) -> bool:
    # bool is an int in Python, but `max-nodes = true` is a mistake.
    return isinstance(value, expected) and not (expected is int and isinstance(value, bool))


def _type_name(expected: type | tuple[type, ...]) -> str:
    names = {list: "list", str: "string", bool: "boolean", dict: "table", int: "whole number"}
    return names.get(expected, "value") if isinstance(expected, type) else "value"


def _check_selector(path: Path, key: str, item: object, rule_names: dict[str, str]) -> None:
    if not isinstance(item, str) or not matches_any_rule(item, rule_names):
        shown = item if isinstance(item, str) else repr(item)
        raise ConfigError(
            f"{path}: '{key}' names unknown rule '{shown}'{did_you_mean(str(item), rule_names)}"
        )


def matches_any_rule(selector: str, rule_names: dict[str, str]) -> bool:
    return selector in rule_names or any(
        code.startswith(selector.upper()) for code in rule_names.values()
    )


def _severities(
    path: Path, table: dict[str, Any], rule_names: dict[str, str]
) -> dict[str, Severity]:
    result = {}
    for rule, level in table.items():
        code = rule_names.get(rule) or rule_names.get(rule.upper())
        if code is None:
            raise ConfigError(
                f"{path}: [severity] names unknown rule '{rule}'{did_you_mean(rule, rule_names)}"
            )
        try:
            result[code] = Severity.parse(str(level))
        except ValueError as exc:
            raise ConfigError(f"{path}: [severity] {rule}: {exc}") from None
    return result
