"""The bundled catalog is consistent with itself and with the SPEC's facts."""

from __future__ import annotations

import datetime as dt

import pytest

from scopelint.catalog import LEVELS, load_catalog, rules_dir

CATALOG = load_catalog()


def test_every_file_names_its_source_and_date() -> None:
    assert set(CATALOG.sources) == {"tools", "scopes", "endpoints"}
    for name, date in CATALOG.retrieved.items():
        assert isinstance(date, dt.date), name
        assert CATALOG.sources[name].startswith("https://"), name


def test_every_scope_a_tool_names_is_known() -> None:
    for tool in CATALOG.tools.values():
        for action in tool.actions.values():
            assert action.scopes, f"{action.label} needs no scope"
            for scope in action.scopes:
                assert scope in CATALOG.scopes, f"{action.label} names unknown scope {scope}"


def test_scope_levels_match_their_prefix() -> None:
    for scope, level in CATALOG.scopes.items():
        assert level in LEVELS
        assert scope.split(":", 1)[0] == level, scope


def test_no_duplicate_tools_or_aliases() -> None:
    raw = (rules_dir() / "tools.yaml").read_text(encoding="utf-8")
    names = [line.split(":")[0].strip() for line in raw.splitlines()
             if line.startswith("  ") and not line.startswith("   ") and ":" in line]
    assert len(names) == len(set(names))
    assert not set(CATALOG.aliases) & set(CATALOG.tools)


def test_every_endpoint_has_a_generation_in_the_matrix() -> None:
    for endpoint in CATALOG.endpoints.values():
        assert endpoint.generation in CATALOG.matrix, endpoint.path
        assert set(endpoint.auth) <= {"oauth", "api-token"}
    assert CATALOG.endpoints["/v1/sse"].sunset == dt.date(2026, 6, 30)


def test_every_tool_product_is_in_the_matrix() -> None:
    for tool in CATALOG.tools.values():
        for table in CATALOG.matrix.values():
            assert tool.product in table, tool.name


def test_spec_facts() -> None:
    assert CATALOG.tool("getJsmOpsAlerts") is not None
    alerts = CATALOG.tools["getJsmOpsAlerts"].actions["getJsmOpsAlerts"]
    assert set(alerts.scopes) == {"read:ops-alert:jira-service-management",
                                  "read:ops-config:jira-service-management", "read:jira-user"}
    assert CATALOG.tool("getConfluenceContent") is CATALOG.tools["getConfluencePage"]
    env = CATALOG.tools["bitbucketEnvironment"].actions
    assert env["delete"].scopes == ("admin:pipeline:bitbucket",)
    assert CATALOG.allowed_auth("bitbucket", "v1") == ("api-token",)
    assert CATALOG.allowed_auth("bitbucket", "v2") == ("oauth", "api-token")
    assert CATALOG.allowed_auth("compass", None) == ("oauth",)


def test_compiled_catalog_is_current_and_equal_to_the_yaml(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from scopelint import catalog as catalog_module
    from scopelint.catalog_compile import COMPILED, compiled_text

    assert COMPILED.read_text(encoding="utf-8") == compiled_text(rules_dir()), (
        "scopelint/catalog.json is out of date: run python -m scopelint.catalog_compile"
    )
    assert catalog_module._compiled() is not None
    from_json = (load_catalog(), catalog_module.load_rules())
    for cached in (catalog_module.load_catalog, catalog_module.load_rules):
        cached.cache_clear()
    monkeypatch.setattr(catalog_module, "_compiled", lambda: None)
    try:
        from_yaml = (catalog_module.load_catalog(), catalog_module.load_rules())
    finally:
        for cached in (catalog_module.load_catalog, catalog_module.load_rules):
            cached.cache_clear()
    assert from_json == from_yaml
