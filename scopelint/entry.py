"""The `scopelint` executable: start-up, the fast path for `check`, and the last line of
error handling (one line, never a traceback)."""

from __future__ import annotations

import gc
import sys

from scopelint.exits import EXIT_ERROR, UsageError


def main(argv: list[str] | None = None) -> None:
    # A run is short and builds large acyclic trees that reference counting frees; the
    # cyclic collector would rescan them again and again (it doubled the time of a
    # 50,000-line plan). Memory stays bounded: each file's nodes die with its result.
    gc.disable()
    try:
        run(sys.argv[1:] if argv is None else argv)
    except KeyboardInterrupt:
        _say("scopelint: interrupted")
        sys.exit(130)
    except BrokenPipeError:
        _quiet_closed_stdout()
        sys.exit(1)
    except SystemExit:
        raise
    except Exception as exc:
        from scopelint.credentials import redact

        detail = redact(" ".join(str(exc).split()))
        _say(
            f"scopelint: internal error: {type(exc).__name__}: {detail}; please report it "
            "with the input that caused it"
        )
        sys.exit(EXIT_ERROR)


def run(argv: list[str]) -> None:
    """Run one command line; exits with the command's code."""
    from scopelint.check_argv import parse_check

    options = parse_check(argv)
    if options is None:  # help, other commands, anything unusual: click reads it
        from scopelint.cli import cli

        cli.main(args=argv, prog_name="scopelint", standalone_mode=True)
        return
    from scopelint.commands.check_main import check_command

    try:
        check_command(options)
    except UsageError as exc:
        from scopelint.credentials import redact

        # Messages can quote what a user typed or a file held: a token never goes out.
        _say(f"scopelint: error: {redact(str(exc))}")
        sys.exit(EXIT_ERROR)


def _say(message: str) -> None:
    from scopelint.console import echo

    echo(message, err=True)


def _quiet_closed_stdout() -> None:
    """The reader went away (`scopelint check | head`): exit without a second error when
    Python flushes standard output on the way out, as click does."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
