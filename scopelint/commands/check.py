"""`check` after the options are read: lint, fix, apply the baseline, render, decide the exit.

Order matters: fixes apply to the findings a user would see (not to baselined ones); a
new baseline records everything that remains after fixing; the report and the exit code
see what remains after the baseline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from scopelint.credentials import redact
from scopelint.engine import Engine, RunResult
from scopelint.exits import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, UsageError
from scopelint.findings import Finding, Severity
from scopelint.report import SELF_REDACTING_FORMATS, ReportContext, render
from scopelint.report.common import plural
from scopelint.report.sanitize import terminal_safe

# Baselines, fixes and atomic writes load only when asked for: a plain pre-commit run
# pays for none of them.
if TYPE_CHECKING:
    from scopelint.atomic import Snapshot
    from scopelint.baseline import Baseline, Entry
    from scopelint.commands.fix import FileFix


class CheckError(UsageError):
    """A usage problem found after the options parsed (a bad baseline file …): exit 2."""


class CheckRequest(NamedTuple):
    paths: list[str]
    output_format: str | None  # None: text, plus GitHub annotations inside GitHub Actions
    fail_on: str = "warning"
    colour: bool = False
    quiet: bool = False
    statistics: bool = False
    baseline: str | None = None
    write_baseline: str | None = None
    fix: bool = False
    show_diff: bool = False
    github_actions: bool = False


class CheckOutcome(NamedTuple):
    report: str  # for --output, or standard output
    annotations: str  # GitHub workflow commands: always standard output
    messages: list[str]  # for standard error
    exit_code: int


def run_check(engine: Engine, request: CheckRequest) -> CheckOutcome:
    baseline = _load_baseline(request.baseline)
    baseline_snapshot = (
        _snapshot(request.write_baseline) if request.write_baseline is not None else None
    )
    result = engine.run(request.paths or ["."])
    # Errors quote paths: masked and made terminal-safe like everything else printed.
    messages = [
        f"scopelint: error: {terminal_safe(redact(error, result.secrets))}"
        for error in result.errors
    ]

    def keep(findings: list[Finding]) -> list[Finding]:
        return baseline.split(findings)[0] if baseline is not None else findings

    if request.fix or request.show_diff:
        from scopelint.commands.fix import fix_run

        outcomes = fix_run(engine, result, keep, write=not request.show_diff)
        messages.extend(
            terminal_safe(redact(o.problem, result.secrets)) for o in outcomes if o.problem
        )
        if request.show_diff:
            return _diff_outcome(outcomes, result, messages)
        written = {o.path: o for o in outcomes if o.written}
        result.files = [written[f.path].result if f.path in written else f for f in result.files]
        fixed = sum(o.fixed for o in written.values())
        if fixed:
            messages.append(
                f"scopelint: fixed {plural(fixed, 'problem')} in {plural(len(written), 'file')}"
            )

    if request.write_baseline is not None:
        return _write_baseline(request.write_baseline, result, baseline_snapshot, messages)

    context_notes: list[str] = []
    if baseline is not None:
        accepted: list[Finding] = []
        for file in result.files:
            new, old = baseline.split(file.findings)
            file.findings = new
            accepted.extend(old)
        stale = baseline.stale(accepted, [f.path for f in result.files], engine.enabled)
        if accepted:
            context_notes.append(f"{plural(len(accepted), 'finding')} accepted by the baseline")
            if not request.quiet:
                messages.append(f"scopelint: {context_notes[-1]}")
        messages.extend(_stale_messages(request.baseline or "", stale, result.secrets))

    threshold = None if request.fail_on == "never" else Severity.parse(request.fail_on)
    failed = threshold is not None and any(f.severity >= threshold for f in result.findings)
    context = ReportContext(
        catalog_date=engine.catalog.date.isoformat(),
        rules=engine.rules,
        failed=failed,
        colour=request.colour,
        quiet=request.quiet,
        statistics=request.statistics,
        notes=tuple(context_notes),
    )
    output_format = request.output_format or "text"
    report = render(output_format, result, context)
    annotations = ""
    # As yamllint does: inside GitHub Actions, text output also annotates the pull request.
    if request.output_format is None and request.github_actions:
        annotations = render("github", result, context)
    code = EXIT_ERROR if result.errors else (EXIT_FINDINGS if failed else EXIT_OK)
    # Last line of defence: whatever a check found secret never leaves the process. The
    # other formats redacted every value before escaping it.
    if output_format not in SELF_REDACTING_FORMATS:
        report = redact(report, result.secrets)
    return CheckOutcome(report, annotations, messages, code)


def _load_baseline(path: str | None) -> Baseline | None:
    if path is None:
        return None
    from scopelint.baseline import Baseline, BaselineError, read_baseline

    try:
        return Baseline(read_baseline(path))
    except BaselineError as exc:
        raise CheckError(str(exc)) from None


def _snapshot(path: str) -> Snapshot:
    from scopelint.atomic import WriteError, take_snapshot

    try:
        return take_snapshot(path)
    except WriteError as exc:
        raise CheckError(str(exc)) from None


def _diff_outcome(outcomes: list[FileFix], result: RunResult, messages: list[str]) -> CheckOutcome:
    diffs = "".join(o.diff for o in outcomes if o.after != o.before)
    fixable = sum(o.fixed for o in outcomes)
    files = sum(1 for o in outcomes if o.after != o.before)
    if fixable:
        messages.append(
            f"scopelint: would fix {plural(fixable, 'problem')} in {plural(files, 'file')}"
            " (run with --fix to apply)"
        )
    else:
        messages.append("scopelint: nothing to fix")
    code = EXIT_ERROR if result.errors else (EXIT_FINDINGS if diffs else EXIT_OK)
    shown = redact(diffs, result.secrets)
    if shown != diffs:
        messages.append(
            "scopelint: lines holding a secret are masked in the patch, so it will not apply "
            "as printed; run --fix to apply the fixes"
        )
    return CheckOutcome(shown, "", messages, code)


def _write_baseline(
    path: str, result: RunResult, snapshot: Snapshot | None, messages: list[str]
) -> CheckOutcome:
    from scopelint.atomic import WriteError, write_atomic
    from scopelint.baseline import render_baseline

    if result.errors:
        # A baseline of a partial run would silently drop the entries of what it missed.
        messages.append(f"scopelint: {path} not written: some paths could not be read")
        return CheckOutcome("", "", messages, EXIT_ERROR)
    findings = result.findings
    text = render_baseline(findings, lambda value: redact(value, result.secrets))
    try:
        changed = write_atomic(path, text.encode("utf-8"), expected=snapshot)
    except WriteError as exc:
        raise CheckError(str(exc)) from None
    count = plural(len(findings), "finding")
    messages.append(
        f"scopelint: wrote {path} with {count}"
        if changed
        else f"scopelint: {path} is up to date ({count})"
    )
    return CheckOutcome("", "", messages, EXIT_OK)


def _stale_messages(path: str, stale: list[Entry], secrets: set[str]) -> list[str]:
    if not stale:
        return []
    one = len(stale) == 1
    lines = [
        f"scopelint: {path}: {len(stale)} baseline {'entry' if one else 'entries'} no longer "
        f"{'occurs' if one else 'occur'}; drop {'it' if one else 'them'} with "
        f"--write-baseline {path}"
    ]
    for entry in stale:
        where = f" ({entry.connection})" if entry.connection else ""
        line = f"  {entry.path}: {entry.code}{where} {entry.subject}".rstrip()
        lines.append(terminal_safe(redact(line, secrets)))  # the entry came from a file
    return lines
