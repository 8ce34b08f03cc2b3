"""--fix and --diff: safe fixes that touch nothing else in the file."""

from __future__ import annotations

import codecs
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from scopelint.catalog import load_catalog, load_rules
from scopelint.commands import fix as fix_module
from scopelint.engine import Engine, Options
from scopelint.findings import Fix
from scopelint.fixes import apply_fixes

from conftest import AS_OF, EXAMPLES, CliResult, lint_text

Run = Callable[..., CliResult]
CATALOG = load_catalog()

BLOCK = """\
# Review bot token.  Keep this comment.
scopelint: 1
organization:
  workspace_linked: true
  api_token_auth: true
connections:
  - name: review          # the bot
    url: "https://mcp.atlassian.com/v2/mcp"
    auth: api-token
    credential: service-account
    header: 'Bearer ${REVIEW_KEY}'
    scopes:
      # granted when the token was made
      - read:repository:bitbucket
      - 'read:pipeline:bitbucket'   # "just in case"
      - read:pullrequest:bitbucket
      - "admin:repository:bitbucket"
    tools:
      bitbucketRepository: [list, get]
      bitbucketPullRequest: [list]
"""

BLOCK_FIXED = """\
# Review bot token.  Keep this comment.
scopelint: 1
organization:
  workspace_linked: true
  api_token_auth: true
connections:
  - name: review          # the bot
    url: "https://mcp.atlassian.com/v2/mcp"
    auth: api-token
    credential: service-account
    header: 'Bearer ${REVIEW_KEY}'
    scopes:
      # granted when the token was made
      - read:repository:bitbucket
      - read:pullrequest:bitbucket
    tools:
      bitbucketRepository: [list, get]
      bitbucketPullRequest: [list]
"""


def flow_plan(scopes: str, url: str = "https://mcp.atlassian.com/v2/mcp") -> str:
    return f"""\
scopelint: 1
organization: {{workspace_linked: true, api_token_auth: true}}
connections:
  - name: flow
    url: {url}
    auth: api-token
    credential: service-account
    header: "Bearer ${{KEY}}"
    scopes: {scopes}  # trailing comment
    tools: {{bitbucketRepository: [list]}}
"""


def fix_text(text: str, tmp_path: Path, run_cli: Run, name: str = "plan.yaml") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    result = run_cli("check", "--as-of", AS_OF.isoformat(), "--fix", str(path))
    assert result.code in (0, 1), result.err
    return path.read_bytes().decode("utf-8")


def test_block_list_items_go_with_their_line_and_nothing_else_moves(
    tmp_path: Path, run_cli: Run
) -> None:
    assert fix_text(BLOCK, tmp_path, run_cli) == BLOCK_FIXED


def test_fix_reports_what_remains(tmp_path: Path, run_cli: Run) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text((EXAMPLES / "over-provisioned.yaml").read_text(encoding="utf-8"))
    result = run_cli("check", "--no-color", "--fix", str(plan))
    assert result.code == 1
    assert "scopelint: fixed 3 problems in 1 file" in result.err
    # Adding a missing scope is never automatic: a new token is needed.
    assert "SL103 [missing-scope]" in result.out
    assert "SL101" not in result.out and "SL102" not in result.out
    assert "read:workspace:bitbucket" not in plan.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("scopes", "fixed"),
    [
        (
            "[read:pipeline:bitbucket, read:repository:bitbucket]",
            "[read:repository:bitbucket]",
        ),
        (
            "[read:repository:bitbucket, 'admin:pipeline:bitbucket']",
            "[read:repository:bitbucket]",
        ),
        (
            '[read:repository:bitbucket, "read:pipeline:bitbucket", read:pullrequest:bitbucket]',
            "[read:repository:bitbucket]",
        ),
        (
            "[ read:pipeline:bitbucket , read:repository:bitbucket , write:pipeline:bitbucket, ]",
            "[ read:repository:bitbucket, ]",
        ),
        (
            "[\n      read:pipeline:bitbucket,\n      read:repository:bitbucket,\n    ]",
            "[\n      read:repository:bitbucket,\n    ]",
        ),
    ],
)
def test_flow_list_entries_go_with_one_comma(
    tmp_path: Path, run_cli: Run, scopes: str, fixed: str
) -> None:
    assert fix_text(flow_plan(scopes), tmp_path, run_cli) == flow_plan(fixed)


