"""Deterministic benchmark inputs: realistic token plans of a chosen size."""

from __future__ import annotations

from pathlib import Path

_CONNECTION = """\
  - name: {name}
    url: https://mcp.atlassian.com/v2/mcp
    auth: api-token
    credential: service-account
    availability: private
    header: "Bearer ${{KEY_{index}}}"
    scopes:
      - read:repository:bitbucket
      - read:pullrequest:bitbucket
      - read:pipeline:bitbucket
      - write:pullrequest:bitbucket
    tools:
      bitbucketRepository: [list, get]
      bitbucketPullRequest: [list, get, diff, create]
      bitbucketPipeline: [list, get, steps]
      getJiraIssue: all
"""
_HEADER = """\
# Benchmark plan {index}
scopelint: 1
organization:
  workspace_linked: true
  api_token_auth: true
connections:
"""


def plan_text(index: int, lines: int) -> str:
    """A plan of about `lines` lines (whole connections; at least one)."""
    parts = [_HEADER.format(index=index)]
    count = 0
    while True:
        parts.append(_CONNECTION.format(name=f"conn-{index}-{count}", index=count))
        count += 1
        if sum(p.count("\n") for p in parts) >= lines:
            break
    return "".join(parts)


def write_plans(folder: Path, files: int, lines: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(files):
        path = folder / f"plan-{index:04d}.yaml"
        path.write_text(plan_text(index, lines), encoding="utf-8")
        paths.append(path)
    return paths


# Client configs as projects keep them, one shape a project, cycling through the clients.
# No comments in the JSON, so the parse-only baseline can read it with the json module.
_CLIENT_FILES = (
    (
        ".cursor/mcp.json",
        """{{
  "mcpServers": {{
    "atlassian": {{
      "url": "https://mcp.atlassian.com/v2/mcp",
      "headers": {{ "Authorization": "Bearer ${{env:ATLASSIAN_KEY_{index}}}" }}
    }},
    "github": {{ "url": "https://api.githubcopilot.com/mcp/" }}
  }}
}}
""",
    ),
    (
        ".vscode/mcp.json",
        """{{
  "inputs": [{{ "type": "promptString", "id": "key-{index}", "password": true }}],
  "servers": {{
    "atlassian": {{
      "type": "http",
      "url": "https://mcp.atlassian.com/v2/mcp",
      "headers": {{ "Authorization": "Bearer ${{input:key-{index}}}" }}
    }}
  }}
}}
""",
    ),
    (
        ".mcp.json",
        """{{
  "mcpServers": {{
    "atlassian": {{ "type": "http", "url": "https://mcp.atlassian.com/v2/mcp" }}
  }}
}}
""",
    ),
    (
        ".codex/config.toml",
        """# project {index}
[mcp_servers.atlassian]
url = "https://mcp.atlassian.com/v2/mcp"
bearer_token_env_var = "ATLASSIAN_KEY_{index}"
""",
    ),
)


def write_client_tree(folder: Path, count: int) -> list[Path]:
    """`count` projects under `folder`, each holding one MCP client config."""
    paths = []
    for index in range(count):
        name, template = _CLIENT_FILES[index % len(_CLIENT_FILES)]
        path = folder / f"project-{index:03d}" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(index=index), encoding="utf-8")
        paths.append(path)
    return paths
