"""The YAML reader's own loader resolves tags exactly as PyYAML's safe loader does."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from scopelint.sources.reading import Limits
from scopelint.sources.yaml_source import _Loader, parse_yaml

SAFE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

TRICKY = (
    "", "~", "null", "Null", "NULL", "yes", "Yes", "NO", "on", "Off", "y", "n", "true",
    "False", "0", "-0", "+1", "0o17", "017", "0x1F", "0b101", "1_000", "12:30:00", "1.5",
    "-.5", ".inf", "-.Inf", ".NaN", "1e3", "2026-11-24", "2026-11-24T10:00:00Z", "<<",
    "=", "!x", "&a", "*a", "read:jira-work", "https://mcp.atlassian.com/v2/mcp",
    "${ATLASSIAN_KEY}", "Bearer x", "- a", "#", "0.", "+.5e-3", "190:20:30",
)


def _tags(text: str, loader: type) -> list[str]:
    node = yaml.compose(text, Loader=loader)
    tags: list[str] = []

    def walk(item: yaml.Node) -> None:
        tags.append(item.tag)
        if isinstance(item, yaml.SequenceNode):
            for child in item.value:
                walk(child)
        elif isinstance(item, yaml.MappingNode):
            for key, value in item.value:
                walk(key)
                walk(value)

    if node is not None:
        walk(node)
    return tags


@pytest.mark.parametrize("value", TRICKY)
def test_plain_scalars_resolve_as_pyyaml_resolves_them(value: str) -> None:
    resolver = yaml.resolver.Resolver()
    expected = resolver.resolve(yaml.ScalarNode, value, (True, False))
    assert _Loader("").resolve(yaml.ScalarNode, value, (True, False)) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12))
def test_any_plain_scalar_resolves_as_pyyaml_resolves_it(value: str) -> None:
    resolver = yaml.resolver.Resolver()
    for implicit in ((True, False), (False, True), (False, False)):
        expected = resolver.resolve(yaml.ScalarNode, value, implicit)
        assert _Loader("").resolve(yaml.ScalarNode, value, implicit) == expected


def test_whole_documents_get_the_same_tags() -> None:
    text = (
        "scopelint: 1\nempty:\nlist: [1, 1.5, yes, ~, '1', \"x\", 2026-11-24, 0x1F]\n"
        "nested: {a: [b, {c: d}], <<: {e: f}}\nblock:\n  - |\n    text\n  - >\n    folded\n"
    )
    assert _tags(text, _Loader) == _tags(text, SAFE)


def test_scalar_values_are_typed_as_a_safe_load_types_them() -> None:
    document = parse_yaml("p.yaml", "a: [1, 0o17, 1.5, yes, ~, x]\n", Limits())
    assert document.root is not None
    values = [item.value for item in document.root.pairs[0][1].items]  # type: ignore[attr-defined]
    assert values == yaml.load("[1, 0o17, 1.5, yes, ~, x]", Loader=SAFE)