def test_crlf_files_stay_crlf(tmp_path: Path, run_cli: Run) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(BLOCK.replace("\n", "\r\n").encode())
    run_cli("check", "--fix", str(path))
    assert path.read_bytes() == BLOCK_FIXED.replace("\n", "\r\n").encode()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_the_encoding_and_its_bom_are_kept(tmp_path: Path, run_cli: Run, encoding: str) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(BLOCK.encode(encoding))
    run_cli("check", "--fix", str(path))
    data = path.read_bytes()
    assert data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    assert data == BLOCK_FIXED.encode(encoding)


def test_retired_endpoint_becomes_the_recommended_one(tmp_path: Path, run_cli: Run) -> None:
    recommended = CATALOG.recommended["api-token"]
    for url, expected in [
        ("https://mcp.atlassian.com/v1/sse", f"https://mcp.atlassian.com{recommended}"),
        ("'https://mcp.atlassian.com/v1/sse/'", f"'https://mcp.atlassian.com{recommended}/'"),
        (
            '"https://mcp.atlassian.com/v1/sse?tools=all"',
            f'"https://mcp.atlassian.com{recommended}?tools=all"',
        ),
    ]:
        text = flow_plan("[read:repository:bitbucket]", url)
        assert fix_text(text, tmp_path, run_cli) == flow_plan(
            "[read:repository:bitbucket]", expected
        )


def test_oauth_connections_get_the_oauth_recommendation(tmp_path: Path, run_cli: Run) -> None:
    text = (EXAMPLES / "endpoints.yaml").read_text(encoding="utf-8")
    fixed = fix_text(text, tmp_path, run_cli)
    old = "url: https://mcp.atlassian.com/v1/sse\n"
    assert fixed == text.replace(
        old, f"url: https://mcp.atlassian.com{CATALOG.recommended['oauth']}\n"
    )


def test_no_fix_where_it_would_not_be_safe(tmp_path: Path) -> None:
    cases = {
        # Every listed scope is excess: the token must be made again, not the list emptied.
        "all excess": flow_plan("[read:pipeline:bitbucket, admin:pipeline:bitbucket]"),
        # A comment between entries would be deleted with the comma.
        "comment in flow": flow_plan(
            "[read:pipeline:bitbucket,  # why\n      read:repository:bitbucket]"
        ),
        # The list is shared through an anchor: removing from it changes both connections.
        "anchored": """\
scopelint: 1
organization: {workspace_linked: true, api_token_auth: true}
connections:
  - name: one
    url: https://mcp.atlassian.com/v2/mcp
    auth: api-token
    credential: service-account
    header: "Bearer ${KEY}"
    scopes: &shared [read:repository:bitbucket, read:pipeline:bitbucket]
    tools: {bitbucketRepository: [list]}
  - name: two
    url: https://mcp.atlassian.com/v2/mcp
    auth: api-token
    credential: service-account
    header: "Bearer ${KEY}"
    scopes: *shared
    tools: {bitbucketPipeline: [list], bitbucketRepository: [list]}
""",
    }
    for name, text in cases.items():
        findings = lint_text(text)
        excess = [f for f in findings if f.code in ("SL101", "SL102")]
        assert excess, name
        assert all(f.fix is None for f in excess), name


def test_merged_mappings_are_not_edited() -> None:
    text = """\
scopelint: 1
organization: {workspace_linked: true, api_token_auth: true}
connections:
  - &base
    name: one
    url: https://mcp.atlassian.com/v1/sse
    auth: api-token
    credential: service-account
    header: "Bearer ${KEY}"
    scopes:
      - read:repository:bitbucket
      - read:pipeline:bitbucket
    tools: {bitbucketRepository: [list]}
  - <<: *base
    name: two
"""
    findings = lint_text(text)
    assert {f.code for f in findings} >= {"SL101", "SL401"}
    assert all(f.fix is None for f in findings if f.code in ("SL101", "SL401"))


def test_a_missing_scope_is_never_added(tmp_path: Path, run_cli: Run) -> None:
    findings = lint_text((EXAMPLES / "over-provisioned.yaml").read_text(encoding="utf-8"))
    assert [f.fix for f in findings if f.code == "SL103"] == [None]


def test_second_run_writes_nothing(tmp_path: Path, run_cli: Run) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(BLOCK, encoding="utf-8")
    run_cli("check", "--fix", str(path))
    before = path.stat()
    result = run_cli("check", "--fix", str(path))
    after = path.stat()
    assert result.code == 0 and "fixed" not in result.err
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_the_file_mode_is_kept(tmp_path: Path, run_cli: Run) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(BLOCK, encoding="utf-8")
    path.chmod(0o600)
    run_cli("check", "--fix", str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="utf-8") == BLOCK_FIXED


