"""The audit as one self-contained HTML file: inline CSS and JS, no network requests at all.

Every string from the input goes through `html.escape`; the script reads its data from an
inline JSON block and builds nothing from strings. A Content-Security-Policy that allows
only the page's own style and script (by hash) and no connections backs both up: even a
mistake in escaping could neither run a script nor fetch anything.
"""

from __future__ import annotations

import base64
import hashlib
import json
from html import escape
from importlib import resources

from scopelint.audit.model import (
    CONSENT,
    EXCESS,
    GRANTED,
    MISSING,
    AuditFinding,
    AuditReport,
    ConnectionAudit,
    ScopeColumn,
)
from scopelint.audit.ranking import AUTH_OR_ENDPOINT_RULES, SECRET_RULES, Tier
from scopelint.audit.render_json import audit_dict
from scopelint.catalog import PRIVILEGED_LEVELS
from scopelint.report.common import plural

# What each matrix cell shows besides its colour, so that it reads in grey print too.
CELL_SYMBOLS = {GRANTED: "✓", EXCESS: "✕", MISSING: "!", CONSENT: "○"}
CELL_MEANINGS = {
    GRANTED: "needed and granted",
    EXCESS: "granted, but no intended action needs it",
    MISSING: "needed, but the token lacks it",
    CONSENT: "needed; granted on the OAuth consent screen",
}
TOP_RISKS = 10


