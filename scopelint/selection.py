"""Which rules run: --select / --ignore by code, name or code prefix."""

from __future__ import annotations

from collections.abc import Iterable

from scopelint.catalog import RuleInfo


def rule_name_index(rules: dict[str, RuleInfo]) -> dict[str, str]:
    """Every code and name -> code."""
    index = {code: code for code in rules}
    index.update({rule.name: code for code, rule in rules.items()})
    return index


def expand(selectors: Iterable[str], rules: dict[str, RuleInfo]) -> set[str]:
    index = rule_name_index(rules)
    codes: set[str] = set()
    for selector in selectors:
        selector = selector.strip()
        if not selector:
            continue
        if selector in index:
            codes.add(index[selector])
        elif selector.upper() == "ALL":
            codes.update(rules)
        else:
            codes.update(code for code in rules if code.startswith(selector.upper()))
    return codes


def enabled_codes(select: list[str], ignore: list[str], rules: dict[str, RuleInfo]) -> set[str]:
    chosen = expand(select, rules) if select else set(rules)
    return chosen - expand(ignore, rules)
