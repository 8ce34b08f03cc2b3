"""The command line: options in, results out. No linting logic lives here.

The executable starts in `scopelint.entry`, which runs plain `check` command lines
without click; this module serves every other command line, and is held to the same
options as that fast path by tests.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from scopelint import __version__
from scopelint.check_argv import FAIL_ON, FORMATS
from scopelint.commands.settings import configured_catalog_at, emit, fail, run_settings
from scopelint.exits import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, UsageError

# Kept in step with scopelint.commands.audit.AUDIT_FORMATS (a test checks); importing it
# here would load the engine before `--help` or `--version` need it.
AUDIT_FORMATS = ("text", "markdown", "json", "html")


class UsageProblem(click.ClickException):
    """A one-line error with exit code 2."""

    exit_code = EXIT_ERROR

    def show(self, file: Any = None) -> None:
        from scopelint.credentials import redact

        # Messages can quote what a user typed or a file held: a token never goes out.
        click.echo(f"scopelint: error: {redact(self.format_message())}", err=True)


class _Group(click.Group):
    """Commands raise the click-free `UsageError`; click shows it as its own error."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            raise UsageProblem(str(exc)) from None


def _version_text() -> str:
    from scopelint.catalog import load_catalog

    return f"scopelint {__version__} (catalog {load_catalog().date.isoformat()})"


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(_version_text())
        ctx.exit()


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date (YYYY-MM-DD)") from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the package and catalog versions.",
)
def cli() -> None:
    """Least-privilege linter for Atlassian Rovo MCP server token plans and client configs."""


F = TypeVar("F", bound=Callable[..., Any])


def _run_options(command: F) -> F:
    """The options `check` and `audit` share: which rules, which date, which config, which
    paths. Both hand them to `run_settings`."""
    for option in reversed(
        (
            click.option(
                "--select", multiple=True, help="Rules to run: codes, names or prefixes (SL1)."
            ),
            click.option(
                "--ignore", multiple=True, help="Rules to skip: codes, names or prefixes."
            ),
            click.option(
                "--as-of", callback=_parse_date, help="Date for sunset checks (default: today)."
            ),
            click.option(
                "--config",
                "config_path",
                type=click.Path(dir_okay=False),
                help="Config file (default: .scopelint.toml or pyproject.toml, found upward).",
            ),
            click.option(
                "--exclude",
                multiple=True,
                metavar="GLOB",
                help="Skip paths matching this glob in directory walks (repeatable; adds to "
                "`exclude`).",
            ),
        )
    ):
        command = option(command)
    return command


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@_run_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format (default: text; in GitHub Actions, text plus annotations).",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(dir_okay=False),
    help="Hide the findings recorded in this baseline file; report the rest.",
)
@click.option(
    "--write-baseline",
    "write_baseline_path",
    type=click.Path(dir_okay=False),
    help="Record the current findings in this baseline file and exit 0.",
)
@click.option("--fix", "apply_fixes", is_flag=True, help="Apply safe fixes in place.")
@click.option("--diff", "show_diff", is_flag=True, help="Show safe fixes as a diff; write nothing.")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default=None,
    help="Lowest severity that makes the exit code 1 (default: warning).",
)
@click.option(
    "--skip-unrecognized",
    is_flag=True,
    default=None,
    help="Skip named files that are neither token plans nor known client configs (for pre-commit).",
)
@click.option("--no-color", is_flag=True, help="No colour (also: NO_COLOR).")
@click.option("--quiet", "-q", is_flag=True, help="Findings only: no source lines or summary.")
@click.option("--statistics", is_flag=True, help="Count findings per rule.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    help="Worker processes (default 0: one per CPU when there are 64 files or more).",
)
def check(**options: Any) -> None:
    """Lint token plans and MCP client configs, or the trees holding them. '-' reads stdin."""
    from scopelint.commands.check_main import CheckOptions, check_command

    # The parameters are CheckOptions' fields; the fast path builds the same record.
    check_command(CheckOptions(**options))


@cli.command()
@click.argument("plan", required=False, type=click.Path())
@click.option("--connection", "connection_name", help="Only this connection.")
@click.option("--tools", "tool_spec", help="Compute a set with no plan: tool.action,tool,…")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Config whose [[catalog.tools]] extend the catalog (default: found upward).",
)
def scopes(
    plan: str | None,
    connection_name: str | None,
    tool_spec: str | None,
    output_format: str,
    config_path: str | None,
) -> None:
    """The minimal scope set per connection, and what is granted, excess or missing."""
    from scopelint.commands.scopes import scopes_command

    catalog = configured_catalog_at(config_path)
    try:
        text = scopes_command(plan, connection_name, tool_spec, output_format, catalog)
    except ValueError as exc:
        fail(str(exc))
    click.echo(text, nl=False)


