"""Which files a run looks at: named paths, and directory walks."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator
from typing import NamedTuple

from scopelint.sources.client_files import client_for_path

PLAN_SUFFIXES = (".yaml", ".yml")
GITIGNORE = ".gitignore"
MAX_GITIGNORE_SIZE = 1024 * 1024
VENV_MARKER = "pyvenv.cfg"
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        "env",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "dist",
        "build",
        ".eggs",
    }
)


class Candidate(NamedTuple):
    path: str
    explicit: bool  # named on the command line (always linted) or found by a walk


class Discovery(NamedTuple):
    candidates: list[Candidate]
    errors: list[str]  # one-line messages for paths that could not be walked or found


def _excluded(path: str, patterns: list[str], relative: str = "") -> bool:
    """A glob matches the path as given, the path from the walked root, or one part of it."""
    if not patterns:
        return False
    normalized = path[2:] if path.startswith("./") else path
    parts = normalized.split("/")
    return any(
        fnmatch.fnmatch(normalized, pattern)
        or (relative and fnmatch.fnmatch(relative, pattern))
        or any(fnmatch.fnmatch(p, pattern) for p in parts)
        for pattern in patterns
    )


def discover(paths: list[str], exclude: list[str] | None = None) -> Discovery:
    exclude = exclude or []
    candidates: list[Candidate] = []
    errors: list[str] = []
    for path in paths:
        if path == "-":
            candidates.append(Candidate("-", True))
        elif os.path.isdir(path):
            candidates.extend(_walk(path, exclude, errors))
        elif os.path.lexists(path):
            candidates.append(Candidate(path, True))
        else:
            errors.append(f"{path}: no such file or directory")
    return Discovery(_once_each(candidates), errors)


def _once_each(candidates: list[Candidate]) -> list[Candidate]:
    """A file named twice, or named and also found by a walk, is linted once: where it
    first appears, as named when it was named (named files are always linted)."""
    keys = [None if c.path == "-" else _identity(c.path) for c in candidates]
    named = {key for c, key in zip(candidates, keys, strict=True) if c.explicit and key}
    seen: set[object] = set()
    unique = []
    for candidate, key in zip(candidates, keys, strict=True):
        if key is None:  # standard input
            unique.append(candidate)
            continue
        if key in seen:
            continue
        seen.add(key)
        if not candidate.explicit and key in named:
            candidate = Candidate(candidate.path, True)
        unique.append(candidate)
    return unique


def _identity(path: str) -> object:
    """What makes two paths one file: its device and inode (one stat, where realpath
    would look up every folder on the way), or the resolved path of a dangling link."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return os.path.realpath(path)
    if not st.st_ino:  # a file system without inode numbers
        return os.path.realpath(path)
    return (st.st_dev, st.st_ino)


def _walk(root: str, exclude: list[str], errors: list[str]) -> Iterator[Candidate]:
    def on_error(exc: OSError) -> None:
        errors.append(f"{exc.filename}: cannot read directory: {exc.strerror}")

    # Only walks need it: files named on the command line (as pre-commit passes them) do not.
    from scopelint.gitignore import IgnoreRules

    ignore = IgnoreRules()
    # followlinks=False: a symlink loop cannot trap the walk.
    for folder, dirs, files in os.walk(root, onerror=on_error, followlinks=False):
        relative = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        if prefix and VENV_MARKER in files:
            dirs[:] = []  # a virtual environment, whatever it is called
            continue
        if GITIGNORE in files:
            ignore.add(prefix.rstrip("/"), _read_gitignore(os.path.join(folder, GITIGNORE)))
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in SKIP_DIRS
            and not d.endswith(".egg-info")
            and not _excluded(os.path.join(folder, d), exclude, prefix + d)
            and not ignore.ignored(prefix + d, is_dir=True)
        )
        for name in sorted(files):
            path = os.path.join(folder, name)
            if not (name.endswith(PLAN_SUFFIXES) or client_for_path(path)):
                continue
            excluded = _excluded(path, exclude, prefix + name)
            if not excluded and not ignore.ignored(prefix + name, is_dir=False):
                yield Candidate(path, False)


def _read_gitignore(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read(MAX_GITIGNORE_SIZE)
    except OSError:
        return ""  # unreadable: nothing is ignored, so nothing is silently skipped
