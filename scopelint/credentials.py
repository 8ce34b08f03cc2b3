"""Authorization values: references, placeholders, literal secrets and malformed headers.

Shared by plans and client configs. Nothing here ever returns a secret inside a
message: callers get classifications, and `redact` masks secrets in any text.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

# ${VAR}, ${input:ID}, ${env:VAR} (VS Code, Claude), {env:VAR} (opencode), $VAR (shells).
REFERENCE = re.compile(r"\$\{[^{}]+\}|\{env:[^{}]+\}|\$[A-Za-z_][A-Za-z0-9_]*")
ATLASSIAN_TOKEN = re.compile(r"AT(?:AT|CT|ST)T3[A-Za-z0-9_\-+/=]{8,}")
PLACEHOLDER = re.compile(
    r"<[^<>]{2,}>|\byour[_-]?[a-z0-9_-]*|base64_encoded[a-z0-9_]*|[a-z0-9_]*_here\b"
    r"|\bx{6,}\b|\bchange[_-]?me\b|\breplace[_-]?me\b|\btodo\b|example\.com|\.{3}",
    re.IGNORECASE,
)
# A bare NAME that was meant to be ${NAME}.
BARE_VARIABLE = re.compile(r"^[A-Z][A-Z0-9_]*(?:TOKEN|KEY|SECRET|AUTH|CREDENTIALS?)[A-Z0-9_]*$")
SCHEMES = ("basic", "bearer")
# The credential after a scheme, on the same line: never across a newline, where the next
# line of a report would be taken for a payload.
_HEADER_PAYLOAD = re.compile(r"\b(Basic|Bearer)[ \t]+([^\s\"',]+)", re.IGNORECASE)
_HIGH_ENTROPY_MIN_LENGTH = 24
_WORDS = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)+|[A-Z0-9]+(?:[-_.][A-Z0-9]+)+")
_UUID = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")


def is_reference(value: str) -> bool:
    """The whole value is one reference, so the secret lives elsewhere."""
    match = REFERENCE.fullmatch(value.strip())
    return match is not None


def contains_reference(value: str) -> bool:
    return REFERENCE.search(value) is not None


def is_placeholder(value: str) -> bool:
    return PLACEHOLDER.search(value) is not None or BARE_VARIABLE.match(value) is not None


def _entropy(value: str) -> float:
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def looks_like_secret(value: str) -> bool:
    """By shape: an Atlassian token, or a long high-entropy string."""
    value = value.strip()
    if ATLASSIAN_TOKEN.search(value):
        return True
    if len(value) < _HIGH_ENTROPY_MIN_LENGTH or " " in value or contains_reference(value):
        return False
    if _WORDS.fullmatch(value) or _UUID.fullmatch(value):
        return False  # a name such as atlassian-rovo-mcp-server-v2, or an identifier
    classes = sum(bool(re.search(p, value)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]"))
    return classes >= 2 and _entropy(value) >= 3.5


def decode_basic(payload: str) -> str | None:
    """The decoded `email:token` text of a Basic payload, or None if it is not base64."""
    try:
        raw = base64.b64decode(payload + "=" * (-len(payload) % 4), validate=True)
        return raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None


class HeaderIssue(NamedTuple):
    code: str  # SL501, SL502 or SL503
    message: str
    help: str


class HeaderAnalysis(NamedTuple):
    scheme: str | None  # 'basic', 'bearer', or None when unknown (a reference)
    literal_secret: str | None  # the text to redact, when the header holds one
    issues: tuple[HeaderIssue, ...]


_SECRET_HELP = (
    "revoke the token now (it is in version control), create a new one, and "
    'reference it instead, e.g. "Bearer ${ATLASSIAN_API_KEY}"'
)


def _secret(what: str) -> HeaderIssue:
    return HeaderIssue("SL501", f"{what} is written into the file (value redacted)", _SECRET_HELP)


def _malformed(message: str, help: str) -> HeaderIssue:
    return HeaderIssue("SL502", message, help)


def _placeholder(where: str) -> HeaderIssue:
    return HeaderIssue(
        "SL503",
        f"{where} still holds a documentation placeholder",
        'replace it with a reference to where the credential lives, e.g. "Bearer ${ATLASSIAN_API_KEY}"',
    )


def analyse_header(value: str) -> HeaderAnalysis:
    """Check an Authorization value such as `Basic …` or `Bearer ${KEY}`."""
    text = value.strip()
    if text.lower().startswith("authorization:"):
        text = text.split(":", 1)[1].strip()
    if not text or is_reference(text):
        return HeaderAnalysis(None, None, ())
    scheme_word, _, payload = text.partition(" ")
    scheme = scheme_word.lower()
    payload = payload.strip()
    if scheme not in SCHEMES:
        if is_placeholder(text):
            return HeaderAnalysis(None, None, (_placeholder("the header"),))
        issues = [
            _malformed(
                "the Authorization value has no scheme: it must start with `Basic ` or `Bearer `",
                "write `Basic <base64(email:token)>` for a personal token or `Bearer <key>` for a "
                "service-account key",
            )
        ]
        secret = text if looks_like_secret(text) else None
        if secret:
            issues.insert(0, _secret("a token"))
        return HeaderAnalysis(None, secret, tuple(issues))
    if not payload:
        return HeaderAnalysis(
            scheme,
            None,
            (
                _malformed(
                    f"`{scheme_word}` is followed by no credential",
                    "add the credential as a reference",
                ),
            ),
        )
    if is_reference(payload):
        return HeaderAnalysis(scheme, None, ())
    if contains_reference(payload):
        if scheme == "basic":
            return HeaderAnalysis(
                scheme,
                None,
                (
                    _malformed(
                        "a Basic payload must be base64(email:token); references inside it are not "
                        "encoded by the client",
                        'put the whole encoded value in one variable: "Basic ${ATLASSIAN_BASIC_AUTH}"',
                    ),
                ),
            )
        return HeaderAnalysis(scheme, None, ())
    if is_placeholder(payload):
        return HeaderAnalysis(scheme, None, (_placeholder("the header"),))
    if scheme == "basic":
        return _analyse_basic(payload)
    return _analyse_bearer(payload)


def _analyse_basic(payload: str) -> HeaderAnalysis:
    decoded = decode_basic(payload)
    if decoded is None:
        return HeaderAnalysis(
            "basic",
            payload if looks_like_secret(payload) else None,
            (
                *((_secret("a token"),) if looks_like_secret(payload) else ()),
                _malformed(
                    "the Basic payload is not valid base64",
                    "encode `email:token` with base64 (e.g. `printf %s 'me@example.org:TOKEN' "
                    "| base64`) and reference the result",
                ),
            ),
        )
    if is_placeholder(decoded):
        return HeaderAnalysis("basic", None, (_placeholder("the decoded Basic payload"),))
    user, colon, token = decoded.partition(":")
    issues: list[HeaderIssue] = []
    if token or looks_like_secret(decoded):
        issues.append(_secret("an email and API token for Basic auth"))
    if not colon:
        issues.append(
            _malformed(
                "the Basic payload decodes to text with no colon: it must be base64(email:token)",
                "encode `email:token`, not the token alone",
            )
        )
    elif "@" not in user:
        issues.append(
            _malformed(
                "the Basic payload does not start with an email address: it "
                "must be base64(email:token)",
                "encode the Atlassian account email, a colon, then the token",
            )
        )
    return HeaderAnalysis("basic", payload, tuple(issues))


def _analyse_bearer(payload: str) -> HeaderAnalysis:
    decoded = decode_basic(payload) if len(payload) >= 8 else None
    if decoded and "@" in decoded.partition(":")[0] and ":" in decoded:
        return HeaderAnalysis(
            "bearer",
            payload,
            (
                _secret("an email and API token for Basic auth"),
                _malformed(
                    "a Basic payload (base64 of email:token) is sent with `Bearer`",
                    "send it as `Basic …`, or use a service-account key with `Bearer`",
                ),
            ),
        )
    if looks_like_secret(payload):
        return HeaderAnalysis("bearer", payload, (_secret("a bearer key"),))
    # Still reported, but a short word is not registered for masking: "Bearer plan" must
    # not turn every "plan" in the report into "****".
    return HeaderAnalysis(
        "bearer",
        payload if len(payload) >= MIN_MASKED_LENGTH else None,
        (
            _secret("a literal credential"),
            _malformed(
                "the Bearer value does not look like an API key",
                'reference the service-account key: "Bearer ${ATLASSIAN_API_KEY}"',
            ),
        ),
    )


REDACTED = "****"
# Shorter "secrets" are words ("Bearer token"): masking them everywhere would mangle
# paths and messages, and no real credential is that short.
MIN_MASKED_LENGTH = 8


def redact(text: str, known: Iterable[str] = ()) -> str:
    """Mask every secret in `text`: those found by checks and any token-shaped string."""
    for secret in sorted(set(known), key=len, reverse=True):
        if len(secret) >= MIN_MASKED_LENGTH:
            text = text.replace(secret, REDACTED)
    text = ATLASSIAN_TOKEN.sub(REDACTED, text)

    def _mask(match: re.Match[str]) -> str:
        payload = match.group(2)
        if payload == REDACTED or contains_reference(payload) or is_placeholder(payload):
            return match.group(0)
        # Only what looks like a credential: prose such as "a Basic credential" stays.
        decoded = decode_basic(payload) if len(payload) >= 8 else None
        if looks_like_secret(payload) or (decoded is not None and ":" in decoded):
            return f"{match.group(1)} {REDACTED}"
        return match.group(0)

    return _HEADER_PAYLOAD.sub(_mask, text)
