"""Every rule is documented, and its documented example really triggers it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from scopelint.catalog import RuleInfo, load_rules
from scopelint.commands.catalog_views import rules_markdown
from scopelint.config import CONFIG_FILE, configured_catalog, configured_policy, load_config
from scopelint.engine import Engine, Options
from scopelint.findings import Finding
from scopelint.selection import rule_name_index

from conftest import AS_OF, ROOT, lint_text

RULES = load_rules()
SPEC_CODES = [
    "SL001", "SL002", "SL003", "SL004", "SL005", "SL101", "SL102", "SL103", "SL104",
    "SL201", "SL202", "SL203", "SL204", "SL301", "SL302", "SL303", "SL304",
    "SL401", "SL402", "SL403", "SL404", "SL405", "SL406",
    "SL501", "SL502", "SL503", "SL504", "SL601", "SL602", "SL701", "SL702", "SL703", "SL704",
    "SL801", "SL802", "SL803", "SL804", "SL805", "SL806", "SL807", "SL808",
]


def lint_documented(rule: RuleInfo, text: str, folder: Path) -> list[Finding]:
    """Lint an example as the docs show it: with the rule's config and --as-of, if any."""
    as_of = dt.date.fromisoformat(rule.as_of) if rule.as_of else AS_OF
    if not rule.config:
        return lint_text(text, rule.example_file, folder, as_of=as_of)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CONFIG_FILE).write_text(rule.config, encoding="utf-8")
    (folder / rule.example_file).write_text(text, encoding="utf-8")
    config = load_config(str(folder / CONFIG_FILE), folder, rule_name_index(RULES))
    catalog = configured_catalog(config)
    options = Options(as_of=as_of, policy=configured_policy(config, catalog))
    return Engine(catalog, RULES, options).run([str(folder / rule.example_file)]).findings


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
    fired = [f.code for f in lint_documented(rule, rule.example, tmp_path / "bad")]
    assert code in fired, f"{code}'s documented example does not trigger it: {fired}"
    if rule.use_instead:
        after = [f.code for f in lint_documented(rule, rule.use_instead, tmp_path / "ok")]
        assert code not in after, f"{code}'s 'use instead' still triggers it"


@pytest.mark.parametrize("code", [code for code in SPEC_CODES if code.startswith("SL8")])
def test_policy_rules_need_their_config(code: str, tmp_path: Path) -> None:
    """Without the documented config a policy rule is silent: the config is what fires it."""
    rule = RULES[code]
    assert rule.config, f"{code} documents no config"
    fired = [f.code for f in lint_text(rule.example, rule.example_file, tmp_path)]
    assert code not in fired


def test_docs_rules_md_is_generated_from_the_data() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(RULES), (
        "docs/rules.md is out of date: run `scopelint rules --format markdown > docs/rules.md`"
    )
