"""Shared helpers: lint text in-process, and run the CLI as users do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from scopelint.catalog import load_catalog, load_rules
from scopelint.engine import Engine, Options
from scopelint.findings import Finding

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
AS_OF = dt.date(2026, 11, 24)


def lint_text(text: str, name: str = "plan.yaml", tmp: Path | None = None,
              **options: object) -> list[Finding]:
    """Lint `text` as the file `name` (written to disk when `tmp` is given)."""
    opts = Options(as_of=options.pop("as_of", AS_OF), **options)  # type: ignore[arg-type]
    engine = Engine(load_catalog(), load_rules(), opts)
    if tmp is None:
        return engine.lint_plan_text(name, text, set()).findings
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return engine.run([str(path)]).findings


def codes(findings: list[Finding]) -> list[str]:
    return sorted(f.code for f in findings)


def pin_date(args: tuple[str, ...] | list[str]) -> list[str]:
    """`check` and `audit` on the tests' fixed date unless a test chooses one: findings
    that depend on today (sunsets, a stale catalog) must not change as time passes."""
    args = list(args)
    if args and args[0] in ("check", "audit") and not any(a.startswith("--as-of") for a in args):
        return [args[0], "--as-of", AS_OF.isoformat(), *args[1:]]
    return args


class _Executable(click.Command):
    """The executable as users start it (`scopelint.entry`: the fast path for plain
    `check` command lines, click for the rest), in the shape CliRunner invokes."""

    def __init__(self) -> None:
        super().__init__("scopelint")

    def main(self, args: object = None, *_args: object, **_kwargs: object) -> None:  # type: ignore[override]
        from scopelint.entry import run

        run(list(args))  # type: ignore[call-overload]


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliResult]:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)

    def _run(*args: str, input: str | bytes | None = None) -> CliResult:
        result = CliRunner().invoke(
            _Executable(), pin_date(args), input=input, catch_exceptions=False
        )
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return _run
