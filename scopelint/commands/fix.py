"""`check --fix` and `--diff`: apply the findings' safe fixes, file by file.

Fixes that overlap (two entries of one flow list) cannot be applied together; the file is
linted again and the rest applied in the next pass, as ruff does. A pass that would make
the file unreadable stops it where it was. Files are written atomically, and only
if nobody changed them since they were linted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scopelint.atomic import Snapshot, WriteError, take_snapshot, write_atomic
from scopelint.engine import STDIN_NAME, Engine, FileResult, RunResult
from scopelint.findings import Finding
from scopelint.fixes import apply_fixes, unified_diff
from scopelint.sources.reading import UnreadableFile, decode, encode_like

MAX_PASSES = 10

Keep = Callable[[list[Finding]], list[Finding]]


@dataclass
class FileFix:
    path: str
    before: str
    after: str
    fixed: int  # fixes applied
    result: FileResult  # the lint of `after`
    problem: str | None = None  # why the file was left as it is
    written: bool = False

    @property
    def diff(self) -> str:
        return unified_diff(self.path, self.before, self.after)


def _fixable(findings: list[Finding], keep: Keep) -> list[Finding]:
    return [f for f in keep(findings) if f.fix is not None]


def relint(engine: Engine, file: FileResult, text: str, secrets: set[str]) -> FileResult | None:
    """Lint new text for a file the way the run linted it (a plan, or a client config)."""
    if file.kind == "plan":
        return engine.lint_plan_text(file.path, text, secrets)
    if file.kind == "client":
        from scopelint.sources.clients import client_for_path, generic_client

        client = client_for_path(file.path) or generic_client(file.path)
        if client is not None:
            return engine.lint_client_text(file.path, text, client, secrets)
    return None


def fix_file(engine: Engine, file: FileResult, keep: Keep, secrets: set[str]) -> FileFix:
    """Every safe fix for one file, applied to its text; nothing is written here."""
    text, current, fixed = file.text, file, 0
    unreadable_before = any(f.code == "SL001" for f in file.findings)
    for _ in range(MAX_PASSES):
        fixes = [f.fix for f in _fixable(current.findings, keep) if f.fix is not None]
        if not fixes:
            break
        applied = apply_fixes(text, fixes)
        if not applied.applied:
            break
        relinted = relint(engine, file, applied.text, secrets)
        if relinted is None:
            break
        if not unreadable_before and any(f.code == "SL001" for f in relinted.findings):
            problem = (
                f"{file.path}: a fix would leave the file unreadable; the rest was left as it is"
            )
            return FileFix(file.path, file.text, text, fixed, current, problem)
        text, current, fixed = applied.text, relinted, fixed + len(applied.applied)
    return FileFix(file.path, file.text, text, fixed, current)


def _snapshot_matching(path: str, text: str) -> tuple[Snapshot | None, str | None]:
    """The file's bytes if they still decode to the text that was linted."""
    try:
        snapshot = take_snapshot(path)
    except WriteError as exc:
        return None, str(exc)
    if snapshot.content is None:
        return None, f"{path} disappeared after it was linted; not fixed"
    try:
        unchanged = decode(snapshot.content) == text
    except UnreadableFile:
        unchanged = False
    if not unchanged:
        return None, f"{path} changed on disk after it was linted; not fixed"
    return snapshot, None


def fix_run(engine: Engine, result: RunResult, keep: Keep, *, write: bool) -> list[FileFix]:
    """Fix every file in the run that has something to fix; write them when `write`."""
    outcomes: list[FileFix] = []
    for file in result.files:
        if file.kind not in ("plan", "client") or not _fixable(file.findings, keep):
            continue
        if write and file.path == STDIN_NAME:
            outcomes.append(
                FileFix(file.path, file.text, file.text, 0, file, "standard input is not fixed")
            )
            continue
        outcome = fix_file(engine, file, keep, result.secrets)
        if write and outcome.after != outcome.before:
            _write(outcome)
        outcomes.append(outcome)
    return outcomes


def _write(outcome: FileFix) -> None:
    snapshot, problem = _snapshot_matching(outcome.path, outcome.before)
    if snapshot is None or snapshot.content is None:
        outcome.problem = problem
        return
    data = encode_like(outcome.after, snapshot.content)
    try:
        outcome.written = write_atomic(outcome.path, data, expected=snapshot)
    except WriteError as exc:
        outcome.problem = str(exc)
