"""One run: discover files, read them, run the checks, filter, and collect the results."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from scopelint.catalog import Catalog, RuleInfo
from scopelint.checks import PLAN_CHECKS
from scopelint.checks.base import Hit, PlanContext
from scopelint.checks.catalog_age import stale_catalog_hits
from scopelint.discovery import Candidate, discover
from scopelint.findings import Finding, Severity, Span
from scopelint.lines import break_for, split_lines
from scopelint.planner import ActionLookup, compare
from scopelint.selection import enabled_codes, expand
from scopelint.sources.client_files import ClientFile, client_for_path, generic_client
from scopelint.sources.nodes import Document, Problem
from scopelint.sources.plan import Plan, build_plan, has_marker
from scopelint.sources.reading import Limits, MissingPath, UnreadableFile, decode, read_bytes
from scopelint.sources.yaml_source import parse_yaml
from scopelint.suppressions import find_suppressions

if TYPE_CHECKING:  # policies load only when a config sets one
    from scopelint.policy import Policy

STDIN_NAME = "<stdin>"
# Called with (files done, files found): once before the first file, then after each.
Progress = Callable[[int, int], None]
# One file's result (None: skipped), the secrets found in it, and an error for a path
# that could not be opened.
Outcome = tuple["FileResult | None", set[str], str | None]
# Below this many files, starting worker processes costs about what it saves (measured
# on two cores: a tie between 48 and 100 plans; more cores tip it sooner).
PARALLEL_THRESHOLD = 64


def _worker_count(requested: int, files: int) -> int:
    """`--jobs`: 0 means one worker per CPU once there are enough files to share."""
    if requested > 0:
        return min(requested, max(files, 1))
    if files < PARALLEL_THRESHOLD:
        return 1
    from scopelint.parallel import can_fork

    if not can_fork():
        return 1
    return min(os.cpu_count() or 1, files)


# The records below are plain classes, not dataclasses: importing dataclasses (and the
# inspect module it needs) would cost a pre-commit run more than linting its files.


class Options:
    """What to run and how, from the command line and the config."""

    __slots__ = (
        "as_of",
        "exclude",
        "ignore",
        "jobs",
        "limits",
        "policy",
        "select",
        "severity",
        "skip_unrecognized",
    )

    def __init__(
        self,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        severity: dict[str, Severity] | None = None,
        as_of: dt.date | None = None,
        skip_unrecognized: bool = False,
        exclude: list[str] | None = None,
        limits: Limits | None = None,
        policy: Policy | None = None,
        jobs: int = 0,
    ) -> None:
        self.select = select if select is not None else []
        self.ignore = ignore if ignore is not None else []
        self.severity = severity if severity is not None else {}  # rule code -> severity
        self.as_of = as_of if as_of is not None else dt.date.today()
        self.skip_unrecognized = skip_unrecognized
        self.exclude = exclude if exclude is not None else []
        self.limits = limits if limits is not None else Limits()
        self.policy = policy  # the config's [policy]; None runs no SL8xx check
        self.jobs = jobs  # worker processes; 0: one per CPU when there are many files


class ConnectionSummary(NamedTuple):
    path: str
    name: str
    kind: str  # 'plan' or 'client'
    auth: str | None
    needed: list[str]
    granted: list[str]
    excess: list[str]
    missing: list[str]
    # Client config entries only: which client, the server's name there, and its URL.
    client: str | None = None
    server: str | None = None
    url: str | None = None


class FileResult:
    """One file's findings and connections; `text` is kept for context lines and fixes."""

    __slots__ = ("connections", "findings", "kind", "path", "text")

    def __init__(
        self,
        path: str,
        kind: str,  # 'plan', 'client' or 'unreadable'
        findings: list[Finding] | None = None,
        connections: list[ConnectionSummary] | None = None,
        text: str = "",
    ) -> None:
        self.path = path
        self.kind = kind
        self.findings = findings if findings is not None else []
        self.connections = connections if connections is not None else []
        self.text = text

    def __repr__(self) -> str:
        return f"FileResult({self.path!r}, {self.kind!r}, {len(self.findings)} findings)"


class RunResult:
    __slots__ = ("errors", "files", "secrets")

    def __init__(
        self,
        files: list[FileResult],
        errors: list[str],  # paths that could not be looked at: exit code 2
        secrets: set[str] | None = None,
    ) -> None:
        self.files = files
        self.errors = errors
        self.secrets = secrets if secrets is not None else set()

    @property
    def findings(self) -> list[Finding]:
        return [f for result in self.files for f in result.findings]


