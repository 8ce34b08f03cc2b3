"""Property tests: random plans, valid and mangled, never break the linter's promises.

No exception escapes, every finding points inside its file, the JSON report validates
against docs/output.schema.json, and linting is deterministic in any file order.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scopelint.catalog import load_catalog, load_rules
from scopelint.engine import Engine, FileResult, Options, RunResult
from scopelint.report.json_report import report_dict

from conftest import ROOT

CATALOG = load_catalog()
RULES = load_rules()
VALIDATOR = jsonschema.Draft202012Validator(
    json.loads((ROOT / "docs" / "output.schema.json").read_text(encoding="utf-8")))
ENGINE = Engine(CATALOG, RULES, Options(as_of=dt.date(2026, 11, 24)))

tool_names = st.sampled_from([*sorted(CATALOG.tool_names()), "noSuchTool"])
scopes = st.sampled_from([*sorted(CATALOG.scopes), "read:nothing", "ATATT3xFakeTokenValue0123456789"])
urls = st.sampled_from(
    [f"https://{CATALOG.host}{path}" for path in CATALOG.endpoints]
    + ["http://mcp.atlassian.com/v2/mcp", "https://mcp.atlassian.com/v9", "https://gw.example.org/mcp"])
headers = st.sampled_from([
    "Bearer ${KEY}", "Basic ${B64}", "Bearer ATSTT3xFakeTokenValue0123456789abcdefABCDEF=1",
    "Basic bWVAZXhhbXBsZS5vcmc6dG9rZW4=", "YOUR_API_TOKEN", "Token abc", "Basic !!!"])
scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=8))


def _actions(tool: str) -> st.SearchStrategy[Any]:
    found = CATALOG.tool(tool)
    names = sorted(found.actions) if found else ["x"]
    return st.one_of(st.just("all"), st.lists(st.sampled_from([*names, "bogus"]), max_size=4))


connection = st.fixed_dictionaries(
    {"name": st.text(min_size=1, max_size=12)},
    optional={
        "url": urls, "auth": st.sampled_from(["api-token", "oauth", "token"]),
        "credential": st.sampled_from(["personal", "service-account"]),
        "availability": st.sampled_from(["private", "global"]), "header": headers,
        "products": st.lists(st.sampled_from(CATALOG.products()), max_size=3),
        "scopes": st.lists(scopes, max_size=5),
        "tools": st.dictionaries(tool_names, st.just("all"), max_size=4).flatmap(
            lambda tools: st.fixed_dictionaries({t: _actions(t) for t in tools})),
        "extra": scalars,
    },
)
plans = st.fixed_dictionaries(
    {"scopelint": st.sampled_from([1, 1, 1, 2]),
     "connections": st.lists(connection, max_size=4)},
    optional={"organization": st.dictionaries(
        st.sampled_from(["workspace_linked", "api_token_auth", "ip_allowlist",
                         "gateway_egress_allowed", "typo"]), st.one_of(st.booleans(), scalars))},
)


@st.composite
def plan_texts(draw: st.DrawFn) -> str:
    text = yaml.safe_dump(draw(plans), sort_keys=False, allow_unicode=True)
    if draw(st.booleans()):
        return text
    # Mangle it: cut, splice or duplicate at a random place.
    at = draw(st.integers(0, len(text)))
    junk = draw(st.sampled_from(["", ":", "- ", "[", "{", "&a", "*a", "\t", "\n  x: 1\n",
                                 "# scopelint: ignore[SL101]\n", '"', "!!python/none "]))
    mode = draw(st.sampled_from(["cut", "insert", "duplicate"]))
    if mode == "cut":
        return text[:at]
    if mode == "insert":
        return text[:at] + junk + text[at:]
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at) + 1 or len(text)
    return text[:line_end] + text[line_start:line_end] + text[line_end:]


def _lint(files: dict[str, str]) -> RunResult:
    results: list[FileResult] = []
    secrets: set[str] = set()
    for name, text in files.items():
        results.append(ENGINE.lint_plan_text(name, text, secrets))
    return RunResult(results, [], secrets)


def _check_positions(result: RunResult, files: dict[str, str]) -> None:
    for finding in result.findings:
        lines = files[finding.path].splitlines() or [""]
        span = finding.span
        assert 1 <= span.line <= len(lines) + 1, finding
        assert span.end_line >= span.line and span.column >= 1, finding
        if span.line <= len(lines):
            assert span.column <= len(lines[span.line - 1]) + 1, finding


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(plan_texts(), min_size=1, max_size=3))
def test_random_plans_keep_every_promise(texts: list[str]) -> None:
    files = {f"plans/p{i}.yaml": text for i, text in enumerate(texts)}
    result = _lint(files)
    _check_positions(result, files)
    report = report_dict(result, CATALOG.date.isoformat())
    VALIDATOR.validate(report)
    again = report_dict(_lint(files), CATALOG.date.isoformat())
    assert again == report
    reversed_files = dict(reversed(list(files.items())))
    backwards = report_dict(_lint(reversed_files), CATALOG.date.isoformat())
    by_path = lambda r: sorted(json.dumps(f, sort_keys=True) for f in r["findings"])  # noqa: E731
    assert by_path(backwards) == by_path(report)


def test_the_bundled_examples_validate_against_the_output_schema() -> None:
    files = {str(p): p.read_text(encoding="utf-8") for p in sorted(Path(ROOT / "examples").glob("*.yaml"))}
    VALIDATOR.validate(report_dict(_lint(files), CATALOG.date.isoformat()))