def _asset(name: str) -> str:
    return resources.files("scopelint.audit").joinpath(name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def json_for_script(value: object) -> str:
    """JSON that cannot end its <script> element or open a comment inside it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def render_html(report: AuditReport) -> str:
    style, script = _asset("report.css"), _asset("report.js")
    policy = (
        "default-src 'none'; "
        f"style-src 'sha256-{_sha256(style)}'; "
        f"script-src 'sha256-{_sha256(script)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    t = report.totals
    title = (
        f"scopelint audit: {plural(t.connections, 'connection')}, {plural(t.findings, 'finding')}"
    )
    body = "\n".join(
        [
            _header(report),
            "<main>",
            _overview(report),
            _matrix(report),
            _risks(report),
            _connections(report),
            _findings(report),
            _files(report),
            "</main>",
            _footer(report),
        ]
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="color-scheme" content="light">\n'
        f"<title>{escape(title)}</title>\n"
        f"<style>{style}</style>\n</head>\n<body>\n{body}\n"
        '<script type="application/json" id="audit-data">'
        f"{json_for_script(audit_dict(report))}</script>\n"
        f"<script>{script}</script>\n</body>\n</html>\n"
    )


def _header(report: AuditReport) -> str:
    links = "".join(
        f'<a href="#{anchor}">{label}</a>'
        for anchor, label in (
            ("overview", "Overview"),
            ("matrix", "Scope matrix"),
            ("risks", "What to change first"),
            ("connections", "Connections"),
            ("findings", "Findings"),
            ("files", "Files"),
        )
    )
    extended = (
        f", extended by <code>{escape(report.extended_by)}</code>" if report.extended_by else ""
    )
    return (
        '<header class="page-header"><div class="wrap">'
        '<h1>scopelint <span class="thin">audit</span></h1>'
        f'<p class="meta">As of {escape(report.as_of)} · catalog {escape(report.catalog_date)}'
        f"{extended} · scopelint {escape(report.version)}</p>"
        f'<nav aria-label="Sections">{links}</nav></div></header>'
    )


def _figure(value: str, label: str, note: str = "", tone: str = "") -> str:
    note_html = f'<span class="note">{note}</span>' if note else ""
    return (
        f'<div class="figure{" " + tone if tone else ""}"><span class="value">{value}</span>'
        f'<span class="label">{label}</span>{note_html}</div>'
    )


def _overview(report: AuditReport) -> str:
    t = report.totals
    severities = (
        f'<span class="sev error">{t.errors} error{"s" if t.errors != 1 else ""}</span> '
        f'<span class="sev warning">{t.warnings} warning{"s" if t.warnings != 1 else ""}</span> '
        f'<span class="sev info">{t.infos} info</span>'
    )
    figures = [
        _figure(str(t.files), "files", "plans and client configs"),
        _figure(str(t.connections), "connections"),
        _figure(str(t.findings), "findings", severities, "alert" if t.errors else ""),
        _figure(
            str(t.exposed_secrets),
            "tokens exposed",
            "literal credentials in files",
            "danger" if t.exposed_secrets else "ok",
        ),
        _figure(
            str(t.excess_scopes),
            "excess scopes",
            f"{t.excess_privileged} write, delete or admin",
            "alert" if t.excess_privileged else ("warn" if t.excess_scopes else "ok"),
        ),
        _figure(
            f"{t.minimal}<small> / {t.measurable}</small>",
            "at minimal set",
            "API-token connections granted exactly what they need",
            "ok" if t.minimal == t.measurable else "",
        ),
    ]
    return (
        '<section id="overview" aria-labelledby="overview-title">'
        '<h2 id="overview-title">Overview</h2>'
        f'<div class="figures">{"".join(figures)}</div>{_tier_bar(report)}</section>'
    )


def _tier_bar(report: AuditReport) -> str:
    tiers = report.totals.tiers
    total = sum(tiers.values())
    if not total:
        return ""
    segments, legend = [], []
    for tier in Tier:
        count = tiers.get(tier, 0)
        if not count:
            continue
        # Widths come from counts alone, as classes: the policy allows no inline style.
        share = max(1, round(count * 20 / total))
        segments.append(
            f'<span class="seg tier-{tier.slug} w{share}" title="{escape(tier.label)}: {count}">'
            "</span>"
        )
        legend.append(
            f'<li><span class="swatch tier-{tier.slug}"></span>{escape(tier.label)} '
            f"<b>{count}</b></li>"
        )
    return (
        '<div class="tiers"><h3>Connections by risk</h3>'
        f'<div class="tierbar" role="img" aria-label="connections by risk">{"".join(segments)}'
        f'</div><ul class="tier-legend">{"".join(legend)}</ul></div>'
    )


def _badge(tier: Tier) -> str:
    return f'<span class="badge tier-{tier.slug}">{escape(tier.label)}</span>'


def _path(path: str) -> str:
    """An escaped path that may wrap after a slash, never inside a name."""
    return escape(path).replace("/", "/<wbr>")


def _where(c: ConnectionAudit) -> str:
    return _path(c.path) + (f":{c.line}" if c.line else "")


def _display_name(c: ConnectionAudit) -> str:
    client = f' <span class="client">{escape(c.client)}</span>' if c.client else ""
    return f"{escape(c.name)}{client}"


def _risks(report: AuditReport) -> str:
    risky = [c for c in report.connections if c.tier is not Tier.NONE]
    if not risky:
        body = '<p class="empty">Every connection is at its minimal set, with no findings.</p>'
    else:
        items = []
        for c in risky[:TOP_RISKS]:
            step = f'<p class="next">{escape(c.next_step)}</p>' if c.next_step else ""
            items.append(
                f'<li class="risk tier-edge-{c.tier.slug}"><span class="rank">{c.rank}</span>'
                f'<div class="risk-who"><a href="#c-{c.rank}">{_display_name(c)}</a>'
                f'<span class="where">{_where(c)}</span></div>'
                f'<div class="risk-what">{_badge(c.tier)}<p class="what">{escape(c.headline)}</p>'
                f"{step}</div></li>"
            )
        more = len(risky) - TOP_RISKS
        tail = (
            f'<p class="more">… and {plural(more, "more connection")} with findings, '
            'ranked under <a href="#connections">Connections</a>.</p>'
            if more > 0
            else ""
        )
        body = f'<ol class="risks">{"".join(items)}</ol>{tail}'
    return (
        '<section id="risks" aria-labelledby="risks-title">'
        '<h2 id="risks-title">What to change first</h2>'
        '<p class="lede">Exposed secrets first, then excess write, delete or admin scopes, then '
        "wrong auth or dead endpoints, then excess read scopes, then everything else "
        '(<a href="#ranking">how connections are ranked</a>).</p>'
        f"{body}</section>"
    )


def _legend() -> str:
    items = [
        (GRANTED, "granted", CELL_MEANINGS[GRANTED]),
        (f"{EXCESS} privileged", "excess write/delete/admin", "granted, needed by nothing"),
        (EXCESS, "excess read/search", "granted, needed by nothing"),
        (MISSING, "missing", CELL_MEANINGS[MISSING]),
        (CONSENT, "OAuth", CELL_MEANINGS[CONSENT]),
    ]
    return (
        '<ul class="legend" aria-label="Legend">'
        + "".join(
            f'<li><span class="cell {classes}" aria-hidden="true">'
            f"{CELL_SYMBOLS[classes.split()[0]]}</span><b>{label}</b> {escape(meaning)}</li>"
            for classes, label, meaning in items
        )
        + "</ul>"
    )


def _matrix(report: AuditReport) -> str:
    planned = [c for c in report.connections if c.kind == "plan" and c.scopes]
    clients = sum(1 for c in report.connections if c.kind == "client")
    one = clients == 1
    note = (
        f'<p class="note">{clients} client config {"entry declares" if one else "entries declare"}'
        f" no scopes and {'is' if one else 'are'} not in the matrix; a plan (<code>scopelint "
        "init --from FILE</code>) would put them here.</p>"
        if clients
        else ""
    )
    if not planned:
        return (
            '<section id="matrix" aria-labelledby="matrix-title">'
            '<h2 id="matrix-title">Scope matrix</h2>'
            f'<p class="empty">No plan connection declares tools or scopes.</p>{note}</section>'
        )
    columns = report.columns
    products: list[tuple[str, int]] = []
    for column in columns:
        if products and products[-1][0] == column.product:
            products[-1] = (column.product, products[-1][1] + 1)
        else:
            products.append((column.product, 1))
    product_row = "".join(
        f'<th scope="colgroup" colspan="{span}" class="product">{escape(name)}</th>'
        for name, span in products
    )
    # The first column of each product gets a rule to its left, down the whole table.
    starts = {
        i for i, column in enumerate(columns) if i == 0 or columns[i - 1].product != column.product
    }
    scope_row = "".join(_scope_header(column, i in starts) for i, column in enumerate(columns))
    rows = "".join(_matrix_row(c, columns, starts) for c in planned)
    return (
        '<section id="matrix" aria-labelledby="matrix-title">'
        '<h2 id="matrix-title">Scope matrix</h2>'
        '<p class="lede">Each plan connection against every scope any of them holds or needs, '
        "riskiest first. Columns run from read to admin within each product.</p>"
        f"{_legend()}"
        '<div class="matrix-wrap"><table class="matrix">'
        f'<thead><tr><th rowspan="2" class="corner" scope="col">Connection</th>{product_row}</tr>'
        f"<tr>{scope_row}</tr></thead><tbody>{rows}</tbody></table></div>{note}"
        f"{_extension_note(report)}</section>"
    )


EXTENSION_TITLE = "added by the config's catalog extension, not Atlassian's published list"
EXTENSION_MARK = f'<span class="ext" title="{EXTENSION_TITLE}">config</span>'


def _extension_note(report: AuditReport) -> str:
    """Where the catalog extension shows, and which config it came from."""
    used = any(c.extended for c in report.columns) or any(
        c.extended_actions for c in report.connections
    )
    if not used:
        return ""
    source = f" in <code>{escape(report.extended_by)}</code>" if report.extended_by else ""
    return (
        f'<p class="note">{EXTENSION_MARK} marks tools, actions and scopes from the catalog '
        f"extension{source}: they are as the config describes them, not as Atlassian "
        "publishes them.</p>"
    )


def _scope_header(column: ScopeColumn, start: bool) -> str:
    level = column.level or "unknown"
    privileged = " privileged" if column.level in PRIVILEGED_LEVELS else ""
    first = " start" if start else ""
    if column.extended:
        return (
            f'<th scope="col" class="scope extended level-{escape(level)}{privileged}{first}" '
            f'title="{escape(column.scope)} ({escape(level)}; {EXTENSION_TITLE})">'
            f"<span>{escape(column.scope)} (config)</span></th>"
        )
    return (
        f'<th scope="col" class="scope level-{escape(level)}{privileged}{first}" '
        f'title="{escape(column.scope)} ({escape(level)})"><span>{escape(column.scope)}</span></th>'
    )


def _matrix_row(c: ConnectionAudit, columns: tuple[ScopeColumn, ...], starts: set[int]) -> str:
    by_scope = {row.scope: row for row in c.scopes}
    cells = []
    for i, column in enumerate(columns):
        first = " start" if i in starts else ""
        row = by_scope.get(column.scope)
        if row is None:
            cells.append(f'<td class="cell none{first}"></td>')
            continue
        classes = row.status + first
        if row.status == EXCESS and row.level in PRIVILEGED_LEVELS:
            classes += " privileged"
        meaning = CELL_MEANINGS[row.status]
        needed_by = f"; needed by {', '.join(row.actions)}" if row.actions else ""
        cells.append(
            f'<td class="cell {classes}" title="{escape(c.name)}: {escape(row.scope)}: '
            f'{escape(meaning + needed_by)}"><span aria-hidden="true">'
            f'{CELL_SYMBOLS[row.status]}</span><span class="sr">{escape(row.status)}</span></td>'
        )
    return (
        f'<tr class="tier-row-{c.tier.slug}"><th scope="row" class="conn-cell">'
        f'<a href="#c-{c.rank}"><span class="rank-inline">{c.rank}</span>{escape(c.name)}</a>'
        f'<span class="path">{escape(c.path)}</span></th>{"".join(cells)}</tr>'
    )


def _connections(report: AuditReport) -> str:
    if not report.connections:
        body = '<p class="empty">No connections found.</p>'
    else:
        body = "".join(_connection(report, c) for c in report.connections)
    return (
        '<section id="connections" aria-labelledby="connections-title">'
        '<h2 id="connections-title">Connections</h2>'
        '<p class="lede">Riskiest first. For each: the minimal scope set with the actions that '
        "need each scope, its findings, and the scopes to select when creating its token.</p>"
        f"{body}</section>"
    )


def _chips(c: ConnectionAudit) -> str:
    chips = [c.auth or "auth unknown"]
    chips.extend(v for v in (c.credential, c.availability) if v)
    if c.kind == "client":
        chips.append("client config")
    return "".join(f'<span class="chip">{escape(chip)}</span>' for chip in chips)


def _connection(report: AuditReport, c: ConnectionAudit) -> str:
    url = f'<code class="url">{escape(c.url)}</code>' if c.url else ""
    intro = ""
    if c.tier is not Tier.NONE:
        step = f'<p class="next"><b>Next:</b> {escape(c.next_step)}</p>' if c.next_step else ""
        intro = f'<p class="what">{escape(c.headline)}</p>{step}'
    return (
        f'<article class="conn tier-edge-{c.tier.slug}" id="c-{c.rank}">'
        f'<header><span class="rank">{c.rank}</span><h3>{_display_name(c)}</h3>{_badge(c.tier)}'
        f'<div class="conn-meta">{_chips(c)}<span class="where">{_where(c)}</span>{url}</div>'
        f"</header>{intro}"
        f'<div class="conn-body"><div class="conn-scopes">{_scope_table(c)}</div>'
        f'<div class="conn-side">{_token_box(c)}{_finding_list(report.connection_findings(c))}'
        "</div></div></article>"
    )


def _scope_table(c: ConnectionAudit) -> str:
    if not c.scopes:
        if c.kind == "client":
            return (
                '<p class="empty">A client config names no tools, so its scopes cannot be '
                f"computed: <code>scopelint init --from {escape(c.path)}</code> starts a plan.</p>"
            )
        return '<p class="empty">No tools declared: no minimal set to compute.</p>'
    rows = []
    for row in c.scopes:
        classes = row.status + (
            " privileged" if row.status == EXCESS and row.level in PRIVILEGED_LEVELS else ""
        )
        actions = (
            ", ".join(
                f"<code>{escape(a)}</code>" + (EXTENSION_MARK if a in c.extended_actions else "")
                for a in row.actions
            )
            or "—"
        )
        scope_mark = EXTENSION_MARK if row.extended else ""
        rows.append(
            f"<tr><td><code>{escape(row.scope)}</code>{scope_mark}</td>"
            f"<td>{escape(row.level or 'unknown')}</td><td>{escape(row.group) or '—'}</td>"
            f'<td><span class="status {classes}"><span aria-hidden="true">'
            f"{CELL_SYMBOLS[row.status]}</span> {escape(row.status)}</span></td>"
            f"<td>{actions}</td></tr>"
        )
    caveat = (
        ""
        if c.complete
        else '<p class="note">Some tools or actions are not in the catalog: the minimal set may '
        "be short, and excess is not judged.</p>"
    )
    return (
        '<table class="scopes"><thead><tr><th scope="col">Scope</th><th scope="col">Level</th>'
        '<th scope="col">Group</th><th scope="col">Status</th><th scope="col">Needed by</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>{caveat}"
    )


def _token_box(c: ConnectionAudit) -> str:
    if c.token and c.needed:
        title = "Create the replacement token with" if c.replace_token else "Its token holds"
        scopes = "\n".join(escape(scope) for scope in c.needed)
        return (
            f'<div class="token{" replace" if c.replace_token else ""}">'
            f"<h4>{title} exactly these scopes</h4>"
            f"<pre>{scopes}</pre></div>"
        )
    if c.auth == "oauth" and c.kind == "plan":
        return (
            '<div class="token oauth"><h4>OAuth</h4><p>Scopes come from the consent screen; '
            "there is no token to create.</p></div>"
        )
    return ""


def _finding_list(findings: list[AuditFinding]) -> str:
    if not findings:
        return '<p class="empty">No findings.</p>'
    items = "".join(
        f'<li><span class="sev {f.severity.label}">{f.severity.label}</span> '
        f'<span class="code" title="{escape(f.name)}">{escape(f.code)}</span> '
        f'<span class="loc">{_path(f.path)}:{f.line}:{f.column}</span>'
        f'<span class="msg">{escape(f.message)}</span>'
        + (f'<span class="help">{escape(f.help)}</span>' if f.help else "")
        + "</li>"
        for f in findings
    )
    return f'<h4>Findings</h4><ul class="finding-list">{items}</ul>'


def _findings(report: AuditReport) -> str:
    if not report.findings:
        return (
            '<section id="findings" aria-labelledby="findings-title">'
            '<h2 id="findings-title">Findings</h2><p class="empty">No findings.</p></section>'
        )
    rows = "".join(_finding_row(f) for f in report.findings)
    headers = "".join(
        f'<th scope="col" data-sort="{key}"><button type="button">{label}</button></th>'
        for key, label in (
            ("severity", "Severity"),
            ("rule", "Rule"),
            ("file", "File"),
            ("connection", "Connection"),
            ("message", "Finding"),
        )
    )
    controls = (
        '<div class="controls" id="findings-controls" hidden>'
        '<label>Severity <select id="filter-severity"><option value="">all</option></select>'
        "</label>"
        '<label>Rule <select id="filter-rule"><option value="">all</option></select></label>'
        '<label>File <select id="filter-file"><option value="">all</option></select></label>'
        '<output id="findings-count" aria-live="polite"></output></div>'
    )
    return (
        '<section id="findings" aria-labelledby="findings-title">'
        '<h2 id="findings-title">Findings</h2>'
        '<p class="lede">Every finding, the most severe first. Click a heading to sort; filter '
        "by severity, rule or file.</p>"
        f'{controls}<div class="table-wrap"><table class="findings" id="findings-table">'
        f"<thead><tr>{headers}</tr></thead><tbody>{rows}</tbody></table></div></section>"
    )


def _finding_row(f: AuditFinding) -> str:
    connection = escape(f.connection) if f.connection else '<span class="dim">—</span>'
    help_html = f'<span class="help">{escape(f.help)}</span>' if f.help else ""
    return (
        f'<tr data-index="{f.index}"><td><span class="sev {f.severity.label}">'
        f"{f.severity.label}</span></td>"
        f'<td><span class="code">{escape(f.code)}</span>'
        f'<span class="rule-name">{escape(f.name)}</span></td>'
        f'<td class="loc">{_path(f.path)}:{f.line}:{f.column}</td><td>{connection}</td>'
        f'<td><span class="msg">{escape(f.message)}</span>{help_html}</td></tr>'
    )


def _files(report: AuditReport) -> str:
    if not report.files:
        body = '<p class="empty">No plans or client configs found.</p>'
    else:
        rows = "".join(
            f'<tr><td class="loc">{_path(f.path)}</td><td>{escape(f.kind)}</td>'
            f'<td class="num">{f.connections}</td>{_count(f.errors, "error")}'
            f"{_count(f.warnings, 'warning')}{_count(f.infos, 'info')}</tr>"
            for f in report.files
        )
        body = (
            '<div class="table-wrap"><table class="files"><thead><tr><th scope="col">File</th>'
            '<th scope="col">Kind</th><th scope="col" class="num">Connections</th>'
            '<th scope="col" class="num">Errors</th><th scope="col" class="num">Warnings</th>'
            f'<th scope="col" class="num">Info</th></tr></thead><tbody>{rows}</tbody></table>'
            "</div>"
        )
    return (
        '<section id="files" aria-labelledby="files-title">'
        f'<h2 id="files-title">Files</h2>{body}</section>'
    )


def _count(value: int, severity: str) -> str:
    return f'<td class="num{" has-" + severity if value else " dim"}">{value}</td>'


def _footer(report: AuditReport) -> str:
    sources = ", ".join(
        f'<a href="{escape(url)}" rel="noreferrer">{escape(name)}</a>'
        for name, url in sorted(report.sources.items())
    )
    rules = _rules(report)
    return (
        '<footer class="page-footer"><div class="wrap">'
        '<h2 id="ranking">How connections are ranked</h2>'
        f"<ol><li>Exposed secrets: literal credentials written into the file "
        f"({', '.join(sorted(SECRET_RULES))}).</li>"
        "<li>Excess write, delete or admin scopes: the highest level first (admin, delete, "
        "write), then how many.</li>"
        f"<li>Wrong auth or dead endpoints ({', '.join(sorted(AUTH_OR_ENDPOINT_RULES))}).</li>"
        "<li>Excess read or search scopes.</li>"
        "<li>Every other finding: errors, then warnings, then info.</li></ol>"
        "<p>Each step decides only between connections the steps before it left equal; "
        "ties keep file and name order.</p>"
        f"{rules}<p>Catalog {escape(report.catalog_date)}, from Atlassian's pages: {sources}."
        "</p></div></footer>"
    )


def _rules(report: AuditReport) -> str:
    if not report.rules:
        return ""
    items = "".join(
        f'<dt><span class="code">{escape(code)}</span> {escape(rule.name)}</dt>'
        f"<dd>{escape(rule.summary)}</dd>"
        for code, rule in report.rules.items()
    )
    return f'<h2>Rules in this report</h2><dl class="rules">{items}</dl>'
