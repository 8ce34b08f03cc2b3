"""Every rule is documented, and its documented example really triggers it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scopelint.catalog import load_rules
from scopelint.commands.catalog_views import rules_markdown

from conftest import ROOT, lint_text

RULES = load_rules()
SPEC_CODES = [
    "SL001", "SL002", "SL003", "SL004", "SL101", "SL102", "SL103", "SL104",
    "SL201", "SL202", "SL203", "SL204", "SL301", "SL302", "SL303", "SL304",
    "SL401", "SL402", "SL403", "SL404", "SL405", "SL406",
    "SL501", "SL502", "SL503", "SL504", "SL601", "SL602", "SL701", "SL702", "SL703", "SL704",
]


def test_every_spec_rule_is_documented() -> None:
    assert list(RULES) == SPEC_CODES
    names = [rule.name for rule in RULES.values()]
    assert len(set(names)) == len(names)
    for rule in RULES.values():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name
        for section in (rule.summary, rule.what, rule.why, rule.fix, rule.example):
            assert section.strip(), f"{rule.code} has an empty section"


@pytest.mark.parametrize("code", SPEC_CODES)
def test_example_fires_and_fix_is_silent(code: str, tmp_path: Path) -> None:
    rule = RULES[code]
    fired = [f.code for f in lint_text(rule.example, rule.example_file, tmp_path / "bad")]
    assert code in fired, f"{code}'s documented example does not trigger it: {fired}"
    if rule.use_instead:
        after = [f.code for f in lint_text(rule.use_instead, rule.example_file, tmp_path / "ok")]
        assert code not in after, f"{code}'s 'use instead' still triggers it"


def test_docs_rules_md_is_generated_from_the_data() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(RULES), (
        "docs/rules.md is out of date: run `scopelint rules --format markdown > docs/rules.md`"
    )
