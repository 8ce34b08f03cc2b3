"""`scopelint audit` as users drive it: formats, exit codes, options, and bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from scopelint import cli
from scopelint.commands.audit import AUDIT_FORMATS, DEFAULT_TOP

from conftest import AS_OF, ROOT, CliResult
from snapshot_support import EXAMPLE_FILES, assert_snapshot

Run = Callable[..., CliResult]
EXAMPLE_ARGS = [*EXAMPLE_FILES, "examples/clients"]
SCHEMA = json.loads((ROOT / "docs" / "audit.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _from_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def audit(run_cli: Run, *args: str, input: str | None = None) -> CliResult:
    return run_cli("audit", "--as-of", AS_OF.isoformat(), *args, input=input)


def test_cli_offers_every_audit_format_and_the_same_default() -> None:
    assert cli.AUDIT_FORMATS == AUDIT_FORMATS
    top = next(p for p in cli.audit.params if p.name == "top")
    assert top.default == DEFAULT_TOP


@pytest.mark.parametrize("output_format", AUDIT_FORMATS)
def test_exit_zero_by_default_whatever_it_finds(run_cli: Run, output_format: str) -> None:
    result = audit(run_cli, "--format", output_format, *EXAMPLE_ARGS)
    assert result.code == 0
    assert result.out.strip() and result.err == ""


@pytest.mark.parametrize(
    ("fail_on", "code"), [("error", 1), ("warning", 1), ("info", 1), ("never", 0)]
)
def test_fail_on(run_cli: Run, fail_on: str, code: int) -> None:
    assert audit(run_cli, "--fail-on", fail_on, *EXAMPLE_ARGS).code == code


def test_fail_on_counts_only_what_reaches_it(run_cli: Run) -> None:
    # over-provisioned.yaml has errors; with SL102 and SL103 ignored only a warning is left.
    args = ["--ignore", "SL102,SL103", "examples/over-provisioned.yaml"]
    assert audit(run_cli, "--fail-on", "error", *args).code == 0
    assert audit(run_cli, "--fail-on", "warning", *args).code == 1


def test_a_clean_tree(run_cli: Run) -> None:
    result = audit(run_cli, "--fail-on", "info", "examples/clean.yaml")
    assert result.code == 0
    assert "Every connection is at its minimal set with no findings." in result.out


def test_json_validates_and_matches_the_engine(run_cli: Run) -> None:
    data = json.loads(audit(run_cli, "--format", "json", *EXAMPLE_ARGS).out)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    checked = json.loads(run_cli("check", "--format", "json", *EXAMPLE_ARGS).out)
    assert data["summary"]["findings"] == checked["summary"]["findings"]
    assert data["summary"]["error"] == checked["summary"]["error"]
    assert len(data["connections"]) == len(checked["connections"])
    assert [c["rank"] for c in data["connections"]] == list(range(1, len(data["connections"]) + 1))
    indexes = sorted(i for c in data["connections"] for i in c["findings"])
    assert all(0 <= i < len(data["findings"]) for i in indexes)


def test_the_schema_is_a_valid_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_json_of_the_hostile_corpus_validates(run_cli: Run) -> None:
    result = audit(run_cli, "--format", "json", "tests/hostile")
    assert result.code == 0
    jsonschema.Draft202012Validator(SCHEMA).validate(json.loads(result.out))


@pytest.mark.parametrize("output_format", AUDIT_FORMATS)
def test_no_traceback_on_hostile_input(run_cli: Run, output_format: str) -> None:
    result = audit(run_cli, "--format", output_format, "tests/hostile")
    assert result.code == 0
    assert "Traceback" not in result.out + result.err


def test_snapshots(run_cli: Run) -> None:
    assert_snapshot("audit.md", audit(run_cli, "--format", "markdown", *EXAMPLE_ARGS).out)
    assert_snapshot("audit.json", audit(run_cli, "--format", "json", *EXAMPLE_ARGS).out)


def test_text_lists_top_risks_and_files(run_cli: Run) -> None:
    out = audit(run_cli, *EXAMPLE_ARGS).out
    assert out.startswith("scopelint audit: 12 files, 23 connections (as of 2026-11-24")
    assert "tokens exposed         2  (literal credentials in files: revoke them)" in out
    assert "… and 8 more connections with findings" in out
    assert "examples/format-errors.yaml" in out and "3 files without findings" in out
    every = audit(run_cli, "--top", "0", *EXAMPLE_ARGS).out
    assert "more connections with findings" not in every
    assert " 18  " in every  # all 18 connections with findings are listed


def test_output_file(run_cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "reports" / "audit.html"
    result = audit(run_cli, "--format", "html", "--output", str(target), *EXAMPLE_ARGS)
    assert result.code == 0 and result.out == ""
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_stdin(run_cli: Run) -> None:
    plan = (ROOT / "examples" / "over-provisioned.yaml").read_text(encoding="utf-8")
    data = json.loads(audit(run_cli, "--format", "json", "-", input=plan).out)
    assert data["connections"][0]["path"] == "<stdin>"
    assert data["connections"][0]["risk"]["tier"] == "privileged-excess"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--select", "SL9"], "--select: unknown rule 'SL9'"),
        (["--ignore", "excess-scop"], "unknown rule 'excess-scop' (did you mean 'excess-scope'?)"),
        (["--format", "sarif"], "Invalid value for '--format'"),
        (["--as-of", "yesterday"], "'yesterday' is not a date"),
        (["--top", "-1"], "Invalid value for '--top'"),
        (["--config", "missing.toml"], "missing.toml: config file not found"),
    ],
)
def test_usage_errors_exit_two_with_one_line(run_cli: Run, args: list[str], message: str) -> None:
    result = audit(run_cli, *args, "examples/clean.yaml")
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def test_a_missing_path_is_exit_two_after_the_report(run_cli: Run) -> None:
    result = audit(run_cli, "examples/clean.yaml", "no/such/dir")
    assert result.code == 2
    assert result.err.strip() == "scopelint: error: no/such/dir: no such file or directory"
    assert result.out.startswith("scopelint audit: 1 file")


def test_config_select_and_exclude_apply(run_cli: Run, tmp_path: Path) -> None:
    config = tmp_path / "scopelint.toml"
    config.write_text('ignore = ["SL5"]\nexclude = ["clients"]\n', encoding="utf-8")
    data = json.loads(audit(run_cli, "--config", str(config), "--format", "json", "examples").out)
    assert not [f for f in data["findings"] if f["code"].startswith("SL5")]
    assert data["connections"]
    assert not [c for c in data["connections"] if c["path"].startswith("examples/clients/")]


def test_an_unwritable_output_is_one_line(run_cli: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    result = audit(run_cli, "--output", str(blocker / "audit.html"), "examples/clean.yaml")
    assert result.code == 2 and "cannot write the report" in result.err


PROBE = """
import sys
from scopelint.entry import main
sys.argv = ["scopelint", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(",".join(sorted(m for m in sys.modules if m.startswith("scopelint."))), file=sys.stderr)
"""


def loaded_modules(*args: str) -> set[str]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    return set(done.stderr.strip().splitlines()[-1].split(","))


def test_check_loads_nothing_of_audit() -> None:
    loaded = loaded_modules("check", "--no-color", "examples/over-provisioned.yaml")
    assert "scopelint.engine" in loaded
    assert not {m for m in loaded if m.startswith(("scopelint.audit", "scopelint.commands.audit"))}


@pytest.mark.parametrize("output_format", AUDIT_FORMATS)
def test_an_audit_loads_only_its_renderer(output_format: str) -> None:
    loaded = loaded_modules("audit", "--format", output_format, "examples/over-provisioned.yaml")
    renderers = {m for m in loaded if m.startswith("scopelint.audit.render_")}
    # HTML embeds the JSON data, so it loads the JSON renderer too.
    expected = {f"scopelint.audit.render_{output_format}"}
    if output_format == "html":
        expected.add("scopelint.audit.render_json")
    assert renderers == expected
