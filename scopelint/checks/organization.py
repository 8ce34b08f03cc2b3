"""SL701-SL704: organization prerequisites the plan depends on."""

from __future__ import annotations

from collections.abc import Iterator

from scopelint.checks.base import Hit, PlanContext
from scopelint.findings import Severity
from scopelint.sources.plan import Connection


def check(ctx: PlanContext) -> Iterator[Hit]:
    plan, org = ctx.plan, ctx.plan.organization
    bitbucket = [c for c in plan.connections if "bitbucket" in ctx.view(c).products]
    tokens = [c for c in plan.connections if c.auth is not None and c.auth.value == "api-token"]
    yield from _prerequisite(
        ctx,
        "workspace_linked",
        bitbucket,
        "SL701",
        "Bitbucket is planned but the workspace is not linked to an Atlassian organization",
        "link the Bitbucket workspace to the organization (admin.atlassian.com) and set "
        "`workspace_linked: true`",
        "Bitbucket is planned",
    )
    yield from _prerequisite(
        ctx,
        "api_token_auth",
        tokens,
        "SL702",
        "API-token connections are planned but API-token auth is disabled for the Rovo MCP server",
        "enable API-token authentication for the Rovo MCP server in the organization's "
        "settings, or move these connections to OAuth",
        "an API-token connection is planned",
    )
    if org.flag("ip_allowlist") is True:
        egress = org.flags.get("gateway_egress_allowed")
        if egress is None:
            yield Hit(
                "SL703",
                org.flags["ip_allowlist"][1].span,
                "the organization enforces an IP allowlist; confirm the gateway's egress IPs "
                "are on it (`gateway_egress_allowed` is unset)",
                subject="gateway_egress_allowed",
                severity=Severity.WARNING,
                help="add the gateway's egress IPs to the allowlist and set "
                "`gateway_egress_allowed: true`",
            )
        elif egress[0] is False:
            yield Hit(
                "SL703",
                egress[1].span,
                "the IP allowlist blocks the gateway: its egress IPs are not allowed",
                subject="gateway_egress_allowed",
                help="add the gateway's egress IPs to the organization's IP allowlist",
            )


def _prerequisite(
    ctx: PlanContext,
    flag: str,
    needing: list[Connection],
    code: str,
    message: str,
    help: str,
    need: str,
) -> Iterator[Hit]:
    if not needing:
        return
    org = ctx.plan.organization
    value = org.flags.get(flag)
    if value is None:
        first = needing[0]
        anchor = first.name.node if first.name else first.node
        yield Hit(
            "SL704",
            anchor.span,
            f"{need} but `organization.{flag}` is unset: confirm the prerequisite",
            subject=flag,
            connection=first.label,
            help=f"check it with an organization admin and record `{flag}: true`",
        )
    elif value[0] is False:
        yield Hit(code, value[1].span, message, subject=flag, help=help)
