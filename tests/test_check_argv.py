"""The click-free `check` parser (`scopelint.check_argv`) against the click command it mirrors.

The fast path may give up on any command line (click then reads it), but whatever it accepts
must mean exactly what click would make of it, and the plain command lines pre-commit and CI
send must be taken by it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scopelint import check_argv
from scopelint.check_argv import OPTIONS, Option, parse_check
from scopelint.cli import check, cli
from scopelint.commands.check_main import CheckOptions

from conftest import AS_OF, EXAMPLES, ROOT

CLEAN = EXAMPLES / "clean.yaml"
# click 8.2+ marks "no default" with a sentinel; older versions use None.
_UNSET = getattr(click.core, "UNSET", None)

TEXT_VALUES = ("SL1", "SL1,SL2", "SL004", "*.yaml", "a=b", "", "-x")
DATE_VALUES = (
    "2026-11-24",
    "2026-13-01",
    "20261124",
    "2026-02-30",
    "today",
    "",
    "2026-11-24T00:00",
)
JOBS_VALUES = ("0", "2", "-1", "x", " 3", "+4", "1.5", "")
CHOICE_EXTRAS = ("bogus", "", "Error", "WARNING", "TEXT", "Sarif")
PATH_NAMES = ("nonexistent-plan.yaml", "out.txt", "-", "", ".", "-weird-name.yaml")


# --- helpers -----------------------------------------------------------------------------


def click_parse(argv: list[str]) -> dict[str, object] | BaseException:
    """What click makes of `argv` (which starts with `check`): its parameters, or the
    exception with which it refuses the line or handles it itself (help)."""
    # The real program reaches `check` through the group, whose context settings (`-h`)
    # the command inherits.
    parent = click.Context(cli, info_name="scopelint", **cli.context_settings)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            ctx = check.make_context(argv[0], list(argv[1:]), parent=parent)
    except (click.exceptions.ClickException, click.exceptions.Exit) as exc:
        return exc
    return ctx.params


def assert_parity(argv: list[str]) -> None:
    """What the fast path accepts, click accepts with the same values."""
    fast = parse_check(list(argv))
    clicked = click_parse(argv)
    if fast is None:
        return
    assert isinstance(clicked, dict), (
        f"fast path accepted {argv!r} as {fast!r}; click refused it: {clicked!r}"
    )
    assert clicked == fast._asdict(), f"{argv!r}: click {clicked!r} != fast {fast._asdict()!r}"


def click_params() -> dict[str, click.Parameter]:
    return {param.name: param for param in check.params if param.name is not None}


def click_options() -> list[click.Option]:
    return [param for param in check.params if isinstance(param, click.Option)]


def long_flag(option: Option) -> str:
    return next(flag for flag in option.flags if flag.startswith("--"))


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Paths that exist on disk, by kind (absolute, so they never look like options)."""
    root = tmp_path_factory.mktemp("argv")
    plan = root / "plan.yaml"
    plan.write_text("tools: []\n", encoding="utf-8")
    tree = root / "tree"
    tree.mkdir()
    dangling = root / "gone.yaml"
    dangling.symlink_to(root / "missing.yaml")
    locked = root / "locked.yaml"
    locked.write_text("", encoding="utf-8")
    locked.chmod(0)
    return {"file": str(plan), "dir": str(tree), "dangling": str(dangling), "locked": str(locked)}


def own_values(option: Option, places: dict[str, str]) -> tuple[str, ...]:
    """Good and bad values of the kind click's declaration of `option` expects."""
    param = click_params()[option.dest]
    if isinstance(param.type, click.Choice):
        return (*(str(choice) for choice in param.type.choices), *CHOICE_EXTRAS)
    if isinstance(param.type, click.IntRange):
        return JOBS_VALUES
    if isinstance(param.type, click.Path):
        return (*PATH_NAMES, *places.values())
    if param.callback is not None:  # --as-of: text read as a date
        return DATE_VALUES
    return TEXT_VALUES


def value_pool(option: Option, places: dict[str, str]) -> tuple[str, ...]:
    """`option`'s own values, with every other kind's mixed in so a converter of the wrong
    kind shows."""
    others = (*CHOICE_EXTRAS, *TEXT_VALUES, *DATE_VALUES, *JOBS_VALUES, *PATH_NAMES)
    return tuple(dict.fromkeys((*own_values(option, places), *others, *places.values())))


# --- 1. structure ------------------------------------------------------------------------


