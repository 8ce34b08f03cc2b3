"""`.scopelint.toml` or `[tool.scopelint]` in pyproject.toml: strict keys, did-you-mean.

The `[policy]` and `[catalog]` tables are read here too, but their modules load only when
a config has them: a run without a policy imports and computes nothing for one.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Collection
from typing import TYPE_CHECKING, Any, NoReturn

from scopelint.findings import Severity
from scopelint.suggest import did_you_mean

if TYPE_CHECKING:
    from pathlib import Path

    from scopelint.catalog import Catalog
    from scopelint.catalog_extension import CatalogExtension, ToolEntry
    from scopelint.policy import Policy

CONFIG_FILE = ".scopelint.toml"
FAIL_ON_CHOICES = ("error", "warning", "info", "never")
# Kept in step with scopelint.report.FORMATS (a test checks); importing the reporters here
# would load the engine just to read a config.
FORMAT_CHOICES = ("text", "json", "sarif", "junit", "github", "gitlab", "bitbucket", "markdown")
CATALOG_KEYS = ("tools", "scopes")
CATALOG_TOOL_KEYS = ("name", "product", "group", "scopes", "actions", "aliases", "since")
CATALOG_ACTION_KEYS = ("scopes", "group", "since")
CATALOG_SCOPE_KEYS = ("name", "level", "since")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ConfigError(Exception):
    """A one-line message naming the file and the key."""


class Table:
    """One table of the config: unknown keys and wrong types are errors naming the key."""

    def __init__(
        self, path: Path, where: str, raw: object, allowed: Collection[str] | None
    ) -> None:
        """`allowed` None: the keys are names the caller checks itself (actions …)."""
        self.path, self.where = path, where
        if not isinstance(raw, dict):
            raise ConfigError(f"{path}: '{where}' must be a table")
        for key in raw:
            if allowed is not None and key not in allowed:
                raise ConfigError(
                    f"{path}: unknown key '{key}' in {where}{did_you_mean(key, allowed)}; "
                    f"allowed: {', '.join(allowed)}"
                )
        self.raw: dict[str, Any] = raw

    def __contains__(self, key: str) -> bool:
        return key in self.raw

    def name(self, key: str) -> str:
        return f"{self.where}.{key}"

    def fail(self, key: str, message: str) -> NoReturn:
        raise ConfigError(f"{self.path}: '{self.name(key)}' {message}")

    def string(self, key: str, required: bool = False) -> str | None:
        value = self.raw.get(key)
        if value is None:
            if required:
                self.fail(key, "is required")
            return None
        if not isinstance(value, str) or not value:
            self.fail(key, "must be a non-empty string")
        return value

    def strings(self, key: str, *, single: bool = False) -> tuple[str, ...] | None:
        """A list of strings; with `single`, one string stands for a list of one."""
        value = self.raw.get(key)
        if value is None:
            return None
        if single and isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(key, "must be " + ("a string or " if single else "") + "a list of strings")
        return tuple(value)

    def boolean(self, key: str) -> bool | None:
        value = self.raw.get(key)
        if value is not None and not isinstance(value, bool):
            self.fail(key, "must be true or false")
        return value

    def positive_int(self, key: str) -> int | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            self.fail(key, "must be a positive whole number")
        return value

    def date(self, key: str) -> dt.date | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if isinstance(value, str) and _DATE.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        self.fail(key, "must be a date, YYYY-MM-DD")

    def table(self, key: str, allowed: Collection[str] | None) -> Table | None:
        value = self.raw.get(key)
        return None if value is None else Table(self.path, self.name(key), value, allowed)

    def tables(self, key: str, allowed: Collection[str]) -> list[Table]:
        """An array of tables (`[[where.key]]`), each read with `allowed` keys."""
        value = self.raw.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(key, f"must be an array of tables: write [[{self.name(key)}]]")
        return [
            Table(self.path, f"{self.name(key)}[{index}]", item, allowed)
            for index, item in enumerate(value)
        ]


class Config:
    """The settings a config file gives; parse_config fills it in key by key."""

    __slots__ = (
        "_extended",
        "catalog",
        "exclude",
        "fail_on",
        "format",
        "ignore",
        "max_depth",
        "max_file_size",
        "max_nodes",
        "path",
        "policy",
        "select",
        "severity",
        "skip_unrecognized",
    )

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.select: list[str] = []
        self.ignore: list[str] = []
        self.fail_on: str | None = None
        self.format: str | None = None
        self.skip_unrecognized = False
        self.exclude: list[str] = []
        self.severity: dict[str, Severity] = {}  # rule code -> severity
        self.max_file_size: int | None = None
        self.max_nodes: int | None = None
        self.max_depth: int | None = None
        # [[catalog.tools]] and [[catalog.scopes]]
        self.catalog: CatalogExtension | None = None
        self.policy: dict[str, Any] | None = None  # [policy], compiled against the catalog later
        # The extended catalog, built once however many callers ask for it.
        self._extended: Catalog | None = None


CONFIG_KEYS: dict[str, type | tuple[type, ...]] = {
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
    "catalog": dict,
    "policy": dict,
}


def find_config(start: str | os.PathLike[str]) -> tuple[str, dict[str, Any]] | None:
    """The nearest config upward from `start`: .scopelint.toml, else a pyproject section.

    Walked with os.path: most runs find no config, and pathlib would cost them more
    than the walk."""
    folder = os.path.abspath(start)
    while True:
        candidate = os.path.join(folder, CONFIG_FILE)
        if os.path.isfile(candidate):
            return candidate, _read(candidate)
        pyproject = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(pyproject):
            data = _read_bytes(pyproject)
            # Most pyproject files say nothing of scopelint; parsing one costs more than
            # the rest of a one-file run, and a [tool.scopelint] table must name us.
            if b"scopelint" in data:
                section = _parse(pyproject, data).get("tool", {}).get("scopelint")
                if isinstance(section, dict):
                    return pyproject, section
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _read(path: str | Path) -> dict[str, Any]:
    return _parse(path, _read_bytes(path))


def _read_bytes(path: str | Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def _parse(path: str | Path, data: bytes) -> dict[str, Any]:
    import tomllib  # only when a config file exists

    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: not UTF-8 ({exc.reason})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def load_config(
    explicit: str | None, cwd: str | os.PathLike[str], rule_names: dict[str, str]
) -> Config:
    """Read and validate the config; `rule_names` maps codes and names to codes."""
    near = find_config(cwd) if explicit is None else None
    if explicit is None and near is None:
        return Config()
    from pathlib import Path  # from here on a config exists: a rarer and longer run

    if near is not None:  # named as the user would: relative when below cwd
        return parse_config(Path(_shown(Path(near[0]))), near[1], rule_names)
    path = Path(str(explicit))
    if not path.is_file():
        raise ConfigError(f"{explicit}: config file not found")
    raw = _read(path)
    if path.name == "pyproject.toml":
        raw = raw.get("tool", {}).get("scopelint", {})
    return parse_config(path, raw, rule_names)


def parse_config(path: Path, raw: dict[str, Any], rule_names: dict[str, str]) -> Config:
    config = Config(path=path)
    for key, raw_value in raw.items():
        value: Any = raw_value
        expected = CONFIG_KEYS.get(key)
        if expected is None:
            raise ConfigError(f"{path}: unknown key '{key}'{did_you_mean(key, CONFIG_KEYS)}")
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
        elif key == "catalog":
            config.catalog = _catalog_extension(Table(path, "catalog", value, CATALOG_KEYS))
        elif key == "policy":
            config.policy = value
        elif key == "format" and value not in FORMAT_CHOICES:
            raise ConfigError(
                f"{path}: 'format' must be one of {', '.join(FORMAT_CHOICES)}"
                f"{did_you_mean(value, FORMAT_CHOICES)}"
            )
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
    if not selector.strip():
        return False  # an empty prefix would select every rule, or none
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


def _catalog_extension(table: Table) -> CatalogExtension:
    from scopelint.catalog_extension import CatalogExtension, ScopeEntry

    scopes = tuple(
        ScopeEntry(
            entry.where,
            entry.string("name", required=True) or "",
            entry.string("level"),
            entry.date("since"),
        )
        for entry in table.tables("scopes", CATALOG_SCOPE_KEYS)
    )
    tools = tuple(_tool_entry(entry) for entry in table.tables("tools", CATALOG_TOOL_KEYS))
    return CatalogExtension(tools, scopes)


def _tool_entry(entry: Table) -> ToolEntry:
    from scopelint.catalog_extension import ActionEntry, ToolEntry

    actions = entry.table("actions", None)  # action names are checked like bundled ones
    specs = None
    if actions is not None:
        specs = []
        for name in actions.raw:
            spec = Table(entry.path, actions.name(name), actions.raw[name], CATALOG_ACTION_KEYS)
            scopes = spec.strings("scopes")
            if scopes is None:
                spec.fail("scopes", "is required: the scopes an API token needs for the action")
            specs.append(
                ActionEntry(spec.where, name, scopes, spec.string("group"), spec.date("since"))
            )
    return ToolEntry(
        entry.where,
        entry.string("name", required=True) or "",
        product=entry.string("product"),
        group=entry.string("group"),
        scopes=entry.strings("scopes"),
        actions=tuple(specs) if specs is not None else None,
        aliases=entry.strings("aliases") or (),
        since=entry.date("since"),
    )


def configured_catalog(config: Config) -> Catalog:
    """The bundled catalog, extended by the config's [catalog] table when it has one."""
    from scopelint.catalog import load_catalog

    base = load_catalog()
    if config.catalog is None or config.path is None:
        return base
    if config._extended is None:
        from scopelint.catalog_extension import CatalogExtensionError, extend_catalog

        try:
            config._extended = extend_catalog(base, config.catalog, _shown(config.path))
        except CatalogExtensionError as exc:
            raise ConfigError(f"{config.path}: {exc}") from None
    return config._extended


def configured_policy(config: Config, catalog: Catalog) -> Policy | None:
    """The config's [policy], checked against `catalog`; None when there is none."""
    if config.policy is None or config.path is None:
        return None
    from scopelint.policy_config import compile_policy

    return compile_policy(config.path, config.policy, catalog)


def _shown(path: Path) -> str:
    """The config's path as users see it: relative to the working directory when inside it."""
    from pathlib import Path

    relative = os.path.relpath(path.resolve(), Path.cwd())
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()
