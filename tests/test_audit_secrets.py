"""No audit format prints a secret: a plan and a client config holding tokens, every format."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from scopelint.commands.audit import AUDIT_FORMATS

from conftest import AS_OF, CliResult
from secret_tree import TOKEN, assert_no_secret, write_tree

Run = Callable[..., CliResult]

@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_tree(tmp_path)
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
