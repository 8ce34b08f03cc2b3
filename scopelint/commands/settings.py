"""From command-line options and the config file to what a command runs with.

Click-free, like everything a `check` run loads: the click commands and the fast path in
`scopelint.entry` share these. Problems raise `UsageError` (exit 2).
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, NoReturn

from scopelint.exits import UsageError

if TYPE_CHECKING:
    from scopelint.catalog import Catalog, RuleInfo
    from scopelint.config import Config
    from scopelint.engine import Options


def fail(message: str) -> NoReturn:
    raise UsageError(message)


def split_selectors(values: tuple[str, ...]) -> list[str]:
    """`--select SL1,SL2 --select SL3` → the three selectors."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def run_settings(
    rules: dict[str, RuleInfo],
    config_path: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    as_of: dt.date | None,
    exclude: tuple[str, ...],
    skip_unrecognized: bool | None = None,
) -> tuple[Config, Options]:
    """The config file, and the engine options it and the command line give (check, audit)."""
    from scopelint.config import matches_any_rule
    from scopelint.engine import Options
    from scopelint.selection import rule_name_index
    from scopelint.sources.reading import Limits

    names = rule_name_index(rules)
    config = load_config(config_path, names)
    for option, values in (("--select", select), ("--ignore", ignore)):
        for selector in split_selectors(values):
            if not matches_any_rule(selector, names):
                from scopelint.suggest import did_you_mean

                fail(f"{option}: unknown rule '{selector}'{did_you_mean(selector, names)}")
    defaults = Limits()
    options = Options(
        select=split_selectors(select) or config.select,
        ignore=split_selectors(ignore) + config.ignore,
        severity=config.severity,
        as_of=as_of or dt.date.today(),
        skip_unrecognized=bool(skip_unrecognized) or config.skip_unrecognized,
        exclude=[*exclude, *config.exclude],
        limits=Limits(
            max_file_size=config.max_file_size or defaults.max_file_size,
            max_nodes=config.max_nodes or defaults.max_nodes,
            max_depth=config.max_depth or defaults.max_depth,
        ),
    )
    from scopelint.config import ConfigError, configured_catalog, configured_policy

    try:
        options.policy = configured_policy(config, configured_catalog(config))
    except ConfigError as exc:
        fail(str(exc))
    return config, options


def configured_catalog_at(config_path: str | None) -> Catalog:
    """The catalog as the config extends it, for commands that only show it."""
    from scopelint.catalog import load_rules
    from scopelint.config import ConfigError, configured_catalog
    from scopelint.selection import rule_name_index

    config = load_config(config_path, rule_name_index(load_rules()))
    try:
        return configured_catalog(config)
    except ConfigError as exc:
        fail(str(exc))


def load_config(config_path: str | None, names: dict[str, str]) -> Config:
    """The config file (named, or found upward); a bad one is a usage error."""
    from scopelint.config import ConfigError
    from scopelint.config import load_config as read_config

    try:
        return read_config(config_path, os.getcwd(), names)
    except ConfigError as exc:
        fail(str(exc))


def emit(report: str, output: str | None) -> None:
    """The report to standard output, or to the file `--output` names."""
    if output is None:
        from scopelint.console import echo

        echo(report, nl=False)
        return
    directory = os.path.dirname(output)
    try:
        if directory:
            os.makedirs(directory, exist_ok=True)  # e.g. test-results/
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(report)
    except OSError as exc:
        fail(f"{output}: cannot write the report: {exc.strerror}")
