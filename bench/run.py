"""Whole-process benchmarks of scopelint against the floor, in one run.

    python bench/run.py            # the full table (a few minutes)
    python bench/run.py --quick    # a smoke run: every scenario once, tiny inputs, no targets

Each figure is the median wall time (and peak RSS) of whole processes after a warm-up.
Its baselines run in turn with it (A B C A B C …), so machine noise cancels in the
ratios: `python -c "import yaml"` (the floor a YAML tool cannot go below), a script
that only parses the same files (PyYAML's C loader; json and tomllib for client
configs) and, with --peers, yamllint and check-jsonschema. Results go to stdout as a
table, with the project's speed targets and the ratio each reached, and to
bench/out/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import write_client_tree, write_plans  # noqa: E402

# Each file with the fastest parser for its format: PyYAML's C loader, json, tomllib
# (imported when a file needs them, so a YAML-only run pays only for yaml).
PARSE_ONLY = (
    "import sys, yaml\n"
    "L = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)\n"
    "for p in sys.argv[1:]:\n"
    "    with open(p, 'rb') as f:\n"
    "        if p.endswith('.json'):\n"
    "            import json; json.load(f)\n"
    "        elif p.endswith('.toml'):\n"
    "            import tomllib; tomllib.load(f)\n"
    "        else:\n"
    "            yaml.load(f, Loader=L)\n"
)


# Users' machines keep bytecode caches; a benchmark without them measures the compiler.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of `cmd` as a whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=CHILD_ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss / 1024  # KiB on Linux


def measure_together(cmds: dict[str, list[str]], runs: int,
                     warmup: int = 1) -> dict[str, dict[str, float]]:
    """Median wall time and peak memory of each command, run in turn (A B C A B C …) so
    that a busy moment of the machine falls on all of them alike, not on one."""
    times: dict[str, list[float]] = {name: [] for name in cmds}
    peaks: dict[str, list[float]] = {name: [] for name in cmds}
    for i in range(warmup + runs):
        for name, cmd in cmds.items():
            elapsed, peak = run_once(cmd)
            if i >= warmup:
                times[name].append(elapsed)
                peaks[name].append(peak)
    return {name: {"seconds": statistics.median(times[name]),
                   "peak_mib": statistics.median(peaks[name])} for name in cmds}


def measure(cmd: list[str], runs: int) -> dict[str, float]:
    return measure_together({"cmd": cmd}, runs)["cmd"]


def scopelint_cmd() -> list[str]:
    exe = shutil.which("scopelint", path=str(Path(sys.executable).parent)) or shutil.which(
        "scopelint")
    if exe is None:
        raise SystemExit("scopelint is not installed in this environment: pip install -e .")
    return [exe, "check", "--fail-on", "never", "--quiet"]


PEERS_VENV = HERE / "out" / "peers-venv"
PEER_PACKAGES = ("yamllint", "check-jsonschema")


def install_peers() -> None:
    """The peers live in the benchmark's own venv, apart from scopelint's."""
    python = PEERS_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)


def peer_cmds(schema: Path) -> dict[str, list[str]]:
    """Peers a user already runs in the same pre-commit config, when installed."""
    peers = {}
    folder = PEERS_VENV / "bin"
    if exe := shutil.which("yamllint", path=str(folder)):
        peers["yamllint -d relaxed"] = [exe, "-d", "relaxed"]
    if exe := shutil.which("check-jsonschema", path=str(folder)):
        peers["check-jsonschema"] = [exe, "--schemafile", str(schema)]
    return peers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: tiny inputs, 1 run")
    parser.add_argument("--runs", type=int, default=None, help="runs per figure (default 11)")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "results.json")
    parser.add_argument("--peers", action="store_true",
                        help="install yamllint and check-jsonschema in bench/out/peers-venv "
                        "and measure them on the same files")
    args = parser.parse_args()
    if args.peers:
        install_peers()
    runs = args.runs or (1 if args.quick else 11)
    file_counts = [1, 10] if args.quick else [1, 10, 100, 1000]
    line_counts = [1000] if args.quick else [1000, 10000, 50000]
    client_count = 8 if args.quick else 100

    py = sys.executable
    lint = scopelint_cmd()
    rows: list[dict[str, object]] = []

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        schema = root / "plan.schema.json"
        schema.write_text(subprocess.run([*lint[:1], "schema"], capture_output=True, text=True,
                                         check=True).stdout)
        floor = measure([py, "-c", "import yaml"], runs)
        rows.append({"scenario": "floor", "command": "python -c 'import yaml'", **floor})

        def compare(scenario: str, files: list[Path], args: list[str] | None = None,
                    peers: bool = True) -> None:
            """scopelint on `args` (default: the files), beside parsing `files` only."""
            names = [str(p) for p in files]
            cmds = {"floor": [py, "-c", "import yaml"],
                    "parse": [py, "-c", PARSE_ONLY, *names],
                    "ours": [*lint, *(args if args is not None else names)]}
            peer_names = peer_cmds(schema) if peers else {}
            cmds.update({name: [*cmd, *names] for name, cmd in peer_names.items()})
            got = measure_together(cmds, runs)
            ours, parse = got["ours"], got["parse"]
            row = {"scenario": scenario, "command": "scopelint check", **ours,
                   "vs_import_yaml": ours["seconds"] / got["floor"]["seconds"],
                   "vs_parse_only": ours["seconds"] / parse["seconds"],
                   "parse_only_seconds": parse["seconds"],
                   "memory_vs_parse_only": ours["peak_mib"] / parse["peak_mib"]}
            for name in peer_names:
                row[f"{name} seconds"] = got[name]["seconds"]
                row[f"speedup vs {name}"] = got[name]["seconds"] / ours["seconds"]
            rows.append(row)

        for count in file_counts:
            plans = write_plans(root / f"n{count}", count, 60)
            compare(f"{count} plan(s) of ~60 lines", plans)
            if count == file_counts[-1]:
                # --jobs 1 beside the default: what the worker processes buy.
                compare(f"{count} plan(s), --jobs 1", plans, ["--jobs", "1", *map(str, plans)],
                        peers=False)
        for lines in line_counts:
            compare(f"1 plan of {lines:,} lines", write_plans(root / f"l{lines}", 1, lines))
        # A directory walk over client configs; neither peer reads JSONC or TOML configs.
        tree = root / "clients"
        configs = write_client_tree(tree, client_count)
        compare(f"tree of {client_count} client configs", configs, [str(tree)], peers=False)

    machine = {"python": platform.python_version(), "platform": platform.platform(),
               "cpus": os.cpu_count(), "processor": platform.processor() or platform.machine()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # One run of tiny inputs says nothing about speed: a smoke run judges no target.
    goals = [] if args.quick else targets(rows)
    args.out.write_text(json.dumps({"machine": machine, "runs": runs, "rows": rows,
                                    "targets": goals}, indent=2))
    print(f"machine: {machine}\nruns per figure: {runs} (median, after a warm-up)\n")
    header = f"{'scenario':<32} {'seconds':>8} {'peak MiB':>9} {'x import yaml':>14} " \
             f"{'x parse only':>13}"
    print(header)
    for row in rows:
        ratio_floor = f"{row['vs_import_yaml']:.2f}" if "vs_import_yaml" in row else "1.00"
        ratio_parse = f"{row['vs_parse_only']:.2f}" if "vs_parse_only" in row else ""
        print(f"{row['scenario']:<32} {row['seconds']:>8.3f} {row['peak_mib']:>9.1f} "
              f"{ratio_floor:>14} {ratio_parse:>13}")
        for key, value in row.items():
            if key.startswith("speedup vs"):
                print(f"{'':<32} {key}: {value:.1f}x")
    if goals:
        print(f"\n{'target':<58} {'measured':>9}  met")
        for goal in goals:
            met = "-" if goal["met"] is None else ("yes" if goal["met"] else "NO")
            print(f"{goal['target']:<58} {goal['measured']:>9.2f}  {met}")
    print(f"\nwritten to {args.out}")


def targets(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """The goals the project holds itself to, each as a ratio measured in this run.

    Reported, never asserted: a slow or busy machine must not fail anything."""
    by_name = {str(row["scenario"]): row for row in rows}
    goals: list[dict[str, object]] = []

    def goal(target: str, measured: float, met: bool) -> None:
        goals.append({"target": target, "measured": measured, "met": met})

    def ratio(scenario: str, key: str) -> float | None:
        value = by_name.get(scenario, {}).get(key)
        return float(value) if isinstance(value, int | float) else None

    one = "1 plan(s) of ~60 lines"
    if (value := ratio(one, "vs_import_yaml")) is not None:
        goal("one plan: time vs `import yaml` (at most 2.0)", value, value <= 2.0)
    if (value := ratio(one, "speedup vs yamllint -d relaxed")) is not None:
        goal("one plan: speed-up over yamllint (above 1.0)", value, value > 1.0)
    many = "1000 plan(s) of ~60 lines"
    if (value := ratio(many, "vs_parse_only")) is not None:
        goal("1,000 plans: time vs parse-only (at most 1.5)", value, value <= 1.5)
    if (value := ratio(many, "speedup vs yamllint -d relaxed")) is not None:
        goal("1,000 plans: speed-up over yamllint (at least 10)", value, value >= 10)
    small, middle, large = (by_name.get(f"1 plan of {n:,} lines") for n in (1000, 10000, 50000))
    if small and large:
        per_line = (float(str(large["seconds"])) / 50000) / (float(str(small["seconds"])) / 1000)
        goal("50k-line plan: time per line vs the 1k-line plan (at most 1.2)", per_line,
             per_line <= 1.2)
        if middle:
            # Start-up flatters the figure above. Per added line instead (10k->50k against
            # 1k->10k), for scopelint and for the parse-only script: a larger heap costs a
            # little per line even where the work is linear, and the floor shows how much.
            def growth(key: str) -> float:
                t = [float(str(row[key])) for row in (small, middle, large)]
                return ((t[2] - t[1]) / 40000) / ((t[1] - t[0]) / 9000)

            goals.append({"target": "  per added line, 10k->50k vs 1k->10k (information)",
                          "measured": growth("seconds"), "met": None})
            goals.append({"target": "  the same for the parse-only script (information)",
                          "measured": growth("parse_only_seconds"), "met": None})
        memory = ratio("1 plan of 50,000 lines", "memory_vs_parse_only")
        if memory is not None:
            goal("50k-line plan: peak memory vs parse-only (at most 2.0)", memory, memory <= 2.0)
    return goals


if __name__ == "__main__":
    main()
