"""Hostile input: every case gives a finding or a one-line error, never a traceback or a hang.

The small cases live in tests/hostile/; the large ones are generated here at test time.
Each runs the real CLI in a child process under a time limit, in text and JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import pin_date

HOSTILE = Path(__file__).parent / "hostile"
TIME_LIMIT = 20  # seconds; every case takes well under one on a laptop
SLOWEST: dict[str, float] = {}

# file -> (exit code, text that must appear in the text output)
EXPECTED = {
    "billion-laughs.yaml": (1, "SL001 [invalid-yaml] more than 1,000,000 nodes"),
    "bom.yaml": (1, "bom.yaml:3:33: SL401"),
    "comments-only.yaml": (1, "the file is empty"),
    "connections-mapping.yaml": (1, "connections must be a list"),
    "crlf.yaml": (1, "crlf.yaml:5:10: SL401"),
    "custom-tag.yaml": (1, "YAML tag !vault is not part of the format"),
    "empty.yaml": (1, "the file is empty"),
    "invalid-utf8.yaml": (1, "invalid-utf8.yaml:3:1: SL001 [invalid-yaml] not valid UTF-8"),
    "merge-keys.yaml": (1, "a merge key (<<) must refer to a mapping"),
    "mixed-eol.yaml": (1, "mixed-eol.yaml:5:10: SL401"),
    "non-string-keys.yaml": (1, "keys must be strings, not list"),
    "nul-bytes.yaml": (1, "binary file (contains NUL bytes)"),
    "nulls.yaml": (1, "must be a list of actions or `all`, not null"),
    "python-tag.yaml": (1, "YAML tag !!python/object/apply:os.system is not part of the format"),
    "several-documents.yaml": (1, "several YAML documents"),
    "tabs.yaml": (1, "tabs.yaml:3:1: SL001"),
    "terminal-escapes.yaml": (1, "SL303"),
    "top-list.yaml": (1, "not a list"),
    "top-scalar.yaml": (1, "not a string"),
    "truncated-flow.yaml": (1, "truncated-flow.yaml:3:1: SL001"),
    "truncated.yaml": (1, "not 'api-tok' (did you mean 'api-token'?)"),
    "unclosed-flow.yaml": (1, "unclosed-flow.yaml:4:5: SL001"),
    "utf16-no-bom.yaml": (0, "All clear"),
    "utf16.yaml": (1, "utf16.yaml:3:33: SL401"),
    "utf32.yaml": (1, "utf32.yaml:3:33: SL401"),
    "wrong-types.yaml": (1, "organization must be a mapping, not list"),
}


def run(*args: str, cwd: Path | None = None, **kwargs: object) -> subprocess.CompletedProcess[str]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "scopelint", *pin_date(args)],
        capture_output=True, text=True, timeout=TIME_LIMIT, cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"}, stdin=subprocess.DEVNULL, **kwargs,  # type: ignore[call-overload]
    )
    SLOWEST[" ".join(args)[-60:]] = time.perf_counter() - start
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stderr.count("\n") <= 2, proc.stderr
    return proc


def assert_positions_inside(report: dict[str, object], root: Path | None = None) -> None:
    for finding in report["findings"]:  # type: ignore[attr-defined]
        path = Path(finding["path"])
        if root is not None and not path.is_absolute():
            path = root / path
        if not path.is_file():
            continue
        lines = path.read_bytes().decode("utf-8", "replace").splitlines() or [""]
        assert 1 <= finding["line"] <= len(lines) + 1, finding
        assert finding["column"] >= 1 and finding["end_line"] >= finding["line"], finding


def test_corpus_is_complete() -> None:
    assert sorted(p.name for p in HOSTILE.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file(name: str) -> None:
    code, text = EXPECTED[name]
    result = run("check", name, cwd=HOSTILE)
    assert result.returncode == code, result.stdout + result.stderr
    assert text in result.stdout
    as_json = run("check", "--format", "json", name, cwd=HOSTILE)
    assert as_json.returncode == code
    assert_positions_inside(json.loads(as_json.stdout), HOSTILE)


def test_terminal_control_sequences_are_neutralised() -> None:
    result = run("check", "terminal-escapes.yaml", cwd=HOSTILE)
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "'x\ufffd'" in result.stdout


def _connections(count: int) -> str:
    body = "".join(
        f"  - name: c{i}\n    auth: api-token\n    credential: service-account\n"
        f"    scopes: [read:jira-work, write:jira-work]\n    tools: {{getJiraIssue: all}}\n"
        for i in range(count))
    return "scopelint: 1\norganization: {api_token_auth: true}\nconnections:\n" + body


def test_ten_thousand_connections(tmp_path: Path) -> None:
    plan = tmp_path / "many.yaml"
    plan.write_text(_connections(10_000), encoding="utf-8")
    result = run("check", "--format", "json", str(plan))
    report = json.loads(result.stdout)
    assert report["summary"]["findings"] == 10_000
    assert {f["code"] for f in report["findings"]} == {"SL102"}


def test_very_long_line(tmp_path: Path) -> None:
    plan = tmp_path / "long.yaml"
    plan.write_text("scopelint: 1\nconnections: [{name: '" + "a" * 2_000_000 + "', auth: oauth, "
                    "url: 'https://mcp.atlassian.com/v1/sse'}]\n", encoding="utf-8")
    result = run("check", str(plan))
    assert result.returncode == 1 and "SL401" in result.stdout


@pytest.mark.parametrize(("depth", "message"), [(65, "nesting deeper than 64 levels"),
                                                (10_000, "SL001")])
def test_deep_nesting(tmp_path: Path, depth: int, message: str) -> None:
    plan = tmp_path / "deep.yaml"
    plan.write_text("scopelint: 1\nx: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    result = run("check", "-q", str(plan))
    assert result.returncode == 1 and message in result.stdout


def test_fifty_megabyte_file(tmp_path: Path) -> None:
    plan = tmp_path / "big.yaml"
    plan.write_text("scopelint: 1\n" + "# padding\n" * 5_300_000, encoding="utf-8")
    result = run("check", str(plan))
    assert result.returncode == 1 and "larger than the 10 MiB limit" in result.stdout


def test_limits_are_configurable(tmp_path: Path) -> None:
    (tmp_path / ".scopelint.toml").write_text("max-file-size = 100\nmax-depth = 3\n",
                                               encoding="utf-8")
    (tmp_path / "p.yaml").write_text("scopelint: 1\n" + "# padding\n" * 20, encoding="utf-8")
    (tmp_path / "d.yaml").write_text("scopelint: 1\nx: [[[[1]]]]\n", encoding="utf-8")
    result = run("check", "-q", "p.yaml", "d.yaml", cwd=tmp_path)
    assert "larger than the 0.0001 MiB limit" not in result.stdout
    assert "p.yaml:1:1: SL001 [invalid-yaml] file is larger than" in result.stdout
    assert "d.yaml:1:1: SL001 [invalid-yaml] nesting deeper than 3 levels" in result.stdout


def test_one_gigabyte_sparse_file(tmp_path: Path) -> None:
    sparse = tmp_path / "sparse.yaml"
    with open(sparse, "wb") as handle:
        handle.truncate(1024**3)
    result = run("check", str(sparse))
    assert result.returncode == 1 and "larger than the 10 MiB limit" in result.stdout


def test_fifo_and_dev_zero_are_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = run("check", str(fifo), "/dev/zero")
    assert result.returncode == 1
    assert result.stdout.count("not a regular file") == 2


def test_symlink_loop_in_a_walk(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    os.symlink("..", tmp_path / "a" / "up")
    os.symlink("loop", tmp_path / "loop")
    (tmp_path / "a" / "p.yaml").write_text(_connections(1), encoding="utf-8")
    result = run("check", "-q", str(tmp_path))
    assert result.returncode == 1
    assert result.stdout.count("SL102") == 1


def test_missing_path_is_one_line_exit_two(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(_connections(1), encoding="utf-8")
    result = run("check", "-q", str(tmp_path / "p.yaml"), str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert result.stderr == f"scopelint: error: {tmp_path / 'nope.yaml'}: no such file or directory\n"
    assert "SL102" in result.stdout  # the other file was still linted


def test_directory_without_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from scopelint.cli import cli

    locked = tmp_path / "locked"
    locked.mkdir()
    (tmp_path / "p.yaml").write_text(_connections(1), encoding="utf-8")
    locked.chmod(0)
    if os.geteuid() == 0:
        # Root reads every directory: make the walk meet the error an unprivileged user would.
        real_scandir = os.scandir

        def scandir(path: str) -> object:
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", scandir)
    try:
        result = CliRunner().invoke(cli, ["check", "-q", "--no-color", str(tmp_path)])
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 2
    assert result.stderr == f"scopelint: error: {locked}: cannot read directory: Permission denied\n"
    assert "SL102" in result.stdout


def test_file_that_disappears_during_the_walk(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from scopelint import discovery
    from scopelint.catalog import load_catalog, load_rules
    from scopelint.engine import Engine, Options

    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(_connections(1), encoding="utf-8")
    real_walk = discovery._walk

    def walk_then_delete(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        for candidate in real_walk(*args, **kwargs):  # type: ignore[arg-type]
            if candidate.path.endswith("a.yaml"):
                os.unlink(candidate.path)
            yield candidate

    monkeypatch.setattr(discovery, "_walk", walk_then_delete)
    result = Engine(load_catalog(), load_rules(), Options()).run([str(tmp_path)])
    assert result.errors == []
    assert [f.path for f in result.files] == [str(tmp_path / "b.yaml")]


@pytest.mark.parametrize("name", ["with space.yaml", "new\nline.yaml", "naïve-plán.yaml"])
def test_unusual_path_names(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text(_connections(1), encoding="utf-8")
    text = run("check", str(tmp_path))
    assert text.returncode == 1 and text.stdout.count("SL102") == 1
    assert "\nline.yaml" not in text.stdout  # a newline in a name cannot forge a line
    report = json.loads(run("check", "--format", "json", str(tmp_path)).stdout)
    assert report["findings"][0]["path"] == str(tmp_path / name)


def test_report_the_slowest_case() -> None:
    # Runs last in this module; prints the figure docs/reliability.md quotes.
    if SLOWEST:
        case, seconds = max(SLOWEST.items(), key=lambda item: item[1])
        print(f"\nslowest hostile case: {seconds:.2f}s ({case})")
        assert seconds < TIME_LIMIT


def test_workflow_command_injection_is_escaped(tmp_path: Path) -> None:
    plan = tmp_path / "inject.yaml"
    plan.write_text(
        'scopelint: 1\nconnections:\n  - name: "x\\n::set-output name=pwned::1\\r\\n::warning::y"\n'
        "    auth: oauth\n    header: Bearer ${X}\n", encoding="utf-8")
    result = run("check", "--format", "github", str(plan))
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith("::error ") for line in lines), lines
    assert "%0A::set-output" in result.stdout


def test_markdown_cannot_be_broken_by_file_content(tmp_path: Path) -> None:
    plan = tmp_path / "inject.yaml"
    plan.write_text(
        'scopelint: 1\nconnections:\n  - name: "<img src=x onerror=alert(1)> | col"\n'
        "    auth: oauth\n    header: Bearer ${X}\n", encoding="utf-8")
    result = run("check", "--format", "markdown", str(plan))
    assert "<img" not in result.stdout
    assert "&lt;img" in result.stdout or "\\<img" in result.stdout


def test_baselines_refuse_devices() -> None:
    for option, device in (("--write-baseline", "/dev/full"), ("--baseline", "/dev/zero")):
        result = run("check", option, device, str(HOSTILE / "bom.yaml"))
        assert result.returncode == 2 and "not a regular file" in result.stderr