class Engine:
    def __init__(self, catalog: Catalog, rules: dict[str, RuleInfo], options: Options) -> None:
        self.catalog = catalog
        self.rules = rules
        self.options = options
        self.enabled = enabled_codes(options.select, options.ignore, rules)
        self.actions = ActionLookup(catalog)  # shared by every plan this engine lints

    def run(self, paths: list[str], progress: Progress | None = None) -> RunResult:
        found = discover(paths, self.options.exclude)
        result = RunResult([], list(found.errors))
        candidates = found.candidates
        workers = (
            1
            if any(c.path == "-" for c in candidates)
            else _worker_count(self.options.jobs, len(candidates))
        )
        total = len(candidates)
        count = 0

        def one_done() -> None:
            nonlocal count
            count += 1
            if progress is not None:
                progress(count, total)

        if progress is not None:
            progress(0, total)
        outcomes: list[Outcome]
        if workers > 1:
            from scopelint.parallel import lint_in_parallel

            outcomes = lint_in_parallel(
                self, candidates, workers, one_done if progress is not None else None
            )
            if progress is not None and count < total:  # a worker died; the rest ran here
                progress(total, total)
        else:
            outcomes = []
            for candidate in candidates:
                outcomes.append(self.lint_one(candidate))
                one_done()
        for file_result, secrets, error in outcomes:
            result.secrets.update(secrets)
            if error is not None:
                result.errors.append(error)
            if file_result is not None:
                result.files.append(file_result)
        return result

    def lint_one(self, candidate: Candidate) -> Outcome:
        """One file's result, the secrets it holds, and an error for a path not found."""
        secrets: set[str] = set()
        try:
            return self.lint_candidate(candidate, secrets), secrets, None
        except MissingPath as exc:
            # A file the walk found that vanished before it was read leaves nothing to
            # lint; a named one that cannot be opened is the user's error.
            return None, secrets, str(exc) if candidate.explicit else None

    def lint_candidate(self, candidate: Candidate, secrets: set[str]) -> FileResult | None:
        shown = STDIN_NAME if candidate.path == "-" else candidate.path
        client = None if candidate.path == "-" else client_for_path(candidate.path)
        if client is None and candidate.explicit:
            client = generic_client(candidate.path)
            # pre-commit passes every staged JSON and TOML file: only known clients count.
            if client is not None and self.options.skip_unrecognized:
                return None
        quiet_skip = client is None and (not candidate.explicit or self.options.skip_unrecognized)
        data = b""
        try:
            data = read_bytes(candidate.path, self.options.limits)
            text = decode(data)
        except UnreadableFile as exc:
            # Skipped files must be plans by their marker; an unreadable one that carries the
            # marker is still reported, so a corrupted plan is never silently passed.
            if quiet_skip and b"scopelint" not in data[:65536]:
                return None
            finding = self._finding(Hit("SL001", Span.point(exc.line), str(exc)), shown)
            return FileResult(shown, "unreadable", self._filter([finding], "", shown))
        if client is not None:
            return self.lint_client_text(shown, text, client, secrets)
        if quiet_skip and not has_marker(text):
            return None
        return self.lint_plan_text(shown, text, secrets)

    def lint_plan_text(self, path: str, text: str, secrets: set[str]) -> FileResult:
        document = parse_yaml(path, text, self.options.limits)
        hits = [_problem_hit(p) for p in document.problems]
        plan = build_plan(document)
        connections: list[ConnectionSummary] = []
        if plan is not None:
            hits.extend(_problem_hit(p) for p in plan.problems)
            context = PlanContext(plan, self.catalog, self.options.as_of, self.actions)
            for check in PLAN_CHECKS:
                hits.extend(check(context))
            if self.options.policy is not None:
                from scopelint.checks.policy import plan_policy_hits

                hits.extend(plan_policy_hits(context, self.options.policy.for_file(path)))
            connections = self._summaries(path, plan, context)
        elif document.root is None and not document.problems:
            hits.append(
                Hit(
                    "SL002",
                    Span.point(),
                    "the file is empty; a token plan starts with `scopelint: 1`",
                    subject="empty",
                )
            )
        secrets.update(_secrets(hits, text, path))
        findings = [self._finding(hit, path) for hit in hits]
        return FileResult(path, "plan", self._filter(findings, text, path), connections, text)

    def lint_client_text(
        self, path: str, text: str, client: ClientFile, secrets: set[str]
    ) -> FileResult:
        """Lint an MCP client config: every entry that reaches the Rovo MCP server."""
        # Loaded here so that a run over plans alone never imports them.
        from scopelint.checks.clients import (
            CLIENT_CHECKS,
            EntryContext,
            atlassian_endpoint,
            stray_atlassian_tokens,
        )
        from scopelint.sources.clients import parse_client_text, read_entries

        document = parse_client_text(path, text, client, self.options.limits)
        hits = [_problem_hit(p) for p in document.problems]
        config = read_entries(document.root, client)
        hits.extend(
            Hit("SL002", p.node.span, p.message, subject="client-shape") for p in config.problems
        )
        if client.generic and document.root is not None and not config.tables:
            hits.append(
                Hit(
                    "SL002",
                    Span.point(),
                    "neither a token plan nor an MCP client config: no mcpServers, servers, "
                    "mcp or mcp_servers table",
                    subject="client-shape",
                    help="name plans *.yaml with `scopelint: 1` at the top",
                )
            )
        connections: list[ConnectionSummary] = []
        file_policy = self.options.policy.for_file(path) if self.options.policy else None
        for entry in config.entries:
            endpoint = atlassian_endpoint(entry, self.catalog)
            if endpoint is None or entry.url is None:
                # Another server: not ours to judge, but an Atlassian token there still leaks.
                hits.extend(stray_atlassian_tokens(entry))
                continue
            context = EntryContext(entry, endpoint, self.catalog, self.options.as_of, text)
            entry_hits = [hit for check in CLIENT_CHECKS for hit in check(context)]
            reported = {hit.span for hit in entry_hits if hit.code == "SL501"}
            # A token under a key no client reads (`"auth": {"token": …}`) still leaks.
            entry_hits.extend(h for h in stray_atlassian_tokens(entry) if h.span not in reported)
            hits.extend(entry_hits)
            if file_policy is not None:
                from scopelint.checks.policy import client_policy_hits

                hits.extend(client_policy_hits(context, file_policy))
            if not connections:  # once a file, on its first Atlassian entry
                hits.extend(stale_catalog_hits(self.catalog, self.options.as_of, entry.url.span))
            connections.append(
                ConnectionSummary(
                    path=path,
                    name=entry.server,
                    kind="client",
                    auth=entry.auth,
                    needed=[],
                    granted=[],
                    excess=[],
                    missing=[],
                    client=entry.client,
                    server=entry.server,
                    url=str(entry.url.value),
                )
            )
        secrets.update(_secrets(hits, text, path))
        findings = [self._finding(hit, path) for hit in hits]
        return FileResult(path, "client", self._filter(findings, text, path), connections, text)

    def _finding(self, hit: Hit, path: str) -> Finding:
        rule = self.rules[hit.code]
        severity = self.options.severity.get(hit.code) or hit.severity or rule.severity
        return Finding(
            code=hit.code,
            name=rule.name,
            severity=severity,
            message=hit.message,
            path=path,
            span=hit.span,
            help=hit.help,
            connection=hit.connection,
            subject=hit.subject,
            fix=hit.fix,
        )

    def _filter(self, findings: list[Finding], text: str, path: str) -> list[Finding]:
        """Apply inline suppressions (reporting unused ones), then --select/--ignore."""
        kept: list[Finding] = []
        # Every plan says `scopelint: 1`; only a suppression says `ignore[`.
        suppressions = find_suppressions(text, break_for(path)) if "ignore[" in text else []
        for finding in findings:
            silenced = False
            for suppression in suppressions:
                if suppression.target != finding.span.line:
                    continue
                for selector in suppression.rules:
                    if finding.code in expand([selector], self.rules):
                        suppression.used.add(selector)
                        silenced = True
            if not silenced:
                kept.append(finding)
        for suppression in suppressions:
            unused = [r for r in suppression.rules if r not in suppression.used]
            if unused and text:
                message = (
                    f"suppression of {', '.join(unused)} matches no finding on line "
                    f"{suppression.target}"
                )
                kept.append(
                    self._finding(
                        Hit(
                            "SL004",
                            suppression.span,
                            message,
                            subject=f"{','.join(unused)}",
                            help="remove the unused code from the comment",
                        ),
                        path,
                    )
                )
        kept = [f for f in kept if f.code in self.enabled]
        return sorted(kept, key=Finding.sort_key)

    def _summaries(self, path: str, plan: Plan, context: PlanContext) -> list[ConnectionSummary]:
        summaries = []
        for conn in plan.connections:
            view = context.view(conn)
            needed = view.needed
            token = view.auth == "api-token"
            comparison = compare(needed, view.granted if token else [])
            summaries.append(
                ConnectionSummary(
                    path=path,
                    name=conn.label,
                    kind="plan",
                    auth=view.auth,
                    needed=list(needed),
                    granted=list(comparison.granted),
                    excess=list(comparison.excess) if token and view.fully_known else [],
                    missing=list(comparison.missing) if token else [],
                )
            )
        return summaries


def _problem_hit(problem: Problem) -> Hit:
    return Hit(problem.code, problem.span, problem.message, subject=problem.subject)


def _secrets(hits: list[Hit], text: str, path: str) -> set[str]:
    """Each secret a hit reports, and its text as written when escapes change it."""
    found: set[str] = set()
    if not any(hit.secret for hit in hits):
        return found
    lines = split_lines(text, break_for(path))
    for hit in hits:
        if not hit.secret:
            continue
        found.add(hit.secret)
        span = hit.span
        if span.line == span.end_line and 1 <= span.line <= len(lines):
            written = lines[span.line - 1][span.column - 1 : span.end_column - 1]
            if hit.secret not in written and "\\" in written:
                # `"AT\u0041TT3…"` decodes to the token: mask the escaped form too.
                found.add(written.strip("\"'"))
    return found


def lint_document_text(engine: Engine, path: str, text: str) -> FileResult:
    """Lint text as the file `path` would be: a client config by its name, else a plan."""
    client = client_for_path(path)
    if client is not None:
        return engine.lint_client_text(path, text, client, set())
    return engine.lint_plan_text(path, text, set())


__all__ = ["Document", "Engine", "FileResult", "Options", "RunResult", "lint_document_text"]
