"""Reporters: one module per output format. A reporter renders; it never decides.

Each format's module is imported only when that format is asked for, so a pre-commit
run that prints text never loads the SARIF or JUnit writers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from scopelint.catalog import RuleInfo
from scopelint.engine import RunResult

FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab", "bitbucket", "markdown")
# Formats that redact each value before escaping it their own way: redacting the escaped
# text afterwards could eat an escape sequence (%0A, \n, &amp;) and break the document.
SELF_REDACTING_FORMATS = frozenset(
    {"json", "sarif", "junit", "gitlab", "bitbucket", "github", "markdown"}
)


class ReportContext(NamedTuple):
    catalog_date: str
    rules: Mapping[str, RuleInfo]
    failed: bool = False  # a finding at or above --fail-on: decided by the caller
    colour: bool = False
    quiet: bool = False
    statistics: bool = False
    notes: tuple[str, ...] = ()  # e.g. baseline counts, for formats that show them


def render(output_format: str, result: RunResult, context: ReportContext) -> str:
    if output_format == "text":
        from scopelint.report.text import render_text

        return render_text(
            result, colour=context.colour, quiet=context.quiet, statistics=context.statistics
        )
    if output_format == "json":
        from scopelint.report.json_report import render_json

        return render_json(result, context.catalog_date)
    if output_format == "sarif":
        from scopelint.report.sarif import render_sarif

        return render_sarif(result, context)
    if output_format == "junit":
        from scopelint.report.junit import render_junit

        return render_junit(result, context)
    if output_format == "github":
        from scopelint.report.github import render_github

        return render_github(result, context)
    if output_format == "gitlab":
        from scopelint.report.gitlab import render_gitlab

        return render_gitlab(result, context)
    if output_format == "bitbucket":
        from scopelint.report.bitbucket import render_bitbucket

        return render_bitbucket(result, context)
    if output_format == "markdown":
        from scopelint.report.markdown import render_markdown

        return render_markdown(result, context)
    raise ValueError(f"unknown format '{output_format}' ({', '.join(FORMATS)})")
