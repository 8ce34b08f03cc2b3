"""rules/*.yaml compiled to one JSON file the package reads at start-up.

Parsing four YAML files cost a pre-commit run about 10 ms; reading the same data as
JSON costs well under one. rules/ stays the source of truth: this module writes
scopelint/catalog.json from it, and CI fails when the committed file has drifted.

    python -m scopelint.catalog_compile          # rewrite scopelint/catalog.json
    python -m scopelint.catalog_compile --check  # exit 1 if it is out of date
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from scopelint.catalog import CATALOG_FILES, source_digest

COMPILED = Path(__file__).resolve().parent / "catalog.json"


def _plain(value: Any) -> Any:
    """YAML dates become ISO strings, which the catalog reader accepts too."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def compiled_text(rules: Path) -> str:
    data: dict[str, Any] = {"source_digest": source_digest(rules)}
    for name in CATALOG_FILES:
        with open(rules / f"{name}.yaml", encoding="utf-8") as handle:
            data[name] = _plain(yaml.safe_load(handle))
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n"


def main(argv: list[str]) -> int:
    from scopelint.catalog import rules_dir

    text = compiled_text(rules_dir())
    if argv == ["--check"]:
        current = COMPILED.read_text(encoding="utf-8") if COMPILED.exists() else ""
        if current != text:
            print("scopelint/catalog.json is out of date: run python -m scopelint.catalog_compile")
            return 1
        return 0
    COMPILED.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
