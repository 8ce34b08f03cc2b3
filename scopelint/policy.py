"""An organization's policy: the rules it adds to least privilege, and where each applies.

The policy comes from `[policy]` in the config (read and checked by policy_config.py).
`[[policy.override]]` entries narrow it to files or connections by glob; later entries
win over earlier ones, key by key. Each value remembers the key that set it, so a finding
can name it and a reviewer can find it in the config.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields, replace
from fnmatch import fnmatchcase
from functools import cache
from pathlib import Path
from typing import Generic, TypeVar

from scopelint.gitignore import translate_glob

POLICY_KEYS = (
    "forbid_scopes",
    "allow_scopes",
    "max_scopes_per_connection",
    "global_read_only",
    "require_service_account_for_global",
    "allowed_endpoints",
    "require_header_reference",
    "forbid_products",
)
SELECTOR_KEYS = ("files", "connections")
OVERRIDE_KEYS = (*SELECTOR_KEYS, *POLICY_KEYS)
TOP_KEYS = (*POLICY_KEYS, "override")
# Levels a global connection may hold under `global_read_only`.
READ_ONLY_LEVELS = frozenset({"read", "search"})

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    value: T
    key: str  # where it was set, such as policy.override[0].forbid_scopes


@dataclass(frozen=True)
class Rules:
    """The policy that holds for one connection; None means the key is not set."""

    forbid_scopes: Setting[tuple[str, ...]] | None = None
    allow_scopes: Setting[tuple[str, ...]] | None = None
    max_scopes_per_connection: Setting[int] | None = None
    global_read_only: Setting[bool] | None = None
    require_service_account_for_global: Setting[bool] | None = None
    allowed_endpoints: Setting[tuple[str, ...]] | None = None
    require_header_reference: Setting[bool] | None = None
    # auth method -> products, as pairs so that Rules stays hashable
    forbid_products: Setting[tuple[tuple[str, tuple[str, ...]], ...]] | None = None

    def merged(self, later: Rules) -> Rules:
        """These rules with every key `later` sets replaced by its value."""
        changes = {f.name: getattr(later, f.name) for f in fields(later)}
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @property
    def empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))

    def forbidding(self, scope: str) -> str | None:
        """The forbid_scopes glob that forbids `scope`, if one does."""
        if self.forbid_scopes is None:
            return None
        return next((g for g in self.forbid_scopes.value if fnmatchcase(scope, g)), None)

    def allows(self, scope: str) -> bool:
        if self.allow_scopes is None:
            return True
        return any(fnmatchcase(scope, g) for g in self.allow_scopes.value)

    def forbidden_products(self, auth: str | None) -> tuple[str, ...]:
        if self.forbid_products is None or auth is None:
            return ()
        return dict(self.forbid_products.value).get(auth, ())


@dataclass(frozen=True)
class Override:
    where: str  # policy.override[N]
    files: tuple[str, ...]  # path globs from the config's folder; () for every file
    connections: tuple[str, ...]  # connection or server name globs; () for every one
    rules: Rules

    def matches_file(self, names: tuple[str, ...]) -> bool:
        return not self.files or any(
            path_glob(pattern).fullmatch(name) for pattern in self.files for name in names
        )

    def matches_connection(self, name: str | None) -> bool:
        if not self.connections:
            return True
        return name is not None and any(fnmatchcase(name, g) for g in self.connections)


@dataclass(frozen=True)
class FilePolicy:
    """The policy for one file; each connection in it may narrow it further."""

    rules: Rules
    overrides: tuple[Override, ...]

    def for_connection(self, name: str | None) -> Rules:
        rules = self.rules
        for override in self.overrides:
            if override.matches_connection(name):
                rules = rules.merged(override.rules)
        return rules


@dataclass(frozen=True)
class Policy:
    root: Path  # the config file's folder: `files` globs are relative to it
    rules: Rules
    overrides: tuple[Override, ...] = ()

    def for_file(self, path: str) -> FilePolicy:
        names = file_names(path, self.root)
        return FilePolicy(self.rules, tuple(o for o in self.overrides if o.matches_file(names)))


def file_names(path: str, root: Path) -> tuple[str, ...]:
    """The names `files` globs are tried on: the path from the config's folder, and as given."""
    if path.startswith("<"):  # <stdin> has no place in the tree
        return ()
    given = Path(path).as_posix().removeprefix("./")
    relative = os.path.relpath(os.path.abspath(path), root)
    if relative.startswith(".."):
        return (given,)
    return tuple(dict.fromkeys((Path(relative).as_posix(), given)))


@cache
@cache
def path_glob(pattern: str) -> re.Pattern[str]:
    """A gitignore-style glob: `*` stays within a folder, `**` crosses folders, a pattern
    without `/` matches a file name in any folder, and `dir/` means everything under it."""
    if pattern.endswith("/"):
        pattern += "**"
    anchored = "/" in pattern
    body = translate_glob(pattern.removeprefix("/"))
    return re.compile(body if anchored else f"(?:.*/)?{body}")
