"""`scopelint check` from parsed options to exit: the click command and the fast path in
`scopelint.entry` both end here, so they cannot drift apart."""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import NamedTuple, NoReturn


class CheckOptions(NamedTuple):
    """The options of `check`, named and typed as click hands them to the command."""

    paths: tuple[str, ...] = ()
    output_format: str | None = None
    output: str | None = None
    baseline_path: str | None = None
    write_baseline_path: str | None = None
    apply_fixes: bool = False
    show_diff: bool = False
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    as_of: dt.date | None = None
    config_path: str | None = None
    skip_unrecognized: bool | None = None
    exclude: tuple[str, ...] = ()
    no_color: bool = False
    quiet: bool = False
    statistics: bool = False
    jobs: int = 0


def check_command(opts: CheckOptions) -> NoReturn:
    """Lint, report and exit; a usage problem raises `UsageError`."""
    from scopelint.catalog import load_rules
    from scopelint.commands.check import CheckRequest, run_check
    from scopelint.commands.settings import emit, fail, run_settings
    from scopelint.config import configured_catalog
    from scopelint.console import echo
    from scopelint.engine import Engine

    rules = load_rules()
    config, options = run_settings(
        rules,
        opts.config_path,
        opts.select,
        opts.ignore,
        opts.as_of,
        opts.exclude,
        opts.skip_unrecognized,
    )
    options.jobs = opts.jobs
    if opts.apply_fixes and "-" in opts.paths and not opts.show_diff:
        fail("--fix cannot rewrite standard input; use --diff to see the fixes")
    if opts.show_diff and opts.output_format is not None:
        fail("--diff prints a patch; it does not combine with --format")
    if opts.show_diff and opts.write_baseline_path is not None:
        fail("--diff writes nothing; it does not combine with --write-baseline")
    engine = Engine(configured_catalog(config), rules, options)
    request = CheckRequest(
        paths=list(opts.paths) or ["."],
        output_format=opts.output_format or config.format,
        fail_on=opts.fail_on or config.fail_on or "warning",
        colour=opts.output is None
        and not opts.no_color
        and "NO_COLOR" not in os.environ
        and sys.stdout.isatty(),
        quiet=opts.quiet,
        statistics=opts.statistics,
        baseline=opts.baseline_path,
        write_baseline=opts.write_baseline_path,
        fix=opts.apply_fixes,
        show_diff=opts.show_diff,
        github_actions=os.environ.get("GITHUB_ACTIONS") == "true",
    )
    outcome = run_check(engine, request)  # a CheckError is a UsageError: exit 2
    if outcome.report or request.write_baseline is None:
        emit(outcome.report, opts.output)
    if outcome.annotations:
        echo(outcome.annotations, nl=False)
    for message in outcome.messages:
        echo(message, err=True)
    sys.exit(outcome.exit_code)
