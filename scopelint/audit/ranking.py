"""Which connection to fix first: a documented, total order on connections by risk.

The rule (docs/audit.md repeats it): compare connections on these facts in turn, the
larger value ranking first, and fall back to the file and the connection name.

1. exposed secrets: literal credentials in the file (SL501 findings);
2. excess write, delete or admin scopes: the highest such level (admin > delete > write),
   then how many there are;
3. wrong auth or dead endpoints: findings of the rules in AUTH_OR_ENDPOINT_RULES;
4. excess read or search scopes: how many;
5. every other finding: errors, then warnings, then info.

So one pasted token outranks any number of excess scopes: a leaked credential is usable
by anyone who can read the repository, an excess scope only by whoever holds the token.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import TypeVar

from scopelint.catalog import LEVELS

SECRET_RULES = frozenset({"SL501"})
# Connections that cannot work as configured, or reach the server the wrong way.
AUTH_OR_ENDPOINT_RULES = frozenset(
    {"SL301", "SL302", "SL303", "SL304", "SL401", "SL402", "SL404", "SL406"}
)


class Tier(IntEnum):
    """The first fact that is not zero: what kind of risk a connection carries."""

    SECRET = 1
    PRIVILEGED_EXCESS = 2
    AUTH_OR_ENDPOINT = 3
    READ_EXCESS = 4
    OTHER = 5
    NONE = 6

    @property
    def label(self) -> str:
        return _TIER_LABELS[self]

    @property
    def short(self) -> str:
        return _TIER_SHORT[self]

    @property
    def slug(self) -> str:
        return self.name.lower().replace("_", "-")


_TIER_LABELS = {
    Tier.SECRET: "exposed secret",
    Tier.PRIVILEGED_EXCESS: "excess write/delete/admin scope",
    Tier.AUTH_OR_ENDPOINT: "wrong auth or dead endpoint",
    Tier.READ_EXCESS: "excess read scope",
    Tier.OTHER: "other findings",
    Tier.NONE: "no findings",
}

_TIER_SHORT = {
    Tier.SECRET: "secret",
    Tier.PRIVILEGED_EXCESS: "excess write",
    Tier.AUTH_OR_ENDPOINT: "auth/endpoint",
    Tier.READ_EXCESS: "excess read",
    Tier.OTHER: "findings",
    Tier.NONE: "clean",
}


@dataclass(frozen=True)
class RiskFacts:
    exposed_secrets: int = 0
    privileged_excess: tuple[str, ...] = ()  # the level of each excess write/delete/admin scope
    auth_or_endpoint: int = 0
    read_excess: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0

    @property
    def tier(self) -> Tier:
        if self.exposed_secrets:
            return Tier.SECRET
        if self.privileged_excess:
            return Tier.PRIVILEGED_EXCESS
        if self.auth_or_endpoint:
            return Tier.AUTH_OR_ENDPOINT
        if self.read_excess:
            return Tier.READ_EXCESS
        if self.errors or self.warnings or self.infos:
            return Tier.OTHER
        return Tier.NONE

    @property
    def highest_privileged_level(self) -> str | None:
        return max(self.privileged_excess, key=_level_rank, default=None)


def _level_rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else -1


def risk_key(facts: RiskFacts) -> tuple[int, ...]:
    """Sorts the riskiest first: every fact negated, in the order of the rule above."""
    highest = facts.highest_privileged_level
    return (
        -facts.exposed_secrets,
        -(_level_rank(highest) + 1 if highest else 0),
        -len(facts.privileged_excess),
        -facts.auth_or_endpoint,
        -facts.read_excess,
        -facts.errors,
        -facts.warnings,
        -facts.infos,
    )


T = TypeVar("T")


def rank(
    items: Iterable[T],
    facts_of: Callable[[T], RiskFacts],
    tie_of: Callable[[T], tuple[str | int, ...]],
) -> list[T]:
    """`items` riskiest first; equal risks in `tie_of` order (file, then name)."""
    return sorted(items, key=lambda item: (risk_key(facts_of(item)), tie_of(item)))
