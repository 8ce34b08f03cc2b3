"""The progress bar: on a terminal's stderr for many files; never when piped or quiet."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from scopelint.audit.progress import MIN_FILES, ProgressBar, progress_bar
from scopelint.catalog import load_catalog, load_rules
from scopelint.engine import Engine, Options

from conftest import AS_OF, ROOT, CliResult

Run = Callable[..., CliResult]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def many_plans(folder: Path, count: int) -> Path:
    plan = (ROOT / "examples" / "clean.yaml").read_text(encoding="utf-8")
    for n in range(count):
        (folder / f"plan{n:03d}.yaml").write_text(plan, encoding="utf-8")
    return folder


def test_the_engine_reports_each_file_and_the_end(tmp_path: Path) -> None:
    many_plans(tmp_path, 3)
    (tmp_path / "notes.yaml").write_text("not: a plan\n", encoding="utf-8")  # skipped, counted
    calls: list[tuple[int, int]] = []
    engine = Engine(load_catalog(), load_rules(), Options(as_of=AS_OF))
    result = engine.run([str(tmp_path)], progress=lambda done, total: calls.append((done, total)))
    assert len(result.files) == 3
    assert calls == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]


def test_the_bar_fills_then_erases_itself() -> None:
    stream = Terminal()
    bar = ProgressBar(stream)
    for done in range(201):
        bar(done, 200)
    out = stream.getvalue()
    frames = out.split("\r")[1:]
    assert frames[0] == "audit [..............................]   0/200 files"
    assert "audit [###############...............] 100/200 files" in frames
    # Redrawn once per percent, not per file; the last write blanks the line.
    assert len(frames) == 100 + 2
    assert frames[-2] == " " * len(frames[0]) and frames[-1] == ""


def test_few_files_draw_nothing() -> None:
    stream = Terminal()
    bar = ProgressBar(stream)
    for done in range(MIN_FILES):
        bar(done, MIN_FILES - 1)
    assert stream.getvalue() == ""


def test_only_a_terminal_gets_a_bar() -> None:
    assert isinstance(progress_bar(Terminal(), quiet=False), ProgressBar)
    assert progress_bar(Terminal(), quiet=True) is None
    assert progress_bar(io.StringIO(), quiet=False) is None


def test_piped_stderr_stays_clean(tmp_path: Path) -> None:
    many_plans(tmp_path, MIN_FILES + 5)
    done = subprocess.run(
        [sys.executable, "-m", "scopelint", "audit", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0
    assert done.stderr == ""
    assert done.stdout.startswith(f"scopelint audit: {MIN_FILES + 5} files")


def test_a_terminal_sees_the_bar_and_quiet_silences_it(tmp_path: Path) -> None:
    many_plans(tmp_path, MIN_FILES + 5)
    script = (
        "import sys\n"
        "from scopelint.entry import main\n"
        "sys.stderr.isatty = lambda: True\n"
        "sys.argv = ['scopelint', 'audit', *sys.argv[1:]]\n"
        "main()\n"
    )

    def stderr_of(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", script, *args, str(tmp_path)],
            capture_output=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stderr.decode("utf-8")  # bytes: text mode would turn \r into \n

    shown = stderr_of()
    assert f"/{MIN_FILES + 5} files" in shown and shown.endswith("\r")
    assert stderr_of("--quiet") == ""
