"""Exit codes (SPEC §6), shared by every command."""

EXIT_OK = 0  # no finding at or above --fail-on
EXIT_FINDINGS = 1  # findings at or above --fail-on
EXIT_ERROR = 2  # usage, config or internal error, or a path that could not be read
