"""Reading old versions of files from git, for `scopelint diff --base REF`.

Only plumbing-level commands with fixed arguments are run, never through a shell; a ref
that could be read as an option is refused before git sees it.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass


class GitError(Exception):
    """A one-line reason git could not answer."""


def _git(args: list[str], cwd: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            check=False,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"},
        )
    except FileNotFoundError:
        raise GitError("git is not installed (compare two files instead: diff OLD NEW)") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror}") from None


@dataclass(frozen=True)
class Revision:
    """A commit to compare the working tree with, inside one repository."""

    root: str  # the repository's top-level directory
    commit: str
    ref: str  # as the user wrote it

    def read(self, repo_path: str) -> bytes | None:
        """The file's bytes at this commit (a repository-relative path); None if absent."""
        done = _git(["cat-file", "blob", f"{self.commit}:{repo_path}"], self.root)
        return done.stdout if done.returncode == 0 else None

    def changed(self, pathspecs: list[str], cwd: str) -> list[str]:
        """Repository-relative paths that differ from the working tree, untracked ones too."""
        specs = ["--", *pathspecs]
        tracked = _git(["diff", "--name-only", "-z", "--no-renames", self.commit, *specs], cwd)
        if tracked.returncode != 0:
            raise GitError(_first_line(tracked.stderr) or "git diff failed")
        untracked = _git(
            ["ls-files", "-z", "--others", "--exclude-standard", "--full-name", *specs], cwd
        )
        names = tracked.stdout.split(b"\0") + untracked.stdout.split(b"\0")
        paths = {os.fsdecode(name) for name in names if name}
        return sorted(paths)


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else ""


def open_revision(ref: str, cwd: str) -> Revision:
    """The commit to compare with: where the current branch forked from `ref`.

    A pull request shows the changes since the merge base, not the difference to the
    tip of a branch that moved on; without a common ancestor, `ref` itself is used.
    """
    if not ref or ref.startswith("-"):
        raise GitError(f"'{ref}' is not a git ref")
    top = _git(["rev-parse", "--show-toplevel"], cwd)
    if top.returncode != 0:
        raise GitError(
            "not inside a git repository (run it in one, or compare two files: diff OLD NEW)"
        )
    root = top.stdout.decode("utf-8", "surrogateescape").strip()
    resolved = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root)
    if resolved.returncode != 0:
        raise GitError(f"unknown git ref '{ref}' (a shallow CI clone may need to fetch it first)")
    commit = resolved.stdout.decode().strip()
    base = _git(["merge-base", commit, "HEAD"], root)
    if base.returncode == 0 and base.stdout.strip():
        commit = base.stdout.decode().strip()
    return Revision(root, commit, ref)
