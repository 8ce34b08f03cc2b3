"""Writing a starter token plan from the Atlassian entries of an MCP client config.

The plan says what the config already shows (URL, auth, how the credential is sent)
and leaves what it cannot show (the tools, the token's scopes) for the user, with a
comment saying so. No credential is ever copied: literal ones become references.
"""

from __future__ import annotations

import json
import re

from scopelint.credentials import analyse_header, contains_reference, redact
from scopelint.sources.clients import ClientEntry, Header
from scopelint.sources.nodes import Scalar

# What to reference when the config holds no usable reference of its own.
_DEFAULT_HEADERS = {
    "basic": "Basic ${ATLASSIAN_BASIC_AUTH}",
    "bearer": "Bearer ${ATLASSIAN_API_KEY}",
    None: "Bearer ${ATLASSIAN_API_KEY}",
}
_CREDENTIALS = {
    "basic": ("personal", "sent with Basic: a personal API token"),
    "bearer": ("service-account", "sent with Bearer: a service-account key"),
    None: (
        "service-account",
        "check: personal tokens go with Basic, service-account keys with Bearer",
    ),
}
_TOOLS_COMMENT = """\
    # Fill in the tools this connection is meant to use; a client config does not
    # say, so scopelint cannot. Then `scopelint scopes` shows the minimal scopes.
    # For example:
    #   getJiraIssue: all
    #   bitbucketPullRequest: [list, get, diff]
"""


def _quoted(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid YAML double-quoted scalar


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name}-{number}", number + 1
    taken.add(candidate)
    return candidate


_WHOLE_VARIABLE = re.compile(r"\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def _effective_value(entry: ClientEntry, header: Header) -> str:
    """The header as sent: `${AUTH_HEADER}` resolved through the entry's own `env`."""
    match = _WHOLE_VARIABLE.fullmatch(header.value.strip())
    if match is None:
        return header.value
    name = match.group(1) or match.group(2)
    for key, value in entry.env:
        if key.value == name and isinstance(value, Scalar) and isinstance(value.value, str):
            return value.value
    return header.value


def _token_lines(entry: ClientEntry, header: Header, secrets: set[str]) -> list[str]:
    analysis = analyse_header(_effective_value(entry, header))
    if analysis.literal_secret:
        secrets.add(analysis.literal_secret)
    credential, why = _CREDENTIALS[analysis.scheme]
    if contains_reference(header.value) and not analysis.issues:
        value, note = header.value, "as the config sends it"
    else:
        value = _DEFAULT_HEADERS[analysis.scheme]
        note = "a reference: run `scopelint check` on the config for what it holds now"
    return [
        "    auth: api-token  # the entry sends an Authorization header",
        f"    credential: {credential}  # {why}",
        f"    header: {_quoted(value)}  # {note}",
        "    scopes: []  # the scopes the token was created with",
    ]


def render_plan(path: str, client: str, entries: list[ClientEntry]) -> str:
    secrets: set[str] = set()
    taken: set[str] = set()
    out = [
        f"# A token plan started from {path} ({client}).",
        "# It records how each Atlassian entry connects; the tools are left for you.",
        "scopelint: 1",
        "connections:",
    ]
    for entry in entries:
        assert entry.url is not None
        out.append(
            f"  - name: {_quoted(_unique(entry.server, taken))}"
            f"  # the entry at line {entry.key.span.line}"
        )
        out.append(f"    url: {_quoted(str(entry.url.value))}")
        authorization = entry.authorization
        if authorization:
            out.extend(_token_lines(entry, authorization[0], secrets))
        else:
            out.append("    auth: oauth  # no Authorization header: the client signs in with OAuth")
        out.append(_TOOLS_COMMENT + "    tools: {}")
    # The values above are references, but never let a pasted token through.
    return redact("\n".join(out) + "\n", secrets)
