"""What several formats share: repository-relative paths, unique ids, redaction."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from scopelint.catalog import RuleInfo
from scopelint.credentials import redact
from scopelint.engine import RunResult
from scopelint.findings import Finding, Severity, normalized_path

SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def repo_path(path: str) -> str:
    """The path CI systems match against the checkout: relative, with forward slashes.

    An absolute path inside the working directory is made relative to it; one outside it
    stays absolute, since there is nothing it could be relative to.
    """
    normalized = normalized_path(path)
    if os.path.isabs(normalized):
        from pathlib import Path  # rare: pre-commit and CI pass relative paths

        try:
            return Path(normalized).relative_to(Path.cwd()).as_posix()
        except ValueError:
            return normalized
    return normalized


def unique_ids(findings: Iterable[Finding]) -> list[str]:
    """Each finding's fingerprint, suffixed -2, -3 … when it repeats (a scope listed twice).

    Code quality and Code Insights collapse equal ids into one entry.
    """
    seen: Counter[str] = Counter()
    ids = []
    for finding in findings:
        seen[finding.fingerprint] += 1
        count = seen[finding.fingerprint]
        ids.append(finding.fingerprint if count == 1 else f"{finding.fingerprint}-{count}")
    return ids


class Cleaner:
    """Redacts every secret the run found, before a format escapes the text its own way.

    Escaping first could split a secret (a Markdown `\\_`) so that the final redaction of
    the whole report no longer recognises it.
    """

    def __init__(self, result: RunResult) -> None:
        self.secrets = result.secrets

    def __call__(self, text: str) -> str:
        return redact(text, self.secrets)


def deep_redact(value: Any, secrets: set[str]) -> Any:
    """Every string in a JSON-shaped value, redacted.

    Structured formats are redacted value by value before they are serialised: redacting
    the serialised text could eat into an escape sequence and break the document.
    """
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, list):
        return [deep_redact(item, secrets) for item in value]
    if isinstance(value, dict):
        return {key: deep_redact(item, secrets) for key, item in value.items()}
    return value


def dump_json(value: Any, secrets: set[str]) -> str:
    return json.dumps(deep_redact(value, secrets), indent=2, ensure_ascii=False) + "\n"


def severity_counts(findings: Iterable[Finding]) -> dict[Severity, int]:
    counts = Counter(f.severity for f in findings)
    return {severity: counts[severity] for severity in SEVERITIES}


def is_secret_finding(finding: Finding, rules: Mapping[str, RuleInfo]) -> bool:
    """A leaked credential, by its rule's `secrets` tag: formats rank these highest."""
    rule = rules.get(finding.code)
    return rule is not None and "secrets" in rule.tags


def plural(count: int, word: str) -> str:
    # "info" is a mass noun: "2 info", but "2 errors".
    return f"{count} {word}{'' if count == 1 or word == 'info' else 's'}"


def count_phrase(findings: list[Finding]) -> str:
    """'3 errors, 1 warning' (only the severities present), or 'no problems'."""
    counts = severity_counts(findings)
    parts = [plural(n, s.label) for s, n in counts.items() if n]
    return ", ".join(parts) if parts else "no problems"


def text_position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column
