"""What a plain `check` run loads: start-up is most of a pre-commit run's cost.

No timings here (they would fail on a slow machine); bench/run.py measures those. These
tests guard the causes instead: a module that should load only when asked for.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import AS_OF, EXAMPLES

CompletedBytes = subprocess.CompletedProcess[bytes]

PROBE = """
import sys
from scopelint.entry import main
try:
    main(["check", "--as-of", sys.argv[1], *sys.argv[2:]])
except SystemExit as exc:
    code = exc.code
print(code, ",".join(sorted(sys.modules)), file=sys.stderr)
"""

# Each costs a one-file run milliseconds it does not need: click (the fast path parses
# plain command lines), dataclasses and inspect (records are tuples and slotted classes),
# pathlib (os.path does), tomllib (no config), and what only other commands or formats use.
NOT_ON_THE_PLAIN_PATH = (
    "click",
    "dataclasses",
    "inspect",
    "pathlib",
    "tomllib",
    "jsonschema",
    "tabulate",
    "multiprocessing",
    "hashlib",
    "scopelint.cli",
    "scopelint.policy",
    "scopelint.commands.fix",
    "scopelint.baseline",
)


def run_probe(cwd: Path, *args: str) -> tuple[int, set[str]]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, AS_OF.isoformat(), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )
    code, modules = done.stderr.strip().splitlines()[-1].split(" ", 1)
    return int(code), set(modules.split(","))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLES / "clean.yaml", tmp_path / "plan.yaml")
    shutil.copy(EXAMPLES / "clients" / "claude-code-clean" / ".mcp.json", tmp_path / ".mcp.json")
    (tmp_path / ".gitignore").write_text("build/\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "args",
    [
        ("plan.yaml",),
        ("-q", "--skip-unrecognized", "plan.yaml"),
        (".mcp.json",),  # a client config, as pre-commit passes it
        (".",),  # a walk, reading .gitignore
    ],
)
def test_a_plain_check_loads_only_what_it_uses(repo: Path, args: tuple[str, ...]) -> None:
    code, loaded = run_probe(repo, *args)
    assert code == 0
    assert "scopelint.engine" in loaded  # the probe did lint
    assert not loaded & set(NOT_ON_THE_PLAIN_PATH)


def test_a_pyproject_that_never_names_scopelint_is_not_parsed(repo: Path) -> None:
    # Not even valid TOML: it belongs to another tool, and is none of our business.
    (repo / "pyproject.toml").write_text("[project\nname = 'x'\n", encoding="utf-8")
    code, loaded = run_probe(repo, "plan.yaml")
    assert code == 0
    assert "tomllib" not in loaded


def scopelint(repo: Path, *args: str, env: dict[str, str] | None = None) -> CompletedBytes:
    """`python -m scopelint check --as-of AS_OF ARGS…` in `repo`, as bytes."""
    return subprocess.run(
        [sys.executable, "-m", "scopelint", "check", "--as-of", AS_OF.isoformat(), *args],
        capture_output=True,
        cwd=repo,
        env=env,
        timeout=120,
        check=False,
    )


def test_a_pyproject_section_is_still_read(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        "[project]\nname = 'x'\n\n[tool.scopelint]\nignore = ['SL101']\nformat = 'json'\n",
        encoding="utf-8",
    )
    done = scopelint(repo, "plan.yaml")
    assert done.returncode == 0
    assert done.stdout.startswith(b"{")  # format = 'json' from the section


def test_a_pyproject_that_is_not_utf8_is_a_config_error(repo: Path) -> None:
    (repo / "pyproject.toml").write_bytes(b"[tool.scopelint]\nformat = '\xff'\n")
    done = scopelint(repo, "plan.yaml")
    assert done.returncode == 2
    assert done.stderr.startswith(b"scopelint: error: ")
    assert b"pyproject.toml: invalid TOML: not UTF-8" in done.stderr
    assert b"Traceback" not in done.stderr


def test_an_ascii_only_stdout_gets_utf8_rather_than_an_error(repo: Path) -> None:
    (repo / "plan.yaml").write_text(
        (EXAMPLES / "over-provisioned.yaml")
        .read_text(encoding="utf-8")
        .replace("- read:pipeline:bitbucket", "- read:pipeline:bitbucket  # é-", 1),
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    env.pop("GITHUB_ACTIONS", None)
    done = scopelint(repo, "plan.yaml", env=env)
    assert done.returncode == 1  # findings, not an internal error
    assert "é-".encode() in done.stdout
    assert b"internal error" not in done.stderr
