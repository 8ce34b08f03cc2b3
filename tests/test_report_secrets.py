"""No secret leaves scopelint, whatever the format: every output is grepped for it."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from scopelint.report import FORMATS

from conftest import AS_OF, CliResult

Run = Callable[..., CliResult]

# Built here, not written out, so the repository holds no token-shaped text of its own.
TOKEN = "ATATT3" + "xQ7vLm2Np9Rs4Tu6Wy8Za1Bc3De5Fg7Hj9Kk0Lm2" + "=5F1A2B3C"
PERSONAL = "Zq8" + "Wm4Xp2Rt6Yv9Ls3Kd7Hb1Nc5Gf0Ja"
BASIC = base64.b64encode(f"ops@example.org:{PERSONAL}".encode()).decode()
KEY_IN_CLIENT = "ATCTT3" + "pR5tY7uI9oP1aS3dF5gH7jK9lZ2xC4vB6nM8qW0e"


def plan_text() -> str:
    return f"""\
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
    url: https://mcp.atlassian.com/v2/mcp
    auth: oauth
    tools:
      getJiraIssue: all
"""


def client_text() -> str:
    return json.dumps(
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


SECRETS = {
    "token": TOKEN,
    "basic payload": BASIC,
    "decoded token": PERSONAL,
    "client key": KEY_IN_CLIENT,
}


def assert_no_secret(output: str, where: str) -> None:
    for name, secret in SECRETS.items():
        # Any 10 characters of it would be a partial leak (a split or a half redaction).
        for start in range(len(secret) - 9):
            assert secret[start : start + 10] not in output, f"{where}: part of the {name}"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "plan.yaml").write_text(plan_text(), encoding="utf-8")
    (tmp_path / ".mcp.json").write_text(client_text(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _check(run_cli: Run, *args: str) -> CliResult:
    return run_cli(
        "check", "--as-of", AS_OF.isoformat(), "--no-color", *args, "plan.yaml", ".mcp.json"
    )


def test_the_fixture_really_holds_findings_about_secrets(tree: Path, run_cli: Run) -> None:
    data = json.loads(_check(run_cli, "--format", "json").out)
    codes = [f["code"] for f in data["findings"]]
    assert codes.count("SL501") == 5  # both headers, the pasted scope, the name, the client
    # Findings whose messages, lines or fixes sit next to a secret.
    assert {"SL101", "SL102", "SL104", "SL401"} <= set(codes)


@pytest.mark.parametrize("output_format", FORMATS)
def test_every_format(tree: Path, run_cli: Run, output_format: str) -> None:
    result = _check(run_cli, "--format", output_format)
    assert result.code == 1
    assert result.out.strip()
    assert_no_secret(result.out + result.err, output_format)


def test_text_with_github_annotations(
    tree: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = _check(run_cli, "--statistics")
    assert "::error" in result.out
    assert_no_secret(result.out + result.err, "text + annotations")


def test_fix_diff(tree: Path, run_cli: Run) -> None:
    result = _check(run_cli, "--diff")
    assert result.code == 1 and result.out.startswith("--- a/")
    assert_no_secret(result.out + result.err, "--diff")


def test_baseline_file_and_stale_entries(tree: Path, run_cli: Run) -> None:
    _check(run_cli, "--write-baseline", "baseline.json")
    written = (tree / "baseline.json").read_text(encoding="utf-8")
    assert json.loads(written)["findings"]
    assert_no_secret(written, "baseline file")
    # Every entry stale now: the stale list is printed, and must not leak either.
    (tree / "plan.yaml").write_text("scopelint: 1\nconnections: []\n", encoding="utf-8")
    result = _check(run_cli, "--baseline", "baseline.json")
    assert "no longer occur" in result.err
    assert_no_secret(result.out + result.err, "stale baseline entries")


@pytest.mark.parametrize("output_format", ["text", "markdown", "json"])
def test_privilege_diff(tree: Path, run_cli: Run, output_format: str) -> None:
    result = run_cli("diff", "--format", output_format, "/dev/null", "plan.yaml")
    assert result.code == 0 and "pasted-bearer" in result.out
    assert_no_secret(result.out + result.err, f"diff --format {output_format}")
