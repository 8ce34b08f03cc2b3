"""The audit as data: files, connections ranked by risk with their scopes and findings.

Built once from the engine's result; every renderer reads this and nothing else. Every
string taken from the input is redacted here, before any format escapes it its own way.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from scopelint import __version__
from scopelint.audit.advice import headline, next_step
from scopelint.audit.plan_details import PlanConnectionDetails, plan_details
from scopelint.audit.ranking import (
    AUTH_OR_ENDPOINT_RULES,
    SECRET_RULES,
    RiskFacts,
    Tier,
    rank,
)
from scopelint.catalog import LEVELS, PRIVILEGED_LEVELS, Catalog, RuleInfo
from scopelint.credentials import redact
from scopelint.engine import ConnectionSummary, FileResult, RunResult
from scopelint.findings import Finding, Severity, Span
from scopelint.sources.reading import Limits

# Cell states of the scope matrix.
GRANTED = "granted"  # needed and granted
EXCESS = "excess"  # granted, needed by no intended action
MISSING = "missing"  # needed, not granted: the token cannot do its job
CONSENT = "consent"  # needed, over OAuth: granted on the consent screen, not by a token
STATUSES = (GRANTED, EXCESS, MISSING, CONSENT)

# Scopes no tool needs still belong to a product by their suffix.
_SUFFIX_PRODUCTS = {
    "bitbucket": "bitbucket",
    "confluence": "confluence",
    "compass": "compass",
    "jira-service-management": "jsm",
    "jira-work": "jira",
    "jira-user": "jira",
}


@dataclass(frozen=True)
class AuditFinding:
    index: int
    code: str
    name: str
    severity: Severity
    message: str
    help: str
    path: str
    line: int
    column: int
    connection: str | None
    fingerprint: str


@dataclass(frozen=True)
class ScopeColumn:
    scope: str
    level: str | None  # None: not in the catalog (a typo, or a pasted secret)
    product: str
    extended: bool = False  # declared by the config's catalog extension, not bundled


@dataclass(frozen=True)
class ScopeRow:
    scope: str
    level: str | None
    product: str
    group: str  # the permission group on the token screen; '' when there is none
    status: str  # one of STATUSES
    actions: tuple[str, ...]  # the intended actions that need it
    extended: bool = False  # declared by the config's catalog extension, not bundled


@dataclass(frozen=True)
class ConnectionAudit:
    rank: int
    path: str
    name: str
    kind: str  # 'plan' or 'client'
    line: int | None
    auth: str | None
    url: str | None
    client: str | None
    availability: str | None
    credential: str | None
    complete: bool  # every tool and action is known: the minimal set is exact
    scopes: tuple[ScopeRow, ...]
    facts: RiskFacts
    findings: tuple[int, ...]  # indexes into AuditReport.findings
    headline: str  # what is wrong, in a line
    next_step: str  # what to do about it
    extended_actions: tuple[str, ...] = ()  # intended actions known from a catalog extension

    @property
    def tier(self) -> Tier:
        return self.facts.tier

    @property
    def token(self) -> bool:
        return self.kind == "plan" and self.auth == "api-token"

    @property
    def minimal(self) -> bool | None:
        """At its minimal set; None where that cannot be known (OAuth, client entries)."""
        if not self.token or not self.complete or not self.needed:
            return None
        return not any(row.status in (EXCESS, MISSING) for row in self.scopes)

    @property
    def needed(self) -> tuple[str, ...]:
        """The scopes to select when creating this connection's token, as the screen groups them."""
        return tuple(row.scope for row in self.scopes if row.status != EXCESS)

    @property
    def replace_token(self) -> bool:
        """Scopes are fixed when a token is created: excess, missing or leaked means a new one."""
        return (
            self.token
            and bool(self.needed)
            and (
                self.tier is Tier.SECRET
                or any(row.status in (EXCESS, MISSING) for row in self.scopes)
            )
        )

    def rows(self, status: str) -> list[ScopeRow]:
        return [row for row in self.scopes if row.status == status]