def test_every_click_option_has_one_fast_path_entry() -> None:
    """OPTIONS lists each click option once, under the same dest, with the same strings,
    flag-ness and repetition; and nothing click does not have."""
    for param in click_options():
        matches = [option for option in OPTIONS if option.dest == param.name]
        assert len(matches) == 1, f"{param.name}: {len(matches)} OPTIONS entries"
        (option,) = matches
        assert set(option.flags) == {*param.opts, *param.secondary_opts}, param.name
        assert param.is_flag == (option.convert is None), param.name
        assert param.multiple == option.multiple, param.name
    assert {option.dest for option in OPTIONS} == {param.name for param in click_options()}
    flags = [flag for option in OPTIONS for flag in option.flags]
    assert len(flags) == len(set(flags)), "an option string is listed twice"


def test_paths_is_the_only_positional() -> None:
    """`paths` is click's one argument (any number of them) and is no OPTIONS entry."""
    arguments = [param for param in check.params if isinstance(param, click.Argument)]
    assert [(param.name, param.nargs) for param in arguments] == [("paths", -1)]
    assert "paths" not in {option.dest for option in OPTIONS}


@pytest.mark.parametrize(
    "option",
    [option for option in OPTIONS if isinstance(click_params()[option.dest].type, click.Choice)],
    ids=lambda option: option.dest,
)
def test_choice_converters_accept_what_click_accepts(option: Option) -> None:
    """A click.Choice option's converter takes every choice, and refuses what click refuses
    (wrong case, unknown words)."""
    param = click_params()[option.dest]
    assert isinstance(param.type, click.Choice) and option.convert is not None
    choices = [str(choice) for choice in param.type.choices]
    for choice in choices:
        assert option.convert(choice) == choice, (option.dest, choice)
    for candidate in {*CHOICE_EXTRAS, *(choice.upper() for choice in choices)}:
        try:
            param.type.convert(candidate, param, None)
        except click.BadParameter:
            assert option.convert(candidate) is check_argv._REJECT, (option.dest, candidate)
        else:
            assert option.convert(candidate) == candidate, (option.dest, candidate)
    assert option.convert("not-a-choice") is check_argv._REJECT


def test_check_options_fields_are_the_click_parameters() -> None:
    """CheckOptions has a field for each click parameter and no other."""
    assert set(CheckOptions._fields) == set(click_params())


def _click_default(param: click.Parameter, ctx: click.Context) -> object:
    default = param.get_default(ctx)
    if default is None or default is _UNSET:
        return () if param.multiple or param.nargs == -1 else None
    return default


def test_check_options_defaults_are_click_defaults() -> None:
    """An option left out means the same on both paths: CheckOptions' defaults are click's,
    and `check` alone parses to the same options either way."""
    ctx = check.make_context("check", [])
    defaults = CheckOptions()._asdict()
    for name, param in click_params().items():
        assert defaults[name] == _click_default(param, ctx), name
    assert ctx.params == defaults
    fast = parse_check(["check"])
    assert fast is not None and fast._asdict() == ctx.params


# --- 2. parity ---------------------------------------------------------------------------


def _vocabulary(places: dict[str, str]) -> tuple[list[list[str]], list[str]]:
    """Units (an option with a value, a flag, a path) and loose tokens to draw argv from."""
    units: list[list[str]] = []
    values: list[str] = []
    for option in OPTIONS:
        if option.convert is None:
            units.extend([flag] for flag in option.flags)
            units.append([f"{long_flag(option)}=1"])
            continue
        for value in (*own_values(option, places), "bogus", "-1"):
            values.append(value)
            units.extend([flag, value] for flag in option.flags)
            units.append([f"{long_flag(option)}={value}"])
    paths = [*PATH_NAMES, *places.values(), "a.yaml", "b.json", "plans/"]
    units.extend([path] for path in paths)
    tokens = [
        *(flag for option in OPTIONS for flag in option.flags),
        *values,
        *paths,
        "--", "-", "-h", "--help", "--nope", "-x", "---select", "--=x", "-1",
        "-qj2", "-j2", "-qq", "-oout.txt", "-o=out.txt", "-q=1", "-qoout.txt", "-jq",
        f"-o{places['dir']}", "check",
    ]  # fmt: skip
    return units, list(dict.fromkeys(tokens))


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_fast_path_agrees_with_click(places: dict[str, str], data: st.DataObject) -> None:
    """Any command line the fast path accepts, click accepts with exactly the same values;
    a line click refuses or handles itself (help) the fast path leaves to click."""
    units, tokens = _vocabulary(places)
    well_formed = st.sampled_from(units)
    loose = st.sampled_from(tokens).map(lambda token: [token])
    piece = st.one_of(well_formed, well_formed, well_formed, loose)  # mostly well-formed
    pieces = data.draw(st.lists(piece, max_size=8), label="pieces")
    argv = ["check", *(token for drawn in pieces for token in drawn)]
    assert_parity(argv)


