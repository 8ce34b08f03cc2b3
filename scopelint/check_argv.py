"""The `check` command line read without click, for the runs where start-up is the cost.

Importing click takes about a third of a one-file pre-commit run. The command lines
pre-commit and CI send are plain: `check`, a few options, file names. This parser accepts
exactly those and gives up (returns None) on anything else: help, a typo, a bad value,
bundled short flags, a value that looks like an option. Click then handles the command
line as before, with its messages. The option table below mirrors the click command in
`scopelint.cli`; tests hold the two to the same options and the same results.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import NamedTuple

from scopelint.commands.check_main import CheckOptions

# Kept in step with scopelint.report.FORMATS (a test checks); importing that package here
# would load the engine before `--help` or `--version` need it.
FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab", "bitbucket", "markdown")
FAIL_ON = ("error", "warning", "info", "never")

_REJECT = object()  # a value click would refuse: leave the whole command line to click

Converter = Callable[[str], object]


def _text(value: str) -> object:
    return value


def _choice(choices: tuple[str, ...]) -> Converter:
    return lambda value: value if value in choices else _REJECT


def _file(value: str) -> object:
    """click.Path(dir_okay=False): not a directory, and readable when it exists."""
    return value if _readable_if_present(value, directory_ok=False) else _REJECT


def _date(value: str) -> object:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return _REJECT


def _jobs(value: str) -> object:
    """click.IntRange(min=0)."""
    try:
        number = int(value)
    except ValueError:
        return _REJECT
    return number if number >= 0 else _REJECT


def _readable_if_present(path: str, directory_ok: bool) -> bool:
    """What click.Path checks of a path that need not exist."""
    is_directory = os.path.isdir(path)
    if not (is_directory or os.path.exists(path)):
        return True
    if is_directory and not directory_ok:
        return False
    return os.access(path, os.R_OK)


class Option(NamedTuple):
    dest: str  # the keyword of CheckOptions (and of the click command)
    flags: tuple[str, ...]
    convert: Converter | None  # None: a flag, which takes no value
    multiple: bool = False


OPTIONS = (
    Option("select", ("--select",), _text, multiple=True),
    Option("ignore", ("--ignore",), _text, multiple=True),
    Option("as_of", ("--as-of",), _date),
    Option("config_path", ("--config",), _file),
    Option("exclude", ("--exclude",), _text, multiple=True),
    Option("output_format", ("--format",), _choice(FORMATS)),
    Option("output", ("--output", "-o"), _file),
    Option("baseline_path", ("--baseline",), _file),
    Option("write_baseline_path", ("--write-baseline",), _file),
    Option("apply_fixes", ("--fix",), None),
    Option("show_diff", ("--diff",), None),
    Option("fail_on", ("--fail-on",), _choice(FAIL_ON)),
    Option("skip_unrecognized", ("--skip-unrecognized",), None),
    Option("no_color", ("--no-color",), None),
    Option("quiet", ("--quiet", "-q"), None),
    Option("statistics", ("--statistics",), None),
    Option("jobs", ("--jobs", "-j"), _jobs),
)
_BY_FLAG = {flag: option for option in OPTIONS for flag in option.flags}


def parse_check(argv: list[str]) -> CheckOptions | None:
    """The options of `scopelint check …`, or None when click should read `argv`."""
    if not argv or argv[0] != "check":
        return None
    values: dict[str, object] = {}
    repeated: dict[str, list[object]] = {}
    paths: list[str] = []
    position = 1
    while position < len(argv):
        arg = argv[position]
        position += 1
        if arg == "--":
            paths.extend(argv[position:])
            break
        if arg[:1] != "-" or arg == "-":
            paths.append(arg)
            continue
        name, equals, inline = arg.partition("=") if arg[:2] == "--" else (arg, "", "")
        option = _BY_FLAG.get(name)
        if option is None:
            return None
        if option.convert is None:
            if equals:
                return None
            values[option.dest] = True
            continue
        if equals:
            raw = inline
        elif position < len(argv) and argv[position][:1] != "-":
            raw = argv[position]
            position += 1
        else:  # missing, or a value that looks like an option: click decides
            return None
        value = option.convert(raw)
        if value is _REJECT:
            return None
        if option.multiple:
            repeated.setdefault(option.dest, []).append(value)
        else:
            values[option.dest] = value
    if not all(_readable_if_present(path, directory_ok=True) for path in paths):
        return None
    for dest, items in repeated.items():
        values[dest] = tuple(items)
    return CheckOptions(paths=tuple(paths), **values)  # type: ignore[arg-type]