@dataclass(frozen=True)
class FileAudit:
    path: str
    kind: str  # 'plan', 'client' or 'unreadable'
    connections: int
    errors: int
    warnings: int
    infos: int

    @property
    def findings(self) -> int:
        return self.errors + self.warnings + self.infos


@dataclass(frozen=True)
class Totals:
    files: int
    connections: int
    findings: int
    errors: int
    warnings: int
    infos: int
    exposed_secrets: int  # SL501 findings: literal credentials in files
    excess_scopes: int
    excess_privileged: int  # of which write, delete or admin
    missing_scopes: int
    minimal: int  # API-token connections at their minimal set
    measurable: int  # API-token connections whose minimal set is known
    tiers: dict[Tier, int]


@dataclass(frozen=True)
class AuditReport:
    version: str
    catalog_date: str
    as_of: str
    files: tuple[FileAudit, ...]
    connections: tuple[ConnectionAudit, ...]  # riskiest first
    findings: tuple[AuditFinding, ...]
    columns: tuple[ScopeColumn, ...]  # the scope matrix's columns, by product then level
    rules: dict[str, RuleInfo]  # the rules that fired, by code
    sources: dict[str, str]  # catalog file -> the Atlassian page it came from
    extended_by: str | None = None  # the config whose catalog extension this audit used

    @property
    def totals(self) -> Totals:
        by = Counter(f.severity for f in self.findings)
        rows = [row for c in self.connections for row in c.scopes]
        excess = [row for row in rows if row.status == EXCESS]
        measured = [c.minimal for c in self.connections if c.minimal is not None]
        return Totals(
            files=len(self.files),
            connections=len(self.connections),
            findings=len(self.findings),
            errors=by[Severity.ERROR],
            warnings=by[Severity.WARNING],
            infos=by[Severity.INFO],
            exposed_secrets=sum(1 for f in self.findings if f.code in SECRET_RULES),
            excess_scopes=len(excess),
            excess_privileged=sum(1 for row in excess if row.level in PRIVILEGED_LEVELS),
            missing_scopes=sum(1 for row in rows if row.status == MISSING),
            minimal=sum(measured),
            measurable=len(measured),
            tiers=dict(Counter(c.tier for c in self.connections)),
        )

    def connection_findings(self, connection: ConnectionAudit) -> list[AuditFinding]:
        return [self.findings[i] for i in connection.findings]

    @property
    def file_level_findings(self) -> list[AuditFinding]:
        """Findings about a file as a whole (organization prerequisites, syntax …)."""
        owned = {i for c in self.connections for i in c.findings}
        return [f for f in self.findings if f.index not in owned]


@dataclass
class _Pending:
    """A connection while findings are being assigned to it."""

    summary: ConnectionSummary
    details: PlanConnectionDetails | None
    findings: list[Finding]


def build_audit(
    result: RunResult,
    catalog: Catalog,
    rules: Mapping[str, RuleInfo],
    as_of: dt.date,
    limits: Limits | None = None,
) -> AuditReport:
    def clean(text: str) -> str:
        return redact(text, result.secrets)

    limits = limits or Limits()
    findings = sorted(result.findings, key=_finding_order)
    index = {id(f): i for i, f in enumerate(findings)}
    pending: list[_Pending] = []
    for file in result.files:
        pending.extend(_pending(file, catalog, as_of, limits))
    _assign(findings, pending)
    products = _scope_products(catalog)
    built = [_connection(p, catalog, products, index, clean) for p in pending]
    ranked = rank(built, lambda c: c.facts, lambda c: (c.path, c.name, c.line or 0))
    connections = tuple(_with_rank(c, n) for n, c in enumerate(ranked, 1))
    return AuditReport(
        version=__version__,
        catalog_date=catalog.date.isoformat(),
        as_of=as_of.isoformat(),
        files=tuple(_file(f, clean) for f in result.files),
        connections=connections,
        findings=tuple(_audit_finding(i, f, clean) for i, f in enumerate(findings)),
        columns=_columns(connections, products),
        rules={code: rules[code] for code in sorted({f.code for f in findings}) if code in rules},
        sources=dict(catalog.sources),
        extended_by=_maybe(catalog.extended_by, clean),
    )


