"""What every format shares: one list of formats, and paying only for the one chosen."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from scopelint import cli
from scopelint.report import FORMATS

from conftest import EXAMPLES

WRITERS = {
    "json": "scopelint.report.json_report",
    "sarif": "scopelint.report.sarif",
    "junit": "scopelint.report.junit",
    "github": "scopelint.report.github",
    "gitlab": "scopelint.report.gitlab",
    "bitbucket": "scopelint.report.bitbucket",
    "markdown": "scopelint.report.markdown",
}
# Loaded only for --fix, --diff and baselines.
EXTRAS = ("scopelint.commands.fix", "scopelint.baseline", "scopelint.atomic")

PROBE = """
import sys
from scopelint.entry import main
sys.argv = ["scopelint", "check", "--no-color", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(",".join(sorted(m for m in sys.modules if m.startswith("scopelint."))), file=sys.stderr)
"""


def loaded_modules(*args: str, github: bool = False) -> set[str]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    if github:
        env["GITHUB_ACTIONS"] = "true"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    return set(done.stderr.strip().splitlines()[-1].split(","))


def test_cli_offers_every_format() -> None:
    assert cli.FORMATS == FORMATS


def test_a_text_run_loads_no_other_writer() -> None:
    loaded = loaded_modules(str(EXAMPLES / "over-provisioned.yaml"))
    assert "scopelint.report.text" in loaded
    assert not loaded & {*WRITERS.values(), *EXTRAS}


@pytest.mark.parametrize("output_format", sorted(WRITERS))
def test_a_format_loads_only_its_writer(output_format: str) -> None:
    loaded = loaded_modules("--format", output_format, str(EXAMPLES / "over-provisioned.yaml"))
    writers = {name for name in WRITERS.values() if name in loaded}
    assert writers == {WRITERS[output_format]}
    assert "scopelint.report.text" not in loaded


def test_github_actions_adds_the_annotation_writer() -> None:
    loaded = loaded_modules(str(EXAMPLES / "over-provisioned.yaml"), github=True)
    assert {name for name in WRITERS.values() if name in loaded} == {WRITERS["github"]}