def test_diff_shows_a_patch_that_applies_and_writes_nothing(
    tmp_path: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("plan.yaml").write_text(BLOCK, encoding="utf-8")
    result = run_cli("check", "--diff", "plan.yaml")
    assert result.code == 1
    assert result.out.startswith("--- a/plan.yaml\n+++ b/plan.yaml\n@@ ")
    assert "-      - 'read:pipeline:bitbucket'   # \"just in case\"\n" in result.out
    assert "would fix 2 problems in 1 file" in result.err
    assert Path("plan.yaml").read_text(encoding="utf-8") == BLOCK
    Path("fix.patch").write_text(result.out, encoding="utf-8")
    subprocess.run(["git", "apply", "fix.patch"], check=True, capture_output=True)
    assert Path("plan.yaml").read_text(encoding="utf-8") == BLOCK_FIXED


def test_diff_with_nothing_to_fix(run_cli: Run) -> None:
    result = run_cli("check", "--diff", str(EXAMPLES / "clean.yaml"))
    assert (result.code, result.out) == (0, "")
    assert "nothing to fix" in result.err


def test_diff_reads_standard_input(run_cli: Run) -> None:
    result = run_cli("check", "--diff", "-", input=BLOCK)
    assert result.out.startswith("--- a/<stdin>\n+++ b/<stdin>\n")


def test_usage_errors(run_cli: Run) -> None:
    result = run_cli("check", "--fix", "-", input=BLOCK)
    assert result.code == 2
    assert (
        result.err
        == "scopelint: error: --fix cannot rewrite standard input; use --diff to see the fixes\n"
    )
    result = run_cli("check", "--diff", "--format", "json", str(EXAMPLES / "clean.yaml"))
    assert result.code == 2 and result.err.count("\n") == 1


def test_a_file_edited_after_linting_is_not_overwritten(
    tmp_path: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(BLOCK, encoding="utf-8")
    edited = BLOCK.replace("# the bot", "# edited in another window")
    real_fix_file = fix_module.fix_file

    def fix_then_edit(*args: object) -> fix_module.FileFix:
        outcome = real_fix_file(*args)  # type: ignore[arg-type]
        path.write_text(edited, encoding="utf-8")
        return outcome

    monkeypatch.setattr(fix_module, "fix_file", fix_then_edit)
    result = run_cli("check", "--no-color", "--fix", str(path))
    assert path.read_text(encoding="utf-8") == edited
    assert f"{path} changed on disk after it was linted; not fixed" in result.err
    # What is reported is what is on disk: the findings were not fixed.
    assert result.code == 1 and "SL102" in result.out


def test_a_failed_write_reports_and_keeps_the_file(
    tmp_path: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(BLOCK, encoding="utf-8")

    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", full_disk)
    result = run_cli("check", "--no-color", "--fix", str(path))
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == BLOCK
    assert "No space left on device" in result.err and "Traceback" not in result.err
    assert result.code == 1


def test_overlapping_fixes_are_applied_over_several_passes(tmp_path: Path, run_cli: Run) -> None:
    """The last two entries of a flow list: their fixes share a comma, so one waits a pass."""
    text = flow_plan(
        "[read:repository:bitbucket, read:pipeline:bitbucket, write:pipeline:bitbucket]"
    )
    findings = [f for f in lint_text(text) if f.fix is not None]
    fixes = [f.fix for f in findings if f.fix is not None]
    assert len(apply_fixes(text, fixes).skipped) == 1
    assert fix_text(text, tmp_path, run_cli) == flow_plan("[read:repository:bitbucket]")


def test_apply_fixes_keeps_order_and_skips_overlaps() -> None:
    text = "abcdefgh"
    applied = apply_fixes(
        text, [Fix("x", 5, 7, "Z"), Fix("y", 1, 3, ""), Fix("z", 2, 4, "Q"), Fix("w", 8, 8, "!")]
    )
    assert applied.text == "adeZh!"
    assert [f.description for f in applied.skipped] == ["z"]


def test_client_config_urls_are_fixed_too(tmp_path: Path, run_cli: Run) -> None:
    config = tmp_path / ".mcp.json"
    text = '{\n  // Atlassian\n  "mcpServers": {\n    "atlassian": {"url": "https://mcp.atlassian.com/v1/sse"},\n  },\n}\n'
    config.write_text(text, encoding="utf-8")
    run_cli("check", "--fix", str(config))
    recommended = CATALOG.recommended["oauth"]
    assert config.read_text(encoding="utf-8") == text.replace("/v1/sse", recommended)


def test_a_baselined_finding_is_not_fixed(tmp_path: Path, run_cli: Run) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(BLOCK, encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    run_cli("check", "--select", "SL102", "--write-baseline", str(baseline), str(path))
    run_cli("check", "--baseline", str(baseline), "--fix", str(path))
    fixed = path.read_text(encoding="utf-8")
    assert "read:pipeline:bitbucket" not in fixed  # SL101: reported, so fixed
    assert "admin:repository:bitbucket" in fixed  # SL102: accepted by the baseline


EXCESS = [
    s for s in CATALOG.scopes if s.endswith(":bitbucket") and s != "read:repository:bitbucket"
]


@settings(max_examples=40, deadline=None)
@given(
    extra=st.lists(st.sampled_from(EXCESS), unique=True, min_size=1, max_size=6),
    position=st.integers(min_value=0, max_value=6),
    flow=st.booleans(),
    crlf=st.booleans(),
)
def test_fixed_plans_keep_exactly_the_needed_scope(
    extra: list[str], position: int, flow: bool, crlf: bool
) -> None:
    scopes = list(extra)
    scopes.insert(min(position, len(scopes)), "read:repository:bitbucket")
    if flow:
        listing = "[" + ", ".join(scopes) + "]"
    else:
        listing = "\n" + "".join(f"      - {s}  # {s}\n" for s in scopes).rstrip("\n")
    text = flow_plan(listing)
    if crlf:
        text = text.replace("\n", "\r\n")
    engine = Engine(CATALOG, load_rules(), Options(as_of=AS_OF))
    file = engine.lint_plan_text("plan.yaml", text, set())
    outcome = fix_module.fix_file(engine, file, lambda found: found, set())
    fixed = outcome.after
    assert outcome.problem is None
    assert yaml.safe_load(fixed)["connections"][0]["scopes"] == ["read:repository:bitbucket"]
    assert fixed.count("\r\n") == fixed.count("\n") if crlf else "\r" not in fixed
    if flow:
        assert fixed.count("# trailing comment") == 1
    else:  # each item's own comment goes with it, the others stay
        assert fixed.count("# read:repository:bitbucket") == 1
        assert not any(f"# {scope}" in fixed for scope in extra)
    assert not {f.code for f in outcome.result.findings} & {"SL101", "SL102", "SL602"}
    assert outcome.fixed == len(extra)


def test_no_fix_moves_a_suppression_comment_onto_another_item(tmp_path: Path) -> None:
    plan = tmp_path / "p.yaml"
    text = (
        "scopelint: 1\norganization: {api_token_auth: true, workspace_linked: true}\n"
        "connections:\n  - name: shared\n    availability: global\n    auth: api-token\n"
        "    credential: service-account\n    scopes:\n      - read:pullrequest:bitbucket\n"
        "      # scopelint: ignore[SL602] reviewed\n"
        "      - write:pipeline:bitbucket\n"
        "      - write:pullrequest:bitbucket\n"
        "    tools: {bitbucketPullRequest: [list, create]}\n"
    )
    plan.write_text(text, encoding="utf-8")
    from click.testing import CliRunner

    from scopelint.cli import cli

    result = CliRunner().invoke(cli, ["check", "--as-of", "2026-11-24", "--fix", str(plan)])
    assert plan.read_text(encoding="utf-8") == text  # nothing removed under the comment
    assert "SL602" in result.stdout  # the unreviewed write scope is still reported


def test_fix_keeps_utf16_without_a_bom(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from scopelint.cli import cli

    plan = tmp_path / "u16.yaml"
    text = (
        "scopelint: 1\norganization: {api_token_auth: true}\nconnections:\n  - name: j\n"
        "    auth: api-token\n    credential: personal\n    scopes:\n      - read:jira-work\n"
        "      - read:jira-user\n    tools: {getJiraIssue: all}\n"
    )
    plan.write_bytes(text.encode("utf-16-le"))
    CliRunner().invoke(cli, ["check", "--as-of", "2026-11-24", "--fix", str(plan)])
    assert plan.read_bytes() == text.replace("      - read:jira-user\n", "").encode("utf-16-le")