def _finding_order(finding: Finding) -> tuple[int, str, int, int, str]:
    return (-finding.severity, finding.path, finding.span.line, finding.span.column, finding.code)


def _pending(file: FileResult, catalog: Catalog, as_of: dt.date, limits: Limits) -> list[_Pending]:
    details: list[PlanConnectionDetails | None] = list(plan_details(file, catalog, as_of, limits))
    names = [d.name for d in details if d is not None]
    if names != [c.name for c in file.connections]:
        details = [None] * len(file.connections)  # a plan the engine read otherwise: no extras
    return [_Pending(summary, d, []) for summary, d in zip(file.connections, details, strict=True)]


def _assign(findings: list[Finding], pending: list[_Pending]) -> None:
    """Give each finding to the connection it is about; the rest stay with their file.

    A finding names its connection; two connections of one name (SL204) are told apart by
    the lines they span, and so are findings inside a connection that name none (an
    unknown key in it).
    """
    by_path: dict[str, list[_Pending]] = {}
    for item in pending:
        by_path.setdefault(item.summary.path, []).append(item)
    for finding in findings:
        in_file = by_path.get(finding.path, [])
        named = [p for p in in_file if finding.connection and p.summary.name == finding.connection]
        pool = named if finding.connection else in_file
        inside = [p for p in pool if p.details and _contains(p.details.span, finding.span)]
        owner = inside[0] if inside else (named[0] if named else None)
        if owner is not None:
            owner.findings.append(finding)


def _contains(outer: Span, inner: Span) -> bool:
    """Spans end before their end column: the next connection may start on that line."""
    start = (inner.line, inner.column)
    return (outer.line, outer.column) <= start < (outer.end_line, outer.end_column)


def _scope_products(catalog: Catalog) -> dict[str, str]:
    """Scope -> product, from the tools that need each scope."""
    products: dict[str, str] = {}
    for tool in catalog.tools.values():
        for action in tool.actions.values():
            for scope in action.scopes:
                products.setdefault(scope, tool.product)
    return products


def _product(scope: str, products: dict[str, str]) -> str:
    if scope in products:
        return products[scope]
    suffix = scope.rsplit(":", 1)[-1]
    return _SUFFIX_PRODUCTS.get(suffix, "platform" if scope.count(":") == 1 else "other")


def _connection(
    item: _Pending,
    catalog: Catalog,
    products: dict[str, str],
    index: dict[int, int],
    clean: Callable[[str], str],
) -> ConnectionAudit:
    summary, details = item.summary, item.details
    rows = _scope_rows(summary, details, catalog, products, clean)
    facts = _facts(rows, item.findings)
    own = sorted(item.findings, key=lambda f: index[id(f)])
    url = summary.url if summary.url is not None else (details.url if details else None)
    return ConnectionAudit(
        rank=0,
        path=clean(summary.path),
        name=clean(summary.name),
        kind=summary.kind,
        line=details.span.line if details else None,
        auth=_maybe(summary.auth, clean),
        url=_maybe(url, clean),
        client=_maybe(summary.client, clean),
        availability=_maybe(details.availability if details else None, clean),
        credential=_maybe(details.credential if details else None, clean),
        complete=details.complete if details else summary.kind == "plan",
        scopes=tuple(rows),
        facts=facts,
        findings=tuple(sorted(index[id(f)] for f in item.findings)),
        headline=clean(headline(facts, rows, own)),
        next_step=clean(next_step(facts, summary.kind, summary.auth, own)),
        extended_actions=tuple(clean(a) for a in details.extended_actions) if details else (),
    )


