"""docs/audit.md shows real output, names every option, and shows a real screenshot."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from scopelint.cli import cli

from conftest import ROOT, CliResult

Run = Callable[..., CliResult]
DOC = (ROOT / "docs" / "audit.md").read_text(encoding="utf-8")
COMMAND = "$ scopelint audit --as-of 2026-11-24 examples/*.yaml examples/clients\n"


def test_the_text_example_is_the_real_output(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    start = DOC.index(COMMAND) + len(COMMAND)
    shown = DOC[start : DOC.index("```", start)]
    # The shell expands the glob in name order.
    plans = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples").glob("*.yaml"))
    result = run_cli("audit", "--as-of", "2026-11-24", *plans, "examples/clients")
    assert result.code == 0
    assert shown == result.out


def test_every_option_is_documented() -> None:
    audit = cli.commands["audit"]
    rows = [line for line in DOC.splitlines() if line.startswith("| `--")]
    first_cells = [row.split(" | ")[0] for row in rows]  # escaped pipes have no spaces
    documented = {name for cell in first_cells for name in re.findall(r"`(--[a-z-]+)", cell)}
    options = {name for p in audit.params for name in p.opts if name.startswith("--")}
    assert documented == options - {"--help"}


def test_the_schema_and_the_screenshot_it_links_exist() -> None:
    assert "(audit.schema.json)" in DOC and "(audit.png)" in DOC
    png = (ROOT / "docs" / "audit.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == 1400  # the width the doc says it was taken at


def test_the_ranking_rule_is_the_one_in_the_code() -> None:
    from scopelint.audit.ranking import AUTH_OR_ENDPOINT_RULES, SECRET_RULES

    section = DOC[DOC.index("## How connections are ranked") : DOC.index("Ties keep file")]
    codes = set(re.findall(r"SL\d{3}", section))
    ranges = re.findall(r"SL(\d{3})`-`SL(\d{3})", section)
    for low, high in ranges:
        codes.update(f"SL{n}" for n in range(int(low), int(high) + 1))
    assert codes == AUTH_OR_ENDPOINT_RULES | SECRET_RULES
