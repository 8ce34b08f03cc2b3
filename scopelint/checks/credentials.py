"""SL501-SL503: credentials written into a plan."""

from __future__ import annotations

from collections.abc import Iterator

from scopelint.checks.base import Hit, PlanContext
from scopelint.credentials import ATLASSIAN_TOKEN, analyse_header
from scopelint.findings import Span
from scopelint.sources.nodes import Mapping, Node, Scalar, Sequence


def header_hits(value: str, span: Span, *, connection: str, subject: str) -> Iterator[Hit]:
    analysis = analyse_header(value)
    for issue in analysis.issues:
        yield Hit(
            issue.code,
            span,
            issue.message,
            subject=f"{subject}:{issue.code}",
            connection=connection,
            help=issue.help,
            secret=analysis.literal_secret,
        )


def check(ctx: PlanContext) -> Iterator[Hit]:
    header_nodes: set[int] = set()
    for conn in ctx.plan.connections:
        if conn.header is not None:
            header_nodes.add(id(conn.header.node))
            yield from header_hits(
                conn.header.value, conn.header.node.span, connection=conn.label, subject="header"
            )
    # A token pasted anywhere else (a comment-like key, a name) is still a leak.
    root = ctx.plan.document.root
    # One scan of the text tells whether any token is there before walking every node
    # (unless escapes could spell one: "\x41TATT3…").
    text = ctx.plan.document.text
    if root is None or not (ATLASSIAN_TOKEN.search(text) or "\\" in text):
        return
    found = 0
    for node in scalars(root):
        if id(node) in header_nodes or not isinstance(node.value, str):
            continue
        match = ATLASSIAN_TOKEN.search(node.value)
        if match:
            found += 1  # numbered in document order, not by line: fingerprints survive moves
            yield Hit(
                "SL501",
                node.span,
                "an Atlassian API token is written into the file (value redacted)",
                subject=f"token#{found}",
                help="revoke the token now and reference it instead: ${ATLASSIAN_API_KEY}",
                secret=match.group(0),
            )


def scalars(root: Node) -> Iterator[Scalar]:
    """Every scalar once, even when aliases share nodes."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, Scalar):
            yield node
        elif isinstance(node, Sequence):
            stack.extend(reversed(node.items))
        elif isinstance(node, Mapping):
            for key, value in reversed(node.pairs):
                stack.extend((value, key))
