"""Table-driven rule cases: each plan in tests/cases/*.yaml and the findings it must give."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import lint_text

CASES_DIR = Path(__file__).parent / "cases"


def _cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            params.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return params


@pytest.mark.parametrize("case", _cases())
def test_case(case: dict[str, Any]) -> None:
    options: dict[str, Any] = {}
    if "as_of" in case:
        options["as_of"] = dt.date.fromisoformat(str(case["as_of"]))
    findings = lint_text(case["plan"], **options)
    got = sorted([f.code, f.span.line, f.span.column] for f in findings)
    want = sorted(expected[:3] for expected in case["findings"])
    assert got == want, "\n".join(f"{f.code} {f.span.line}:{f.span.column} {f.message}"
                                  for f in findings)
    for expected in case["findings"]:
        if len(expected) == 4:
            match = [f for f in findings if [f.code, f.span.line, f.span.column] == expected[:3]]
            assert match[0].severity.label == expected[3]
