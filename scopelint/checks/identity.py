"""SL601, SL602: who a shared connection acts as."""

from __future__ import annotations

from collections.abc import Iterator

from scopelint.catalog import PRIVILEGED_LEVELS
from scopelint.checks.base import Hit, PlanContext


def check(ctx: PlanContext) -> Iterator[Hit]:
    for conn in ctx.plan.connections:
        if not conn.is_global or conn.auth is None or conn.auth.value != "api-token":
            continue
        assert conn.availability is not None
        if conn.credential is not None and conn.credential.value == "personal":
            yield Hit(
                "SL601",
                conn.credential.node.span,
                f"global connection '{conn.label}' uses a personal token: everyone acts as one "
                "person, and it stops working when they leave",
                subject="credential",
                connection=conn.label,
                help="use a service-account key for shared connections, or make it private",
            )
        for scope in conn.scopes or []:
            level = ctx.catalog.level(scope.value)
            if level in PRIVILEGED_LEVELS:
                yield Hit(
                    "SL602",
                    scope.node.span,
                    f"global connection '{conn.label}' holds {level} scope '{scope.value}': "
                    "every user's writes appear as one identity",
                    subject=scope.value,
                    connection=conn.label,
                    help="keep shared connections read-only and give writers private "
                    "connections (OAuth keeps per-user attribution)",
                )
