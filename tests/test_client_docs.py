"""docs/clients.md shows real output: each example block is what the command prints."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest

from conftest import AS_OF, ROOT, CliResult

Run = Callable[..., CliResult]
DOC = (ROOT / "docs" / "clients.md").read_text(encoding="utf-8")


def block_after(marker: str) -> str:
    """The body of the first fenced block that starts after `marker`."""
    start = DOC.index(marker) + len(marker)
    match = re.compile(r"```[a-z]*\n(.*?)```", re.DOTALL).search(DOC, start)
    assert match is not None, marker
    return match.group(1)


@pytest.fixture(autouse=True)
def _from_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_the_text_example_is_the_real_output(run_cli: Run) -> None:
    command = "$ scopelint check examples/clients/blog-post examples/clients/half-migrated\n"
    shown = block_after("The text format shows the line as written")
    assert shown.startswith(command)
    args = command[len("$ scopelint ") :].split()
    result = run_cli(*args, "--no-color", "--as-of", AS_OF.isoformat())
    assert result.code == 1
    assert shown[len(command) :] == result.out


def test_the_json_connections_example_is_the_real_output(run_cli: Run) -> None:
    shown = block_after("In the JSON format, each Atlassian entry")
    documented = json.loads("{" + shown + "}")["connections"]
    result = run_cli("check", "--format", "json", "examples/clients/half-migrated")
    assert json.loads(result.out)["connections"] == documented


def test_the_init_example_is_the_real_output(run_cli: Run) -> None:
    source = "examples/clients/desktop-bridge/claude_desktop_config.json"
    command = f"$ scopelint init --from {source} -o plans/atlassian.yaml\n```"
    shown = block_after(command)  # the plan is shown just after the command
    assert run_cli("init", "--from", source).out == shown
