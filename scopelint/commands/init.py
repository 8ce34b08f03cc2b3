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
