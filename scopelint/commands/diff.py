"""`scopelint diff`: what a change does to privileges, per connection.

Two files, or the working tree against a git ref. A plan that is new counts as all added,
one that was deleted as all removed. Rendering lives in diff_render.py.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from scopelint.catalog import PRIVILEGED_LEVELS, Catalog, load_catalog
from scopelint.discovery import PLAN_SUFFIXES
from scopelint.gitread import GitError, open_revision
from scopelint.privileges import (
    ATTRIBUTES,
    ConnectionPrivileges,
    Distance,
    PlanPrivileges,
    read_privileges,
)
from scopelint.sources.plan import has_marker
from scopelint.sources.reading import Limits, MissingPath, UnreadableFile, read_bytes

NULL_FILE = os.devnull  # `diff /dev/null NEW`: NEW is a new plan


class DiffError(Exception):
    """A one-line usage problem: exit 2."""


@dataclass
class ConnectionDiff:
    name: str
    status: str  # added, removed or modified
    auth: str | None
    scopes_added: list[str] = field(default_factory=list)
    scopes_removed: list[str] = field(default_factory=list)
    escalations: list[str] = field(default_factory=list)  # added write/delete/admin scopes
    actions_added: dict[str, str | None] = field(default_factory=dict)  # label -> level
    actions_removed: list[str] = field(default_factory=list)
    attributes: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    before: Distance | None = None
    after: Distance | None = None

    @property
    def direction(self) -> str:
        """toward, away or unchanged (relative to the minimal set); minimal, removed or unknown."""
        if self.status == "removed":
            return "removed"
        if self.after is None:
            return "unknown"
        if self.before is None:  # new, or newly comparable (say, OAuth became a token)
            return "minimal" if self.after.total == 0 else "away"
        if self.after.total < self.before.total:
            return "toward"
        if self.after.total > self.before.total:
            return "away"
        return "unchanged"

    @property
    def changed(self) -> bool:
        return bool(
            self.status != "modified"
            or self.scopes_added
            or self.scopes_removed
            or self.actions_added
            or self.actions_removed
            or self.attributes
        )


@dataclass
class FileDiff:
    path: str
    status: str  # added, removed or modified
    connections: list[ConnectionDiff] = field(default_factory=list)
    problem: str | None = None  # a side could not be read: not compared


@dataclass
class DiffReport:
    files: list[FileDiff]
    base: str | None = None
    secrets: set[str] = field(default_factory=set)

    @property
    def escalations(self) -> list[tuple[FileDiff, ConnectionDiff, str]]:
        return [
            (file, conn, scope)
            for file in self.files
            for conn in file.connections
            for scope in conn.escalations
        ]


def compare_connections(
    old: ConnectionPrivileges | None, new: ConnectionPrivileges | None, catalog: Catalog
) -> ConnectionDiff:
    either = new or old
    assert either is not None
    status = "added" if old is None else "removed" if new is None else "modified"
    before_scopes = old.scopes if old else ()
    after_scopes = new.scopes if new else ()
    before_actions = old.actions if old else {}
    after_actions = new.actions if new else {}
    added = [s for s in after_scopes if s not in before_scopes]
    diff = ConnectionDiff(
        name=either.name,
        status=status,
        auth=either.auth,
        scopes_added=added,
        scopes_removed=[s for s in before_scopes if s not in after_scopes],
        escalations=[s for s in added if catalog.level(s) in PRIVILEGED_LEVELS],
        actions_added={a: lvl for a, lvl in after_actions.items() if a not in before_actions},
        actions_removed=[a for a in before_actions if a not in after_actions],
        before=old.distance if old else None,
        after=new.distance if new else None,
    )
    if old is not None and new is not None:
        diff.attributes = {
            key: (old.attributes[key], new.attributes[key])
            for key in ATTRIBUTES
            if old.attributes[key] != new.attributes[key]
        }
    return diff


def compare_versions(
    path: str, status: str, old: PlanPrivileges, new: PlanPrivileges, catalog: Catalog
) -> FileDiff | None:
    """None when nothing about privileges changed."""
    file = FileDiff(path, status)
    if old.problem or new.problem:
        side = "old" if old.problem else "new"
        file.problem = f"the {side} version cannot be read as a plan ({old.problem or new.problem})"
        return file
    names = list(dict.fromkeys([*old.connections, *new.connections]))
    for name in names:
        conn = compare_connections(old.connections.get(name), new.connections.get(name), catalog)
        if conn.changed:
            file.connections.append(conn)
    return file if file.connections else None


def _add_file(
    report: DiffReport,
    path: str,
    old_data: bytes | None,
    new_data: bytes | Exception | None,
    catalog: Catalog,
) -> None:
    status = "added" if old_data is None else "removed" if new_data is None else "modified"
    old = read_privileges(path, old_data, catalog)
    if isinstance(new_data, Exception):
        new = PlanPrivileges(problem=str(new_data))
    else:
        new = read_privileges(path, new_data, catalog)
    report.secrets |= old.secrets | new.secrets
    file = compare_versions(path, status, old, new, catalog)
    if file is not None:
        report.files.append(file)


def _read_file(path: str) -> bytes | None:
    if path == NULL_FILE:
        return None
    try:
        return read_bytes(path, Limits())
    except MissingPath as exc:
        raise DiffError(str(exc)) from None
    except UnreadableFile as exc:
        raise DiffError(f"{path}: {exc}") from None


def diff_files(old_path: str, new_path: str, catalog: Catalog | None = None) -> DiffReport:
    """`diff OLD NEW`: two files; /dev/null stands for a plan that does not exist."""
    old_data, new_data = _read_file(old_path), _read_file(new_path)
    report = DiffReport([])
    shown = new_path if new_path != NULL_FILE else old_path
    _add_file(report, shown, old_data, new_data, catalog or load_catalog())
    return report


def _is_candidate(path: str, named_files: set[str]) -> bool:
    return path.endswith(PLAN_SUFFIXES) or path in named_files


def diff_against(
    ref: str, paths: list[str], cwd: str | None = None, catalog: Catalog | None = None
) -> DiffReport:
    """`diff --base REF [PATH...]`: the working tree against where it forked from REF."""
    here = cwd or os.getcwd()
    catalog = catalog or load_catalog()
    try:
        revision = open_revision(ref, here)
        changed = revision.changed(paths or ["."], here)
    except GitError as exc:
        raise DiffError(str(exc)) from None
    root = Path(revision.root)
    named = {
        Path(os.path.relpath(Path(here, p).resolve(), root)).as_posix()
        for p in paths
        if os.path.isfile(Path(here, p))
    }
    report = DiffReport([], base=ref)
    for repo_path in changed:
        if not _is_candidate(repo_path, named):
            continue
        old_data = revision.read(repo_path)
        new_data = _working_copy(root / repo_path)
        texts = [d for d in (old_data, new_data) if isinstance(d, bytes)]
        if not any(has_marker(d.decode("utf-8", "replace")) for d in texts):
            continue  # not a token plan on either side
        shown = Path(os.path.relpath(root / repo_path, here)).as_posix()
        _add_file(report, shown, old_data, new_data, catalog)
    return report


def _working_copy(path: Path) -> bytes | UnreadableFile | None:
    """The file as it is now: None if deleted, the reason if it cannot be read."""
    try:
        return read_bytes(str(path), Limits())
    except MissingPath:
        return None
    except UnreadableFile as exc:
        return exc
