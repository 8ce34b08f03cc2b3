"""Exit codes (SPEC §6), shared by every command."""

EXIT_OK = 0  # no finding at or above --fail-on
EXIT_FINDINGS = 1  # findings at or above --fail-on
EXIT_ERROR = 2  # usage, config or internal error, or a path that could not be read


class UsageError(Exception):
    """A one-line problem with how scopelint was called or configured: exit 2.

    Raised by code that runs with or without click; the click commands turn it into their
    own error, the fast path prints it the same way (`scopelint: error: …`)."""
