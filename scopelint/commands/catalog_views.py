"""`tools`, `rules` and `rule`: the bundled data, shown."""

from __future__ import annotations

import json
from typing import Any

from tabulate import tabulate

from scopelint.catalog import Action, Catalog, RuleInfo, Tool, load_catalog, load_rules
from scopelint.suggest import did_you_mean


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _since(tool: Tool, action: Action) -> str | None:
    since = action.since or tool.since
    return since.isoformat() if since else None


def _added(tool: Tool, action: Action) -> str:
    """How the table marks what a config's [[catalog.tools]] added: `config`, and since when."""
    if not action.extended:
        return ""
    since = _since(tool, action)
    return "config" + (f" since {since}" if since else "")


def tools_command(product: str | None, output_format: str, catalog: Catalog | None = None) -> str:
    """The catalog as a table or JSON; pass the configured catalog to show its extensions."""
    catalog = catalog or load_catalog()
    if product is not None and product not in catalog.products():
        raise ValueError(
            f"unknown product '{product}'{did_you_mean(product, catalog.products())};"
            f" products: {', '.join(catalog.products())}"
        )
    rows: list[dict[str, Any]] = []
    for tool in catalog.tools.values():
        if product is not None and tool.product != product:
            continue
        for action in tool.actions.values():
            rows.append(
                {
                    "tool": tool.name,
                    "action": "" if tool.single_action else action.name,
                    "product": tool.product,
                    "group": action.group or "",
                    "scopes": list(action.scopes),
                    "aliases": list(tool.aliases),
                    "extended": action.extended,
                    "since": _since(tool, action),
                    "added": _added(tool, action),
                }
            )
    if output_format == "json":
        for row in rows:
            del row["added"]
        return json.dumps({"catalog": catalog.date.isoformat(), "tools": rows}, indent=2) + "\n"
    extended = any(r["extended"] for r in rows)
    table = [
        [
            r["tool"] + (f" ({', '.join(r['aliases'])})" if r["aliases"] else ""),
            r["action"],
            r["product"],
            r["group"],
            ", ".join(r["scopes"]),
            *([r["added"]] if extended else []),
        ]
        for r in rows
    ]
    header = ["tool (aliases)", "action", "product", "group", "scopes"]
    footer = f"catalog retrieved {catalog.date.isoformat()}; {len(catalog.tools)} tools"
    if catalog.extended_by:
        new_tools = sum(1 for t in catalog.tools.values() if t.extended)
        new_actions = sum(
            1
            for t in catalog.tools.values()
            if not t.extended
            for a in t.actions.values()
            if a.extended
        )
        footer += (
            f" ({_count(new_tools, 'tool')} and {_count(new_actions, 'action')} of bundled "
            f"tools added by {catalog.extended_by})"
        )
    return tabulate(table, [*header, *(["added"] if extended else [])]) + f"\n\n{footer}\n"


def rules_command(output_format: str) -> str:
    rules = load_rules()
    if output_format == "json":
        return (
            json.dumps(
                [
                    {
                        "code": r.code,
                        "name": r.name,
                        "severity": r.severity.label,
                        "summary": r.summary,
                    }
                    for r in rules.values()
                ],
                indent=2,
            )
            + "\n"
        )
    if output_format == "markdown":
        return rules_markdown(rules)
    table = [[r.code, r.name, r.severity.label, r.summary] for r in rules.values()]
    return tabulate(table, ["code", "name", "severity", "summary"]) + "\n"


def find_rule(selector: str) -> RuleInfo:
    rules = load_rules()
    if selector.upper() in rules:
        return rules[selector.upper()]
    for rule in rules.values():
        if rule.name == selector:
            return rule
    candidates = [*rules.keys(), *(r.name for r in rules.values())]
    raise ValueError(
        f"unknown rule '{selector}'{did_you_mean(selector, candidates)}; "
        "`scopelint rules` lists them"
    )


def rule_markdown(rule: RuleInfo, heading: str = "#") -> str:
    lang = "json" if rule.example_file.endswith(".json") else "yaml"
    parts = [
        f"{heading} {rule.code} `{rule.name}`",
        f"Default severity: **{rule.severity.label}**. {rule.summary}",
        f"{heading}# What it does\n\n{rule.what}",
        f"{heading}# Why is this bad?\n\n{rule.why}",
    ]
    if rule.example:
        setup = []
        if rule.config:
            setup.append(f"With this in `.scopelint.toml`:\n\n```toml\n{rule.config.rstrip()}\n```")
        if rule.as_of:
            setup.append(f"Checked with `scopelint check --as-of {rule.as_of}`:")
        example = f"```{lang}\n{rule.example.rstrip()}\n```"
        parts.append("\n\n".join([f"{heading}# Example", *setup, example]))
    parts.append(f"{heading}# How to fix it\n\n{rule.fix}")
    if rule.use_instead:
        parts.append(f"Use instead:\n\n```{lang}\n{rule.use_instead.rstrip()}\n```")
    return "\n\n".join(parts) + "\n"


def rule_command(selector: str) -> str:
    return rule_markdown(find_rule(selector))


def rules_markdown(rules: dict[str, RuleInfo]) -> str:
    """docs/rules.md: generated; CI fails when the committed file drifts from this."""
    lines = [
        "# Rules",
        "",
        "<!-- Generated from rules/rules.yaml by `scopelint rules --format markdown`. "
        "Do not edit. -->",
        "",
        "Select or ignore rules by code (`SL101`), name (`excess-scope`) or prefix (`SL1`). "
        "Silence one finding with `# scopelint: ignore[SL101]` on its line or alone on the "
        "line above.",
        "",
        "| code | name | severity | summary |",
        "|---|---|---|---|",
    ]
    for rule in rules.values():
        anchor = f"{rule.code.lower()}-{rule.name}"
        lines.append(
            f"| [{rule.code}](#{anchor}) | {rule.name} | {rule.severity.label} | {rule.summary} |"
        )
    lines.append("")
    for rule in rules.values():
        lines.append(rule_markdown(rule, heading="##"))
    return "\n".join(lines)