def _maybe(value: str | None, clean: Callable[[str], str]) -> str | None:
    return clean(value) if value else None


def _scope_rows(
    summary: ConnectionSummary,
    details: PlanConnectionDetails | None,
    catalog: Catalog,
    products: dict[str, str],
    clean: Callable[[str], str],
) -> list[ScopeRow]:
    def row(scope: str, status: str, group: str, actions: tuple[str, ...]) -> ScopeRow:
        level, extended = catalog.level(scope), scope in catalog.extended_scopes
        return ScopeRow(scope, level, _product(scope, products), group, status, actions, extended)

    token = summary.auth == "api-token"
    granted = set(summary.granted)
    needs = details.needs if details else {}
    groups = details.groups if details else {}
    needed = [
        row(
            scope,
            (GRANTED if scope in granted else MISSING) if token else CONSENT,
            groups.get(scope, ""),
            needs.get(scope, ()),
        )
        for scope in summary.needed
    ]
    needed.sort(key=lambda r: (r.status != MISSING, r.group, r.scope))
    excess = [row(scope, EXCESS, "", ()) for scope in summary.excess]
    # The most dangerous excess first: admin, delete, write, then read and search.
    excess.sort(key=lambda r: (-LEVELS.index(r.level) if r.level in LEVELS else 1, r.scope))
    # Masked last, once looked up: a token pasted into the scope list shows as ****.
    return [replace(r, scope=clean(r.scope)) for r in [*needed, *excess]]


def _facts(rows: list[ScopeRow], findings: list[Finding]) -> RiskFacts:
    by = Counter(f.severity for f in findings)
    excess = [row for row in rows if row.status == EXCESS]
    return RiskFacts(
        exposed_secrets=sum(1 for f in findings if f.code in SECRET_RULES),
        privileged_excess=tuple(
            row.level for row in excess if row.level is not None and row.level in PRIVILEGED_LEVELS
        ),
        auth_or_endpoint=sum(1 for f in findings if f.code in AUTH_OR_ENDPOINT_RULES),
        read_excess=sum(1 for row in excess if row.level not in PRIVILEGED_LEVELS),
        errors=by[Severity.ERROR],
        warnings=by[Severity.WARNING],
        infos=by[Severity.INFO],
    )


def _with_rank(connection: ConnectionAudit, rank: int) -> ConnectionAudit:
    return replace(connection, rank=rank)


def _audit_finding(index: int, finding: Finding, clean: Callable[[str], str]) -> AuditFinding:
    return AuditFinding(
        index=index,
        code=finding.code,
        name=finding.name,
        severity=finding.severity,
        message=clean(finding.message),
        help=clean(finding.help),
        path=clean(finding.path),
        line=finding.span.line,
        column=finding.span.column,
        connection=_maybe(finding.connection, clean),
        fingerprint=finding.fingerprint,
    )


def _file(file: FileResult, clean: Callable[[str], str]) -> FileAudit:
    by = Counter(f.severity for f in file.findings)
    return FileAudit(
        path=clean(file.path),
        kind=file.kind,
        connections=len(file.connections),
        errors=by[Severity.ERROR],
        warnings=by[Severity.WARNING],
        infos=by[Severity.INFO],
    )


def _columns(
    connections: tuple[ConnectionAudit, ...], products: dict[str, str]
) -> tuple[ScopeColumn, ...]:
    order = list(dict.fromkeys(products.values()))
    seen: dict[str, ScopeColumn] = {}
    for connection in connections:
        for row in connection.scopes:
            seen.setdefault(row.scope, ScopeColumn(row.scope, row.level, row.product, row.extended))

    def key(column: ScopeColumn) -> tuple[int, int, str]:
        product = order.index(column.product) if column.product in order else len(order)
        level = LEVELS.index(column.level) if column.level in LEVELS else len(LEVELS)
        return (product, level, column.scope)

    return tuple(sorted(seen.values(), key=key))
