"""Plan checks, one family a module. Each is a pure function from a context to hits."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from scopelint.checks import (
    auth,
    catalog_age,
    credentials,
    endpoints,
    identity,
    organization,
    scopes,
    structure,
    tools,
)
from scopelint.checks.base import Hit, PlanContext

PlanCheck = Callable[[PlanContext], Iterator[Hit]]

PLAN_CHECKS: tuple[PlanCheck, ...] = (
    structure.check,
    tools.check,
    scopes.check,
    auth.check,
    endpoints.check,
    credentials.check,
    identity.check,
    organization.check,
    catalog_age.check,
)
