"""Finding client configs in a tree: names, .gitignore, skipped folders, --exclude."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from scopelint.discovery import discover
from scopelint.gitignore import IgnoreRules
from scopelint.sources.client_files import CLIENT_FILES, client_for_path

from conftest import AS_OF, CliResult

Run = Callable[..., CliResult]
ATLASSIAN = '{"mcpServers": {"atlassian": {"url": "https://mcp.atlassian.com/v1/sse"}}}\n'


def write(root: Path, relative: str, text: str = ATLASSIAN) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def found(root: Path, exclude: list[str] | None = None) -> list[str]:
    result = discover([str(root)], exclude)
    assert result.errors == []
    return sorted(os.path.relpath(c.path, root).replace(os.sep, "/") for c in result.candidates)


@pytest.mark.parametrize(
    ("relative", "client"),
    [
        (".mcp.json", "Claude Code"),
        (".cursor/mcp.json", "Cursor"),
        (".vscode/mcp.json", "VS Code"),
        ("claude_desktop_config.json", "Claude Desktop"),
        ("mcp_config.json", "Windsurf"),
        (".gemini/settings.json", "Gemini CLI"),
        (".kiro/settings/mcp.json", "Kiro"),
        (".amazonq/mcp.json", "Amazon Q"),
        ("opencode.json", "opencode"),
        (".codex/config.toml", "Codex"),
        ("team/app/.cursor/mcp.json", "Cursor"),
    ],
)
def test_client_files_are_known_by_name_and_folder(relative: str, client: str) -> None:
    match = client_for_path(relative)
    assert match is not None and match.client == client


@pytest.mark.parametrize(
    "relative",
    [
        "mcp.json",
        "settings.json",
        ".vscode/settings.json",
        "config.toml",
        "cursor/mcp.json",
        "package.json",
        "kiro/settings/mcp.json",
    ],
)
def test_other_json_and_toml_files_are_not_client_configs(relative: str) -> None:
    assert client_for_path(relative) is None


def test_every_spec_client_file_is_listed() -> None:
    names = {"/".join(f.suffix) for f in CLIENT_FILES}
    assert names >= {
        ".mcp.json",
        ".cursor/mcp.json",
        ".vscode/mcp.json",
        "claude_desktop_config.json",
        "mcp_config.json",
        ".gemini/settings.json",
        ".kiro/settings/mcp.json",
        ".amazonq/mcp.json",
        "opencode.json",
        ".codex/config.toml",
    }


def test_a_walk_finds_client_configs_beside_plans(tmp_path: Path) -> None:
    write(tmp_path, ".cursor/mcp.json")
    write(tmp_path, ".codex/config.toml", "[mcp_servers.a]\nurl = 'https://x'\n")
    write(tmp_path, "svc/.mcp.json")
    write(tmp_path, "plans/bb.yaml", "scopelint: 1\n")
    write(tmp_path, "package.json", "{}")
    write(tmp_path, "pyproject.toml", "")
    write(tmp_path, ".vscode/settings.json", "{}")
    assert found(tmp_path) == [
        ".codex/config.toml",
        ".cursor/mcp.json",
        "plans/bb.yaml",
        "svc/.mcp.json",
    ]


def test_a_walk_skips_git_node_modules_and_virtual_environments(tmp_path: Path) -> None:
    write(tmp_path, ".mcp.json")
    write(tmp_path, ".git/.mcp.json")
    write(tmp_path, "node_modules/pkg/.mcp.json")
    write(tmp_path, ".venv/.mcp.json")
    write(tmp_path, "py311/pyvenv.cfg", "home = /usr/bin\n")
    write(tmp_path, "py311/lib/site-packages/pkg/.mcp.json")
    assert found(tmp_path) == [".mcp.json"]


def test_a_walk_honours_gitignore_files(tmp_path: Path) -> None:
    write(
        tmp_path,
        ".gitignore",
        "# local clients\n/.cursor/\nbuild/\n*.local.yaml\n!keep.local.yaml\n",
    )
    write(tmp_path, ".cursor/mcp.json")
    write(tmp_path, "app/.cursor/mcp.json")  # anchored: only the root's .cursor is ignored
    write(tmp_path, "app/build/.mcp.json")
    write(tmp_path, "plans/a.local.yaml", "scopelint: 1\n")
    write(tmp_path, "plans/keep.local.yaml", "scopelint: 1\n")
    write(tmp_path, "app/.gitignore", "generated/**\n")
    write(tmp_path, "app/generated/x/.mcp.json")
    write(tmp_path, "generated/x/.mcp.json")  # the app's rule does not reach here
    assert found(tmp_path) == [
        "app/.cursor/mcp.json",
        "generated/x/.mcp.json",
        "plans/keep.local.yaml",
    ]


def test_exclude_globs_apply_to_walks(tmp_path: Path) -> None:
    write(tmp_path, ".mcp.json")
    write(tmp_path, "examples/clients/.mcp.json")
    write(tmp_path, "vendor/.cursor/mcp.json")
    assert found(tmp_path, ["examples/*", "vendor"]) == [".mcp.json"]


@pytest.mark.parametrize(
    ("pattern", "path", "is_dir", "ignored"),
    [
        ("*.json", "a/b/mcp.json", False, True),
        ("/mcp.json", "a/mcp.json", False, False),
        ("/mcp.json", "mcp.json", False, True),
        ("docs/*.json", "docs/a.json", False, True),
        ("docs/*.json", "docs/sub/a.json", False, False),
        ("docs/*.json", "x/docs/a.json", False, False),
        ("**/cfg/*.toml", "x/y/cfg/a.toml", False, True),
        ("a/**/b", "a/x/y/b", False, True),
        ("a/**/b", "a/b", False, True),
        ("out/", "out", False, False),
        ("out/", "out", True, True),
        ("m?p.json", "map.json", False, True),
        ("[!a]cp.json", "mcp.json", False, True),
        ("[!m]cp.json", "mcp.json", False, False),
        ("\\#x", "#x", False, True),
        ("foo\\ ", "foo ", False, True),
        ("foo   ", "foo", False, True),
    ],
)
def test_gitignore_patterns(pattern: str, path: str, is_dir: bool, ignored: bool) -> None:
    rules = IgnoreRules()
    rules.add("", pattern + "\n")
    assert rules.ignored(path, is_dir) is ignored


def test_gitignore_negation_and_last_match_wins() -> None:
    rules = IgnoreRules()
    rules.add("", "*.json\n!.mcp.json\n")
    rules.add("sub", ".mcp.json\n")
    assert not rules.ignored(".mcp.json", False)
    assert rules.ignored("sub/.mcp.json", False)
    assert rules.ignored("x.json", False)


def test_check_walks_a_repo_and_reports_client_findings(
    tmp_path: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, ".cursor/mcp.json")
    write(tmp_path, "ignored/.mcp.json")
    write(tmp_path, ".gitignore", "ignored/\n")
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", "--no-color", "-q", "--as-of", AS_OF.isoformat(), ".")
    assert result.code == 1
    assert result.out.splitlines() == [
        "./.cursor/mcp.json:1:38: SL401 [retired-endpoint] /v1/sse is retired: unsupported "
        "since 2026-06-30"
    ]


def test_exclude_option_adds_to_the_config_key(
    tmp_path: Path, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "a/.mcp.json")
    write(tmp_path, "b/.mcp.json")
    write(tmp_path, "c/.mcp.json")
    write(tmp_path, ".scopelint.toml", 'exclude = ["a"]\n')
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", "--format", "json", "--exclude", "b", ".")
    paths = {f["path"] for f in json.loads(result.out)["findings"]}
    assert paths == {"./c/.mcp.json"}


def test_named_files_are_linted_even_when_ignored(tmp_path: Path, run_cli: Run) -> None:
    path = write(tmp_path, "ignored/.mcp.json")
    write(tmp_path, ".gitignore", "ignored/\n")
    result = run_cli("check", "-q", "--no-color", "--exclude", "ignored", str(path))
    assert "SL401" in result.out


def test_skip_unrecognized_skips_other_json_and_toml(tmp_path: Path, run_cli: Run) -> None:
    package = write(tmp_path, "package.json", '{"name": "x", "mcpServers": "nope"}')
    pyproject = write(tmp_path, "pyproject.toml", "[project]\nname = 'x'\n")
    broken = write(tmp_path, "tsconfig.json", "{ not json")
    client = write(tmp_path, ".mcp.json")
    result = run_cli(
        "check",
        "-q",
        "--no-color",
        "--skip-unrecognized",
        "--as-of",
        AS_OF.isoformat(),
        str(package),
        str(pyproject),
        str(broken),
        str(client),
    )
    assert result.code == 1
    assert [line.split(":")[0] for line in result.out.splitlines()] == [str(client)]
    clean = run_cli("check", "--no-color", "--skip-unrecognized", str(package), str(pyproject))
    assert (clean.code, clean.out.strip()) == (0, "All clear: no problems in 0 files.")


def test_a_named_json_file_of_no_known_client_is_read_by_its_content(
    tmp_path: Path, run_cli: Run
) -> None:
    config = write(tmp_path, "team-mcp.json")
    other = write(tmp_path, "package.json", '{"name": "x"}')
    result = run_cli(
        "check", "-q", "--no-color", "--as-of", AS_OF.isoformat(), str(config), str(other)
    )
    lines = result.out.splitlines()
    assert lines[0].startswith(f"{config}:1:38: SL401")
    assert lines[1] == (
        f"{other}:1:1: SL002 [invalid-plan] neither a token plan nor an MCP "
        "client config: no mcpServers, servers, mcp or mcp_servers table"
    )


@pytest.mark.parametrize(
    ("name", "text", "where", "message"),
    [
        (
            ".mcp.json",
            '{\n  "mcpServers": {\n    "a": {"url": "x"}\n    "b": {}\n  }\n}\n',
            "4:5",
            "invalid JSON: expected ',' or '}', found a string",
        ),
        (
            ".codex/config.toml",
            '[mcp_servers.a]\nurl = "https://x\n',
            "2:17",
            "invalid TOML: Illegal character",
        ),
        (
            ".vscode/mcp.json",
            '{"servers": []}',
            "1:13",
            "`servers` must map server names to entries, not be a list",
        ),
        (".cursor/mcp.json", "[]", "1:1", "a Cursor config holds an object, not a list"),
    ],
)
def test_broken_client_files_are_findings_with_a_position_not_crashes(
    tmp_path: Path, run_cli: Run, name: str, text: str, where: str, message: str
) -> None:
    path = write(tmp_path, name, text)
    result = run_cli("check", "-q", "--no-color", str(path))
    assert result.code == 1
    assert result.err == ""
    assert result.out.startswith(f"{path}:{where}: ")
    assert message in result.out


def test_unreadable_bytes_in_a_client_file_are_sl001(tmp_path: Path, run_cli: Run) -> None:
    path = tmp_path / ".mcp.json"
    path.write_bytes(b'{"mcpServers": {"\xff": {}}}')
    result = run_cli("check", "-q", "--no-color", str(tmp_path))
    assert result.code == 1
    assert "SL001" in result.out and "not valid UTF-8" in result.out
