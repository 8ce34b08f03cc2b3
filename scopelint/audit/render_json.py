"""The audit as versioned JSON (docs/audit.schema.json); the HTML report embeds the same data."""

from __future__ import annotations

import json
from typing import Any

from scopelint.audit.model import AuditFinding, AuditReport, ConnectionAudit, FileAudit
from scopelint.audit.ranking import Tier

AUDIT_JSON_VERSION = 1


def audit_dict(report: AuditReport) -> dict[str, Any]:
    totals = report.totals
    return {
        "version": AUDIT_JSON_VERSION,
        "tool": {"name": "scopelint", "version": report.version, "catalog": report.catalog_date},
        "as_of": report.as_of,
        "catalog_extension": report.extended_by,
        "summary": {
            "files": totals.files,
            "connections": totals.connections,
            "findings": totals.findings,
            "error": totals.errors,
            "warning": totals.warnings,
            "info": totals.infos,
            "exposed_secrets": totals.exposed_secrets,
            "excess_scopes": totals.excess_scopes,
            "excess_privileged_scopes": totals.excess_privileged,
            "missing_scopes": totals.missing_scopes,
            "minimal_connections": totals.minimal,
            "measurable_connections": totals.measurable,
            "tiers": {tier.slug: totals.tiers.get(tier, 0) for tier in Tier},
        },
        "files": [_file(f) for f in report.files],
        "scopes": [
            {"scope": c.scope, "level": c.level, "product": c.product, "extended": c.extended}
            for c in report.columns
        ],
        "connections": [_connection(c) for c in report.connections],
        "findings": [_finding(f) for f in report.findings],
    }


def _file(file: FileAudit) -> dict[str, Any]:
    return {
        "path": file.path,
        "kind": file.kind,
        "connections": file.connections,
        "findings": file.findings,
        "error": file.errors,
        "warning": file.warnings,
        "info": file.infos,
    }


def _connection(c: ConnectionAudit) -> dict[str, Any]:
    facts = c.facts
    return {
        "rank": c.rank,
        "risk": {
            "tier": c.tier.slug,
            "label": c.tier.label,
            "exposed_secrets": facts.exposed_secrets,
            "privileged_excess": len(facts.privileged_excess),
            "highest_excess_level": facts.highest_privileged_level,
            "auth_or_endpoint": facts.auth_or_endpoint,
            "read_excess": facts.read_excess,
            "error": facts.errors,
            "warning": facts.warnings,
            "info": facts.infos,
        },
        "headline": c.headline,
        "next_step": c.next_step,
        "path": c.path,
        "name": c.name,
        "kind": c.kind,
        "line": c.line,
        "auth": c.auth,
        "url": c.url,
        "client": c.client,
        "availability": c.availability,
        "credential": c.credential,
        "complete": c.complete,
        "minimal": c.minimal,
        "replace_token": c.replace_token,
        "token_scopes": list(c.needed) if c.token else [],
        "scopes": [
            {
                "scope": row.scope,
                "level": row.level,
                "product": row.product,
                "group": row.group,
                "status": row.status,
                "actions": list(row.actions),
                "extended": row.extended,
            }
            for row in c.scopes
        ],
        "findings": list(c.findings),
        "extended_actions": list(c.extended_actions),
    }


def _finding(f: AuditFinding) -> dict[str, Any]:
    return {
        "code": f.code,
        "name": f.name,
        "severity": f.severity.label,
        "message": f.message,
        "help": f.help,
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "connection": f.connection,
        "fingerprint": f.fingerprint,
    }


def render_json(report: AuditReport) -> str:
    return json.dumps(audit_dict(report), indent=2, ensure_ascii=False) + "\n"
