"""`init`: a starter plan that lints clean, to edit."""

from __future__ import annotations

STARTER_PLAN = """\
# A scopelint token plan: the tools each connection is meant to use, and the
# scopes its token was created with. `scopelint scopes plan.yaml` shows the
# minimal set; `scopelint check` reports anything beyond it.
scopelint: 1
organization:
  workspace_linked: true   # the Bitbucket workspace is linked to the organization
  api_token_auth: true     # API-token auth is enabled for the Rovo MCP server
connections:
  - name: bitbucket-review
    url: https://mcp.atlassian.com/v2/mcp
    auth: api-token
    credential: service-account
    availability: private
    header: "Bearer ${BITBUCKET_MCP_KEY}"
    scopes:
      - read:repository:bitbucket
      - read:pullrequest:bitbucket
    tools:
      bitbucketRepository: [list, get]
      bitbucketPullRequest: [list, get, diff]
  - name: jira-oauth
    url: https://mcp.atlassian.com/v2/mcp
    auth: oauth
    tools:
      getJiraIssue: all
      searchJiraIssuesUsingJql: all
"""


def starter_plan() -> str:
    return STARTER_PLAN


def plan_from_client(path: str) -> str:
    """A starter plan with one connection per Atlassian entry of an MCP client config.

    Raises ValueError with a one-line message when the file cannot be used.
    """
    from scopelint.catalog import load_catalog
    from scopelint.checks.clients import atlassian_endpoint
    from scopelint.sources.client_files import client_for_path, generic_client
    from scopelint.sources.clients import parse_client_text, read_entries
    from scopelint.sources.reading import (
        Limits,
        MissingPath,
        UnreadableFile,
        decode,
        read_bytes,
    )

    client_file = client_for_path(path) or generic_client(path)
    if client_file is None:
        raise ValueError(f"{path}: not an MCP client config (a .json, .jsonc or .toml file)")
    limits = Limits()
    try:
        text = decode(read_bytes(path, limits))
    except (UnreadableFile, MissingPath) as exc:
        raise ValueError(str(exc) if isinstance(exc, MissingPath) else f"{path}: {exc}") from None
    document = parse_client_text(path, text, client_file, limits)
    for problem in document.problems:
        if problem.code == "SL001":
            span = problem.span
            raise ValueError(f"{path}:{span.line}:{span.column}: {problem.message}")
    catalog = load_catalog()
    entries = [
        entry
        for entry in read_entries(document.root, client_file).entries
        if atlassian_endpoint(entry, catalog) is not None
    ]
    if not entries:
        raise ValueError(f"{path}: no server entry reaches {catalog.host}; nothing to plan")
    from scopelint.commands.client_plan import render_plan

    return render_plan(path, client_file.client, entries)
