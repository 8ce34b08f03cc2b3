"""No audit format prints a secret: a plan and a client config holding tokens, every format."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from scopelint.commands.audit import AUDIT_FORMATS

from conftest import AS_OF, CliResult

Run = Callable[..., CliResult]

# Built here, not written out, so the repository holds no token-shaped text of its own.
TOKEN = "ATATT3" + "xQ7vLm2Np9Rs4Tu6Wy8Za1Bc3De5Fg7Hj9Kk0Lm2" + "=5F1A2B3C"
PERSONAL = "Zq8" + "Wm4Xp2Rt6Yv9Ls3Kd7Hb1Nc5Gf0Ja"
BASIC = base64.b64encode(f"ops@example.org:{PERSONAL}".encode()).decode()
KEY_IN_CLIENT = "ATCTT3" + "pR5tY7uI9oP1aS3dF5gH7jK9lZ2xC4vB6nM8qW0e"
SECRETS = {"token": TOKEN, "basic payload": BASIC, "decoded": PERSONAL, "client": KEY_IN_CLIENT}

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


def assert_no_secret(output: str, where: str) -> None:
    for name, secret in SECRETS.items():
        # Any 10 characters of it would be a partial leak (a split or a half redaction).
        for start in range(len(secret) - 9):
            assert secret[start : start + 10] not in output, f"{where}: part of the {name}"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    (tmp_path / ".mcp.json").write_text(
        json.dumps(
            {
                "mcpServers": {
                    "atlassian": {
                        "url": "https://mcp.atlassian.com/v1/sse",
                        "headers": {"Authorization": f"Bearer {KEY_IN_CLIENT}"},
                    }
                }
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_tree_really_exposes_secrets(tree: Path, run_cli: Run) -> None:
    data = json.loads(run_cli("audit", "--format", "json", ".").out)
    # Both headers, the pasted scope, the name, the URL's query, and the client's header.
    assert data["summary"]["exposed_secrets"] == 6
    assert [c["risk"]["tier"] for c in data["connections"][:3]] == ["secret"] * 3


@pytest.mark.parametrize("output_format", AUDIT_FORMATS)
def test_every_format(tree: Path, run_cli: Run, output_format: str) -> None:
    result = run_cli(
        "audit", "--as-of", AS_OF.isoformat(), "--format", output_format, "--top", "0", "."
    )
    assert result.code == 0
    # The mask shows where each secret was (Markdown escapes its asterisks).
    assert ("\\*" * 4 if output_format == "markdown" else "****") in result.out
    assert_no_secret(result.out + result.err, output_format)


def test_output_file_and_error_messages(tree: Path, run_cli: Run) -> None:
    result = run_cli("audit", "--format", "html", "-o", "out/audit.html", ".", f"{TOKEN}.yaml")
    assert result.code == 2
    assert_no_secret(result.out + result.err, "stderr")
    assert_no_secret((tree / "out" / "audit.html").read_text(encoding="utf-8"), "html file")
