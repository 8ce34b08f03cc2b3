"""A plan and a client config full of secrets, for the tests that grep every output.

The tokens are built here, not written out, so the repository holds no token-shaped
text of its own.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

TOKEN = "ATATT3" + "xQ7vLm2Np9Rs4Tu6Wy8Za1Bc3De5Fg7Hj9Kk0Lm2" + "=5F1A2B3C"
PERSONAL = "Zq8" + "Wm4Xp2Rt6Yv9Ls3Kd7Hb1Nc5Gf0Ja"
BASIC = base64.b64encode(f"ops@example.org:{PERSONAL}".encode()).decode()
KEY_IN_CLIENT = "ATCTT3" + "pR5tY7uI9oP1aS3dF5gH7jK9lZ2xC4vB6nM8qW0e"
SECRETS = {
    "token": TOKEN,
    "basic payload": BASIC,
    "decoded token": PERSONAL,
    "client key": KEY_IN_CLIENT,
}

PLAN = f"""\
scopelint: 1
organization: {{workspace_linked: true, api_token_auth: true}}
connections:
  - name: pasted-bearer
    url: https://mcp.atlassian.com/v1/sse
    auth: api-token
    credential: service-account
    header: "Bearer {TOKEN}"
    scopes:
      - read:repository:bitbucket
      - write:repository:bitbucket  # was {TOKEN}
      - {TOKEN}
    tools:
      bitbucketRepository: [list]
  - name: pasted-basic
    url: https://mcp.atlassian.com/v2/mcp
    auth: api-token
    credential: personal
    header: "Basic {BASIC}"
    scopes: [read:jira-work, read:me]
    tools:
      getJiraIssue: all
  - name: "{TOKEN}"
    url: https://mcp.atlassian.com/v2/mcp?key={TOKEN}
    auth: oauth
    tools:
      getJiraIssue: all
"""


CLIENT = json.dumps(
    {
        "mcpServers": {
            "atlassian": {
                "url": "https://mcp.atlassian.com/v1/sse",
                "headers": {"Authorization": f"Bearer {KEY_IN_CLIENT}"},
            }
        }
    },
    indent=2,
)


def write_tree(folder: Path) -> None:
    (folder / "plan.yaml").write_text(PLAN, encoding="utf-8")
    (folder / ".mcp.json").write_text(CLIENT, encoding="utf-8")


def assert_no_secret(output: str, where: str) -> None:
    for name, secret in SECRETS.items():
        # Any 10 characters of it would be a partial leak (a split or a half redaction).
        for start in range(len(secret) - 9):
            assert secret[start : start + 10] not in output, f"{where}: part of the {name}"
