"""Reading `[policy]` from the config, every value checked against the catalog it will judge.

A policy that silently checks nothing is worse than none, so an unknown key, a scope glob
that can never match, an endpoint or product the catalog does not know, and an allowlist
entry that forbid_scopes takes away again are all config errors, with a did-you-mean.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from scopelint.catalog import AUTH_METHODS, Catalog
from scopelint.config import ConfigError, Table
from scopelint.policy import (
    OVERRIDE_KEYS,
    POLICY_KEYS,
    SELECTOR_KEYS,
    TOP_KEYS,
    Override,
    Policy,
    Rules,
    Setting,
)
from scopelint.suggest import closest, did_you_mean

T = TypeVar("T")
_GLOB_CHARS = frozenset("*?[")


def compile_policy(path: Path, raw: dict[str, Any], catalog: Catalog) -> Policy:
    for key in SELECTOR_KEYS:
        if key in raw:
            raise ConfigError(
                f"{path}: '{key}' belongs in a [[policy.override]] entry; [policy] itself "
                "applies to every file and connection"
            )
    table = Table(path, "policy", raw, TOP_KEYS)
    base = read_rules(table, catalog)
    check_consistent(path, base, catalog)
    overrides = []
    for entry in table.tables("override", OVERRIDE_KEYS):
        files = entry.strings("files", single=True) or ()
        connections = entry.strings("connections", single=True) or ()
        if not files and not connections:
            raise ConfigError(
                f"{path}: '{entry.where}' needs `files` or `connections`: the globs it applies to"
            )
        rules = read_rules(entry, catalog)
        if rules.empty:
            raise ConfigError(
                f"{path}: '{entry.where}' sets no policy key; set one of {', '.join(POLICY_KEYS)}"
            )
        check_consistent(path, base.merged(rules), catalog)
        overrides.append(Override(entry.where, files, connections, rules))
    return Policy(path.parent.absolute(), base, tuple(overrides))


def read_rules(table: Table, catalog: Catalog) -> Rules:
    def setting(key: str, value: T | None) -> Setting[T] | None:
        return None if value is None else Setting(value, table.name(key))

    scope_lists = {}
    for key in ("forbid_scopes", "allow_scopes"):
        globs = table.strings(key)
        for pattern in globs or ():
            _check_scope_glob(table, key, pattern, catalog)
        scope_lists[key] = setting(key, globs)
    endpoints = table.strings("allowed_endpoints")
    return Rules(
        forbid_scopes=scope_lists["forbid_scopes"],
        allow_scopes=scope_lists["allow_scopes"],
        max_scopes_per_connection=setting(
            "max_scopes_per_connection", table.positive_int("max_scopes_per_connection")
        ),
        global_read_only=setting("global_read_only", table.boolean("global_read_only")),
        require_service_account_for_global=setting(
            "require_service_account_for_global",
            table.boolean("require_service_account_for_global"),
        ),
        allowed_endpoints=setting(
            "allowed_endpoints",
            None if endpoints is None else tuple(_endpoint(table, e, catalog) for e in endpoints),
        ),
        require_header_reference=setting(
            "require_header_reference", table.boolean("require_header_reference")
        ),
        forbid_products=setting("forbid_products", _forbidden_products(table, catalog)),
    )


def check_consistent(path: Path, rules: Rules, catalog: Catalog) -> None:
    """An allow_scopes entry must leave something that forbid_scopes does not take away."""
    allow, forbid = rules.allow_scopes, rules.forbid_scopes
    if allow is None or forbid is None:
        return
    for pattern in allow.value:
        blockers = [rules.forbidding(s) for s in catalog.scopes if fnmatchcase(s, pattern)]
        if blockers and None not in blockers:
            raise ConfigError(
                f"{path}: '{allow.key}' entry '{pattern}' is forbidden by '{forbid.key}' "
                f"('{blockers[0]}'), so it allows nothing; remove it from one of the two"
            )


def _check_scope_glob(table: Table, key: str, pattern: str, catalog: Catalog) -> None:
    if any(fnmatchcase(scope, pattern) for scope in catalog.scopes):
        return
    guess = suggest_scope_glob(pattern, catalog)
    hint = f" (did you mean '{guess}'?)" if guess else ""
    table.fail(key, f"entry '{pattern}' matches no scope in the catalog{hint}")


def suggest_scope_glob(pattern: str, catalog: Catalog) -> str | None:
    """Mend each literal part of a scope glob (`admn:*` -> `admin:*`); else the nearest scope."""
    parts = pattern.split(":")
    mended = []
    for index, part in enumerate(parts):
        if _GLOB_CHARS.intersection(part):
            mended.append(part)
            continue
        known = {s.split(":")[index] for s in catalog.scopes if s.count(":") >= index}
        mended.append(closest(part, known) or part)
    guess = ":".join(mended)
    if guess != pattern and any(fnmatchcase(scope, guess) for scope in catalog.scopes):
        return guess
    return closest(pattern, catalog.scopes)


def _endpoint(table: Table, value: str, catalog: Catalog) -> str:
    path = value.rstrip("/") or "/"
    if path in catalog.endpoints:
        return path
    # A whole URL where a path belongs: suggest its path.
    wanted = (urlsplit(value).path.rstrip("/") or "/") if "://" in value else path
    hint = (
        f" (did you mean '{wanted}'?)"
        if wanted != value and wanted in catalog.endpoints
        else did_you_mean(wanted, catalog.endpoints)
    )
    table.fail(
        "allowed_endpoints",
        f"entry '{value}' is not an endpoint path in the catalog{hint}; "
        f"paths: {', '.join(catalog.endpoints)}",
    )


def _forbidden_products(
    table: Table, catalog: Catalog
) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    methods = table.table("forbid_products", AUTH_METHODS)
    if methods is None:
        return None
    products = catalog.products()
    pairs = []
    for auth in methods.raw:
        listed = methods.strings(auth) or ()
        for product in listed:
            if product not in products:
                methods.fail(
                    auth,
                    f"entry '{product}' is not a product{did_you_mean(product, products)}; "
                    f"products: {', '.join(products)}",
                )
        pairs.append((auth, listed))
    return tuple(pairs)
