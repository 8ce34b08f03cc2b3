"""Baselines: accept today's findings so that only new ones fail, and watch the list shrink.

The file is versioned JSON holding one entry per accepted finding. A finding is matched
by its fingerprint (code, path, connection and subject: not the line), so moving lines or
adding comments keeps it matched. Entries are counted: a scope listed twice needs two.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from scopelint.findings import Finding, normalized_path

BASELINE_VERSION = 1


class BaselineError(Exception):
    """A one-line reason the baseline file cannot be used."""


@dataclass(frozen=True, order=True)
class Entry:
    path: str
    code: str
    connection: str
    subject: str
    fingerprint: str

    @classmethod
    def of(cls, finding: Finding) -> Entry:
        return cls(
            normalized_path(finding.path),
            finding.code,
            finding.connection or "",
            finding.subject,
            finding.fingerprint,
        )


def render_baseline(findings: Iterable[Finding], clean: Callable[[str], str]) -> str:
    """The baseline file for these findings; `clean` redacts what came from the files."""
    entries = sorted(Entry.of(f) for f in findings)
    data = {
        "version": BASELINE_VERSION,
        "tool": "scopelint",
        "findings": [
            {
                "fingerprint": e.fingerprint,
                "code": e.code,
                "path": clean(e.path),
                "connection": clean(e.connection) or None,
                "subject": clean(e.subject),
            }
            for e in entries
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def parse_baseline(text: str, name: str) -> list[Entry]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{name}: not JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
        raise BaselineError(
            f"{name}: not a scopelint baseline of version {BASELINE_VERSION} "
            "(write one with --write-baseline)"
        )
    raw = data.get("findings")
    if not isinstance(raw, list):
        raise BaselineError(f"{name}: 'findings' must be a list")
    return [_entry(item, name, index) for index, item in enumerate(raw)]


def _entry(item: Any, name: str, index: int) -> Entry:
    if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
        raise BaselineError(f"{name}: findings[{index}] has no fingerprint")
    fields = {key: item.get(key) for key in ("path", "code", "connection", "subject")}
    return Entry(
        path=str(fields["path"] or ""),
        code=str(fields["code"] or ""),
        connection=str(fields["connection"] or ""),
        subject=str(fields["subject"] or ""),
        fingerprint=item["fingerprint"],
    )


def read_baseline(path: str) -> list[Entry]:
    from scopelint.sources.reading import Limits, MissingPath, UnreadableFile, read_bytes

    if not os.path.lexists(path):
        raise BaselineError(f"{path}: no such baseline (create it with --write-baseline {path})")
    try:
        # Regular files only, within the size limit: /dev/zero or a FIFO must not hang us.
        text = read_bytes(path, Limits()).decode("utf-8")
    except (MissingPath, UnreadableFile) as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc}") from None
    except UnicodeDecodeError:
        raise BaselineError(f"{path}: cannot read the baseline: not UTF-8") from None
    return parse_baseline(text, path)


class Baseline:
    """Accepted findings; each entry accounts for one finding with its fingerprint."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = sorted(entries)
        self.counts: Counter[str] = Counter(e.fingerprint for e in self.entries)

    def split(self, findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
        """(new, accepted). Pure: fingerprints name their file, so files split independently."""
        left = Counter(self.counts)
        new: list[Finding] = []
        accepted: list[Finding] = []
        for finding in findings:
            if left[finding.fingerprint] > 0:
                left[finding.fingerprint] -= 1
                accepted.append(finding)
            else:
                new.append(finding)
        return new, accepted

    def stale(
        self, accepted: Iterable[Finding], linted_paths: Iterable[str], enabled: set[str]
    ) -> list[Entry]:
        """Entries no finding used, in files this run looked at and for rules it ran.

        Entries for other files are not stale: a pre-commit run sees only staged files.
        """
        linted = {normalized_path(p) for p in linted_paths}
        left = Counter(self.counts)
        left.subtract(f.fingerprint for f in accepted)
        stale: list[Entry] = []
        for entry in self.entries:
            if left[entry.fingerprint] > 0 and entry.path in linted and entry.code in enabled:
                left[entry.fingerprint] -= 1
                stale.append(entry)
        return stale