@cli.command(name="diff")
@click.argument("files", nargs=-1, type=click.Path())
@click.option(
    "--base",
    "base_ref",
    metavar="REF",
    help="Compare the working tree with this git ref (where the branch forked from it).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    help="Output format (default: text).",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option(
    "--fail-on-escalation",
    is_flag=True,
    help="Exit 1 when a write, delete or admin scope was added.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Config file whose catalog extensions apply (default: found upward).",
)
def diff_cmd(
    files: tuple[str, ...],
    base_ref: str | None,
    output_format: str,
    output: str | None,
    fail_on_escalation: bool,
    config_path: str | None,
) -> None:
    """What a change does to privileges: diff OLD NEW, or diff --base REF [PATH...]."""
    from scopelint.commands.diff import DiffError, diff_against, diff_files
    from scopelint.commands.diff_render import render_diff

    if base_ref is None and len(files) != 2:
        fail("give two plan files (diff OLD NEW; /dev/null for none) or --base REF [PATH...]")
    catalog = configured_catalog_at(config_path)
    try:
        report = (
            diff_files(files[0], files[1], catalog)
            if base_ref is None
            else diff_against(base_ref, list(files), catalog=catalog)
        )
    except DiffError as exc:
        fail(str(exc))
    emit(render_diff(report, output_format), output)
    sys.exit(EXIT_FINDINGS if fail_on_escalation and report.escalations else EXIT_OK)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@_run_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice(AUDIT_FORMATS),
    default="text",
    help="text (a summary), markdown, json, or html (one self-contained file).",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "never"]),
    default="never",
    help="Lowest severity that makes the exit code 1 (default: never; an audit reports).",
)
@click.option(
    "--top",
    type=click.IntRange(min=0),
    default=10,  # scopelint.commands.audit.DEFAULT_TOP (a test checks)
    show_default=True,
    help="Connections listed under top risks in the text format (0: every one).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def audit(
    paths: tuple[str, ...],
    output_format: str,
    output: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str,
    as_of: dt.date | None,
    config_path: str | None,
    exclude: tuple[str, ...],
    top: int,
    quiet: bool,
) -> None:
    """An org-wide report of every plan and client config, connections ranked by risk."""
    from scopelint.audit.progress import progress_bar
    from scopelint.catalog import load_rules
    from scopelint.commands.audit import AuditRequest, run_audit
    from scopelint.config import configured_catalog
    from scopelint.engine import Engine

    rules = load_rules()
    config, options = run_settings(rules, config_path, select, ignore, as_of, exclude)
    request = AuditRequest(
        paths=list(paths) or ["."],
        output_format=output_format,
        fail_on=fail_on,
        top=top,
        progress=progress_bar(sys.stderr, quiet),
    )
    outcome = run_audit(Engine(configured_catalog(config), rules, options), request)
    emit(outcome.report, output)
    for message in outcome.messages:
        click.echo(message, err=True)
    sys.exit(outcome.exit_code)


@cli.command()
@click.option("--product", help="Only this product's tools.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Config whose [[catalog.tools]] to show too (default: found upward).",
)
def tools(product: str | None, output_format: str, config_path: str | None) -> None:
    """The catalog of tools, actions and scopes, with the config's additions marked."""
    from scopelint.commands.catalog_views import tools_command

    catalog = configured_catalog_at(config_path)
    try:
        click.echo(tools_command(product, output_format, catalog), nl=False)
    except ValueError as exc:
        fail(str(exc))


@cli.command(name="rules")
@click.option(
    "--format", "output_format", type=click.Choice(["table", "json", "markdown"]), default="table"
)
def rules_cmd(output_format: str) -> None:
    """Every rule with its code, name and default severity."""
    from scopelint.commands.catalog_views import rules_command

    click.echo(rules_command(output_format), nl=False)


@cli.command()
@click.argument("rule")
def rule(rule: str) -> None:
    """One rule's documentation, by code or name."""
    from scopelint.commands.catalog_views import rule_command

    try:
        click.echo(rule_command(rule), nl=False)
    except ValueError as exc:
        fail(str(exc))


@cli.command()
def schema() -> None:
    """The JSON Schema of the token plan format."""
    from scopelint.plan_schema import schema_text

    click.echo(schema_text(), nl=False)


@cli.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Write the plan here instead of standard output (never overwrites).",
)
@click.option(
    "--from",
    "source",
    type=click.Path(dir_okay=False),
    help="Start from the Atlassian entries of an MCP client config (.cursor/mcp.json …).",
)
def init(output: str | None, source: str | None) -> None:
    """A starter token plan that lints clean, or one drawn from a client config."""
    from scopelint.commands.init import plan_from_client, starter_plan

    if source is None:
        text = starter_plan()
    else:
        try:
            text = plan_from_client(source)
        except ValueError as exc:
            fail(str(exc))
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        with open(output, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        fail(f"{output} already exists; choose another name or remove it first")
    except OSError as exc:
        fail(f"{output}: {exc.strerror}")
    click.echo(
        f"wrote {output}; edit the tools and scopes, then run: scopelint check {output}", err=True
    )
