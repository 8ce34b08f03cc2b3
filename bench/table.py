"""The last benchmark run as the Markdown tables in docs/performance.md.

    python bench/table.py [bench/out/results.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

DEFAULT = Path(__file__).resolve().parent / "out" / "results.json"


def _seconds(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, int | float) else ""


def render(data: dict[str, Any]) -> str:
    machine = data["machine"]
    lines = [
        f"Machine: {machine['cpus']} CPUs ({machine['processor']}), {machine['platform']}, "
        f"Python {machine['python']}; {data['runs']} runs per figure, each command in turn "
        "with its baselines.",
        "",
        "| scenario | scopelint s | peak MiB | ratio to `import yaml` | ratio to parse-only "
        "| memory ratio to parse-only | yamllint s | check-jsonschema s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in data["rows"]:
        if row["scenario"] == "floor":
            lines.append(f'| floor: `python -c "import yaml"` | {row["seconds"]:.3f} '
                         f'| {row["peak_mib"]:.1f} | 1.00 | | | | |')
            continue
        lines.append(
            f"| {row['scenario']} | {row['seconds']:.3f} | {row['peak_mib']:.1f} "
            f"| {row['vs_import_yaml']:.2f} | {row['vs_parse_only']:.2f} "
            f"| {row['memory_vs_parse_only']:.2f} "
            f"| {_seconds(row.get('yamllint -d relaxed seconds'))} "
            f"| {_seconds(row.get('check-jsonschema seconds'))} |"
        )
    if data.get("targets"):
        lines += ["", "| target | measured | met |", "|---|---|---|"]
        for goal in data["targets"]:
            met = "—" if goal["met"] is None else ("yes" if goal["met"] else "**no**")
            lines.append(f"| {goal['target'].strip()} | {goal['measured']:.2f} | {met} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    sys.stdout.write(render(json.loads(path.read_text(encoding="utf-8"))))
