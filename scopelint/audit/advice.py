"""What a report says about one connection: what is wrong in a line, and what to do first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from scopelint.audit.ranking import AUTH_OR_ENDPOINT_RULES, SECRET_RULES, RiskFacts, Tier
from scopelint.catalog import PRIVILEGED_LEVELS
from scopelint.findings import Finding

MAX_LISTED = 3


class _Row(Protocol):
    @property
    def scope(self) -> str: ...
    @property
    def level(self) -> str | None: ...
    @property
    def status(self) -> str: ...


def _listed(scopes: list[str]) -> str:
    shown = ", ".join(scopes[:MAX_LISTED])
    more = len(scopes) - MAX_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def _first(findings: Sequence[Finding], codes: frozenset[str] | None = None) -> Finding | None:
    chosen = [f for f in findings if codes is None or f.code in codes]
    return max(chosen, key=lambda f: f.severity, default=None)


def headline(facts: RiskFacts, rows: Sequence[_Row], findings: Sequence[Finding]) -> str:
    excess = [row for row in rows if row.status == "excess"]
    tier = facts.tier
    if tier is Tier.SECRET:
        count = facts.exposed_secrets
        return f"{count} literal credential{'s' if count > 1 else ''} written into the file"
    if tier is Tier.PRIVILEGED_EXCESS:
        scopes = [r.scope for r in excess if r.level in PRIVILEGED_LEVELS]
        return f"excess {_listed(scopes)}"
    if tier is Tier.AUTH_OR_ENDPOINT:
        found = _first(findings, AUTH_OR_ENDPOINT_RULES)
        return found.message if found else tier.label
    if tier is Tier.READ_EXCESS:
        return f"excess {_listed([r.scope for r in excess if r.level not in PRIVILEGED_LEVELS])}"
    if tier is Tier.OTHER:
        found = _first(findings)
        return found.message if found else tier.label
    if rows and all(row.status == "granted" for row in rows):
        return "at its minimal scope set"
    return "no findings"


def next_step(facts: RiskFacts, kind: str, auth: str | None, findings: Sequence[Finding]) -> str:
    tier = facts.tier
    planned_token = kind == "plan" and auth == "api-token"
    if tier is Tier.SECRET:
        found = _first(findings, SECRET_RULES)
        if planned_token:
            return (
                "revoke the token now, create a new one with exactly the scopes listed, and "
                'reference it ("Bearer ${ATLASSIAN_API_KEY}") instead of writing it in'
            )
        return found.help if found and found.help else "revoke the credential and reference it"
    if tier in (Tier.PRIVILEGED_EXCESS, Tier.READ_EXCESS):
        return (
            "scopes are fixed when a token is created: create one with exactly the scopes "
            "listed, switch the connection to it, then revoke the old one"
        )
    if tier in (Tier.AUTH_OR_ENDPOINT, Tier.OTHER):
        found = _first(findings, AUTH_OR_ENDPOINT_RULES if tier is Tier.AUTH_OR_ENDPOINT else None)
        if found is not None:
            return found.help or f"see `scopelint rule {found.code}`"
    return ""
