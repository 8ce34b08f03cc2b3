"""Baselines: accept today's findings, report only new ones, and shrink as things are fixed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from scopelint.baseline import Baseline, BaselineError, Entry, parse_baseline

from conftest import EXAMPLES, CliResult, lint_text

Run = Callable[..., CliResult]
OVER = (EXAMPLES / "over-provisioned.yaml").read_text(encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "bb.yaml").write_text(OVER, encoding="utf-8")
    return tmp_path


def test_write_then_check_reports_nothing(repo: Path, run_cli: Run) -> None:
    written = run_cli("check", "--write-baseline", "baseline.json", "plans")
    assert written.code == 0 and written.out == ""
    assert "wrote baseline.json with 4 findings" in written.err
    result = run_cli("check", "--no-color", "--baseline", "baseline.json", "plans")
    assert (result.code, result.out) == (0, "All clear: no problems in 1 file.\n")
    assert "4 findings accepted by the baseline" in result.err


def test_the_file_is_versioned_sorted_json(repo: Path, run_cli: Run) -> None:
    run_cli("check", "--write-baseline", "baseline.json", "plans")
    data = json.loads(Path("baseline.json").read_text(encoding="utf-8"))
    assert (data["version"], data["tool"]) == (1, "scopelint")
    entries = data["findings"]
    assert [e["code"] for e in entries] == ["SL101", "SL102", "SL102", "SL103"]
    assert {e["path"] for e in entries} == {"plans/bb.yaml"}
    assert entries[0]["subject"] == "read:pipeline:bitbucket"
    assert entries[0]["connection"] == "bitbucket-shared-read"
    findings = json.loads(run_cli("check", "--format", "json", "plans").out)["findings"]
    assert sorted(e["fingerprint"] for e in entries) == sorted(f["fingerprint"] for f in findings)


def test_new_findings_are_reported_and_old_ones_hidden(repo: Path, run_cli: Run) -> None:
    run_cli("check", "--write-baseline", "baseline.json", "plans")
    plan = repo / "plans" / "bb.yaml"
    plan.write_text(
        OVER.replace(
            "      - admin:repository:bitbucket\n",
            "      - admin:repository:bitbucket\n      - delete:repository:bitbucket\n",
        ),
        encoding="utf-8",
    )
    result = run_cli("check", "--format", "json", "--baseline", "baseline.json", "plans")
    assert result.code == 1
    reported = [(f["code"], f["message"]) for f in json.loads(result.out)["findings"]]
    assert reported == [
        (
            "SL102",
            "delete scope 'delete:repository:bitbucket' is granted but no intended action needs it",
        )
    ]


def test_fingerprints_survive_moved_lines_and_new_comments(repo: Path, run_cli: Run) -> None:
    run_cli("check", "--write-baseline", "baseline.json", "plans")
    moved = OVER.replace("scopelint: 1\n", "# Owned by the platform team.\n\nscopelint: 1\n")
    moved = moved.replace("    scopes:\n", "    # granted in March\n    scopes:\n")
    # Reorder the list items too: the fingerprint names the scope, not the line.
    moved = moved.replace(
        "      - read:pipeline:bitbucket\n      - write:pullrequest:bitbucket\n",
        "      - write:pullrequest:bitbucket\n      - read:pipeline:bitbucket\n",
    )
    (repo / "plans" / "bb.yaml").write_text(moved, encoding="utf-8")
    result = run_cli("check", "--no-color", "--baseline", "baseline.json", "plans")
    assert result.code == 0, result.out
    assert "no longer occur" not in result.err


def test_a_path_spelled_differently_is_the_same_file(repo: Path, run_cli: Run) -> None:
    run_cli("check", "--write-baseline", "baseline.json", "plans/bb.yaml")
    result = run_cli("check", "--baseline", "baseline.json", "./plans//bb.yaml")
    assert result.code == 0


def test_fixed_findings_are_reported_as_stale(repo: Path, run_cli: Run) -> None:
    run_cli("check", "--write-baseline", "baseline.json", "plans")
    (repo / "plans" / "bb.yaml").write_text(
        OVER.replace("      - read:pipeline:bitbucket\n", ""), encoding="utf-8"
    )
    result = run_cli("check", "--baseline", "baseline.json", "plans")
    assert result.code == 0
    assert result.err.splitlines()[-2:] == [
        "scopelint: baseline.json: 1 baseline entry no longer occurs; drop it with "
        "--write-baseline baseline.json",
        "  plans/bb.yaml: SL101 (bitbucket-shared-read) read:pipeline:bitbucket",
    ]
    # Rewriting drops it, and the file shrinks.
    run_cli("check", "--write-baseline", "baseline.json", "plans")
    assert len(json.loads(Path("baseline.json").read_text())["findings"]) == 3


def test_entries_outside_this_run_are_not_stale(repo: Path, run_cli: Run) -> None:
    (repo / "plans" / "other.yaml").write_text(OVER, encoding="utf-8")
    run_cli("check", "--write-baseline", "baseline.json", "plans")
    # A pre-commit run sees one file; the other file's entries are not stale.
    result = run_cli("check", "--baseline", "baseline.json", "plans/bb.yaml")
    assert result.code == 0 and "no longer occur" not in result.err
    # Nor are entries of rules this run did not select.
    result = run_cli("check", "--select", "SL102", "--baseline", "baseline.json", "plans")
    assert result.code == 0 and "no longer occur" not in result.err


def test_an_unchanged_baseline_is_not_rewritten(repo: Path, run_cli: Run) -> None:
    run_cli("check", "--write-baseline", "baseline.json", "plans")
    before = Path("baseline.json").stat()
    result = run_cli("check", "--write-baseline", "baseline.json", "plans")
    after = Path("baseline.json").stat()
    assert "baseline.json is up to date (4 findings)" in result.err
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_each_entry_accepts_one_finding(repo: Path, run_cli: Run) -> None:
    """A scope listed twice is two findings with one fingerprint: the baseline counts them."""
    twice = OVER.replace(
        "      - read:pipeline:bitbucket\n",
        "      - read:pipeline:bitbucket\n      - read:pipeline:bitbucket\n",
    )
    (repo / "plans" / "bb.yaml").write_text(OVER, encoding="utf-8")
    run_cli("check", "--write-baseline", "baseline.json", "plans")
    (repo / "plans" / "bb.yaml").write_text(twice, encoding="utf-8")
    result = run_cli("check", "--format", "json", "--baseline", "baseline.json", "plans")
    codes = sorted(f["code"] for f in json.loads(result.out)["findings"])
    assert codes == ["SL002", "SL101"]  # the repeat itself, and the second excess entry


def test_split_and_stale_are_pure() -> None:
    findings = lint_text(OVER, name="plans/bb.yaml")
    baseline = Baseline(Entry.of(f) for f in findings[:2])
    for _ in range(2):
        new, accepted = baseline.split(findings)
        assert (new, accepted) == (findings[2:], findings[:2])
    assert baseline.stale(accepted, ["plans/bb.yaml"], {"SL101", "SL102", "SL103"}) == []
    stale = baseline.stale([], ["./plans/bb.yaml"], {"SL101", "SL102", "SL103"})
    assert stale == sorted(Entry.of(f) for f in findings[:2])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "baseline.json: not JSON (line 1: Expecting value)"),
        ('{"version": 2, "findings": []}', "not a scopelint baseline of version 1"),
        ('{"version": 1, "findings": {}}', "'findings' must be a list"),
        ('{"version": 1, "findings": [{"code": "SL101"}]}', "findings[0] has no fingerprint"),
    ],
)
def test_bad_baseline_files_are_usage_errors(
    repo: Path, run_cli: Run, content: str, message: str
) -> None:
    Path("baseline.json").write_text(content, encoding="utf-8")
    result = run_cli("check", "--baseline", "baseline.json", "plans")
    assert result.code == 2
    assert result.err.startswith("scopelint: error: ") and message in result.err
    assert result.err.count("\n") == 1
    with pytest.raises(BaselineError):
        parse_baseline(content, "baseline.json")


def test_a_missing_baseline_says_how_to_make_one(repo: Path, run_cli: Run) -> None:
    result = run_cli("check", "--baseline", "nope.json", "plans")
    assert result.code == 2
    assert result.err == (
        "scopelint: error: nope.json: no such baseline (create it with --write-baseline "
        "nope.json)\n"
    )


def test_write_baseline_into_a_missing_directory_fails_cleanly(repo: Path, run_cli: Run) -> None:
    result = run_cli("check", "--write-baseline", "no/such/dir/baseline.json", "plans")
    assert result.code == 2
    assert result.err.startswith("scopelint: error: no/such/dir/baseline.json:")
    assert "Traceback" not in result.err


def test_write_baseline_after_fix_records_only_what_remains(repo: Path, run_cli: Run) -> None:
    result = run_cli("check", "--fix", "--write-baseline", "baseline.json", "plans")
    assert result.code == 0
    entries = json.loads(Path("baseline.json").read_text())["findings"]
    assert [e["code"] for e in entries] == ["SL103"]


def test_no_baseline_is_written_from_a_partial_run(repo: Path, run_cli: Run) -> None:
    result = run_cli("check", "--write-baseline", "baseline.json", "plans", "missing.yaml")
    assert result.code == 2
    assert "baseline.json not written: some paths could not be read" in result.err
    assert not Path("baseline.json").exists()


def test_diff_and_write_baseline_do_not_combine(repo: Path, run_cli: Run) -> None:
    result = run_cli("check", "--diff", "--write-baseline", "baseline.json", "plans")
    assert result.code == 2 and result.err.count("\n") == 1
    assert not Path("baseline.json").exists()
