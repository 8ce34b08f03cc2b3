"""Rendered-report snapshots and the shared schemas, for the tests of each output format.

Snapshots live in tests/snapshots/. After a deliberate change to what users see, rewrite
them with `SCOPELINT_UPDATE_SNAPSHOTS=1 pytest` and review the diff like any other.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scopelint import __version__

from conftest import AS_OF, ROOT, CliResult

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reports"
SCHEMAS = Path(__file__).resolve().parents[2] / "shared" / "schemas"
# Named one by one: a new example should not silently change every snapshot.
EXAMPLE_FILES = [
    "examples/clean.yaml",
    "examples/credentials.yaml",
    "examples/endpoints.yaml",
    "examples/format-errors.yaml",
    "examples/over-provisioned.yaml",
    "examples/shared-identity.yaml",
    "examples/wrong-auth.yaml",
]


def assert_snapshot(name: str, text: str) -> None:
    """`text` must equal tests/snapshots/<name> (the package version masked)."""
    text = text.replace(__version__, "<version>")
    path = SNAPSHOTS / name
    if os.environ.get("SCOPELINT_UPDATE_SNAPSHOTS") == "1":
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        return
    if not path.exists():
        pytest.fail(f"no snapshot {name}: create it with SCOPELINT_UPDATE_SNAPSHOTS=1")
    with open(path, encoding="utf-8", newline="") as handle:
        assert text == handle.read()


def load_schema(name: str) -> dict[str, Any]:
    path = SCHEMAS / name
    if not path.is_file():
        pytest.skip(f"{path} is absent: the shared schemas sit beside the checkout in ../shared")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def run_examples(
    run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch, *args: str
) -> CliResult:
    """`scopelint check` over the examples, from the repository root, on a fixed date."""
    monkeypatch.chdir(ROOT)
    return run_cli("check", "--no-color", "--as-of", AS_OF.isoformat(), *args, *EXAMPLE_FILES)