@pytest.mark.parametrize(
    "option",
    [option for option in OPTIONS if option.convert is not None],
    ids=lambda option: option.dest,
)
def test_one_option_with_a_value_matches_click(option: Option, places: dict[str, str]) -> None:
    """For one option and a value that does not look like an option, the fast path accepts
    exactly what click accepts, with the same result: every option string, both forms."""
    for value in value_pool(option, places):
        lines = [["check", f"{long_flag(option)}={value}"]]
        if not value.startswith("-"):
            lines += [["check", flag, value] for flag in option.flags]
        for argv in lines:
            fast = parse_check(argv)
            clicked = click_parse(argv)
            if isinstance(clicked, dict):
                assert fast is not None, f"fast path left {argv!r} to click, which takes it"
                assert clicked == fast._asdict(), argv
            else:
                assert fast is None, f"fast path accepted {argv!r}; click: {clicked!r}"


@pytest.mark.parametrize(
    "flag", [flag for option in OPTIONS if option.convert is None for flag in option.flags]
)
def test_each_flag_alone_matches_click(flag: str) -> None:
    """Each flag, by each of its names, parses the same on both paths."""
    fast = parse_check(["check", flag, "plan.yaml"])
    clicked = click_parse(["check", flag, "plan.yaml"])
    assert fast is not None and clicked == fast._asdict()


@pytest.mark.parametrize(
    "line",
    [
        "check --skip-unrecognized a.yaml b.json",
        "check --format sarif -o out.sarif .",
        "check -q --select SL1,SL2 --ignore SL004 --as-of 2026-11-24 --jobs 2 x.yaml",
        "check --fail-on=error -- -weird-name.yaml",
    ],
)
def test_pre_commit_lines_take_the_fast_path(
    line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command lines pre-commit and CI send never need click, and mean what click says."""
    monkeypatch.chdir(tmp_path)
    argv = shlex.split(line)
    fast = parse_check(argv)
    assert fast is not None, f"{line!r} went to click"
    assert click_parse(argv) == fast._asdict()


@pytest.mark.parametrize(
    "line",
    ["check -h", "check --help", "check --nope a.yaml", "check --format bogus a.yaml",
     "check --jobs -1", "check -qj2 a.yaml", "check -oout.txt a.yaml", "check --as-of",
     "check --select --quiet a.yaml", "check --quiet=1", "scopes plan.yaml", ""],
)  # fmt: skip
def test_unusual_lines_are_left_to_click(line: str) -> None:
    """Help, typos, bad values, bundled short options and other commands go to click."""
    assert parse_check(shlex.split(line)) is None


# --- 3. the real entry point -------------------------------------------------------------


def _environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS"}
    env["NO_COLOR"] = "1"
    return env


def _scopelint(*args: str) -> subprocess.CompletedProcess[str]:
    return _python("-m", "scopelint", *args)


def _python(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_clean_file_through_the_executable_exits_zero() -> None:
    """`scopelint check clean.yaml` (the fast path) lints and exits 0."""
    result = _scopelint("check", "--as-of", AS_OF.isoformat(), str(CLEAN))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--nope"], ("No such option", "--nope")),
        (["--format", "bogus"], ("Invalid value for '--format'", "bogus")),
    ],
)
def test_bad_command_lines_get_clicks_usage_error(args: list[str], words: tuple[str, ...]) -> None:
    """A line the fast path gives up on still gets click's usage message and exit 2, not a
    traceback."""
    result = _scopelint("check", *args, str(CLEAN))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Usage: scopelint check ")
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and all(word in errors[0] for word in words), result.stderr


_PROBE = """
import json, sys
from scopelint.entry import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
else:
    code = None
print(json.dumps({"code": code, "click": "click" in sys.modules}))
"""


def _probe(*args: str) -> dict[str, object]:
    result = _python("-c", _PROBE, *args)
    assert result.returncode == 0, result.stderr
    report: dict[str, object] = json.loads(result.stdout.splitlines()[-1])
    return report


def test_fast_path_run_never_imports_click() -> None:
    """A plain `check` run lints without loading click (the point of the fast path)."""
    report = _probe("check", "-q", "--as-of", AS_OF.isoformat(), str(CLEAN))
    assert report == {"code": 0, "click": False}


def test_help_comes_from_click() -> None:
    """`check --help` is left to click, which prints the help."""
    report = _probe("check", "--help")
    assert report == {"code": 0, "click": True}
