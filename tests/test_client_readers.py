"""The JSON-with-comments and TOML readers: values, exact positions, and errors as findings."""

from __future__ import annotations

import json
import string
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scopelint.findings import Span
from scopelint.sources.json_source import parse_json
from scopelint.sources.nodes import Document, Mapping, Node, Scalar, Sequence
from scopelint.sources.reading import Limits
from scopelint.sources.toml_source import parse_toml


def plain(node: Node | None) -> Any:
    """The Python value a node stands for, to compare with json/tomllib."""
    if isinstance(node, Mapping):
        return {k.value if isinstance(k, Scalar) else None: plain(v) for k, v in node.pairs}
    if isinstance(node, Sequence):
        return [plain(item) for item in node.items]
    assert isinstance(node, Scalar)
    return node.value


def scalars(node: Node) -> list[tuple[Scalar, bool]]:
    """Every scalar with whether it is a mapping key."""
    out: list[tuple[Scalar, bool]] = []
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        current, is_key = stack.pop()
        if isinstance(current, Scalar):
            out.append((current, is_key))
        elif isinstance(current, Sequence):
            stack.extend((item, False) for item in current.items)
        elif isinstance(current, Mapping):
            for key, value in current.pairs:
                stack.extend(((key, True), (value, False)))
    return out


def source(document: Document, span: Span) -> str:
    start = document.offset(span.line, span.column)
    end = document.offset(span.end_line, span.end_column)
    return document.text[start:end]


# JSON ------------------------------------------------------------------------------

JSONC = """\
// Cursor's MCP servers
{
  /* a block
     comment */ "mcpServers": {
    "atlassian": {
      "url": "https://mcp.atlassian.com/v2/mcp", // trailing comment
      "args": ["-y", 1.5e3, -2, true, false, null,],
    },
  },
}
"""


def test_jsonc_values_and_positions_in_the_original_text() -> None:
    document = parse_json("mcp.json", JSONC, Limits())
    assert document.problems == []
    assert plain(document.root) == {
        "mcpServers": {
            "atlassian": {
                "url": "https://mcp.atlassian.com/v2/mcp",
                "args": ["-y", 1500.0, -2, True, False, None],
            }
        }
    }
    root = document.root
    assert isinstance(root, Mapping)
    assert root.span == Span(2, 1, 10, 2)
    servers = root.get("mcpServers")
    assert isinstance(servers, Mapping)
    key = root.key_node("mcpServers")
    assert key is not None and key.span == Span(4, 17, 4, 29)
    entry = servers.get("atlassian")
    assert isinstance(entry, Mapping)
    url = entry.get("url")
    assert url is not None and url.span == Span(6, 14, 6, 48)
    args = entry.get("args")
    assert isinstance(args, Sequence)
    assert [source(document, item.span) for item in args.items] == [
        '"-y"',
        "1.5e3",
        "-2",
        "true",
        "false",
        "null",
    ]


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ('{\n  "a": 1\n  "b": 2\n}', 3, 3, "expected ',' or '}', found a string"),
        ('{"a": 1,,}', 1, 9, "expected a string key or '}', found ','"),
        ("[1, 2", 1, 6, "the file ends inside the list opened at line 1, column 1"),
        ('{"a": "x\n"}', 1, 7, "unterminated string"),
        ('{"a": "\\q"}', 1, 8, "invalid escape '\\q' in a string"),
        ("{'a': 1}", 1, 2, "single quotes"),
        ('{url: "x"}', 1, 2, "unexpected 'url'"),
        ('{"a": 1} {"b": 2}', 1, 10, "after the end of the value"),
        ("{\n  /* never closed\n}", 2, 3, "unterminated /* comment"),
        ('{"a" 1}', 1, 6, "expected ':' after the key, found 1"),
        ("[1, 2}", 1, 6, "expected ',' or ']', found '}'"),
        ("{,}", 1, 2, "expected a string key or '}', found ','"),
        ("[,]", 1, 2, "expected a value or ']', found ','"),
        ('{"a": 01}', 1, 8, "expected ',' or '}', found 1"),
    ],
)
def test_broken_json_is_one_sl001_problem_at_its_position(
    text: str, line: int, column: int, message: str
) -> None:
    document = parse_json("x.json", text, Limits())
    assert document.root is None
    [problem] = document.problems
    assert problem.code == "SL001"
    assert problem.message.startswith("invalid JSON: ")
    assert message in problem.message
    assert (problem.span.line, problem.span.column) == (line, column)


def test_duplicate_keys_are_sl003_at_the_second_key() -> None:
    document = parse_json("x.json", '{\n  "a": 1,\n  "a": 2\n}', Limits())
    [problem] = document.problems
    assert (problem.code, problem.span) == ("SL003", Span(3, 3, 3, 6))
    assert "first at line 2" in problem.message
    assert plain(document.root) == {"a": 2}


def test_nesting_is_bounded_without_recursion() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    document = parse_json("x.json", deep, Limits(max_depth=64))
    [problem] = document.problems
    assert problem.code == "SL001" and "max-depth" in problem.message
    assert (problem.span.line, problem.span.column) == (1, 65)
    # With the bound lifted, depth costs memory, never the interpreter's stack.
    unbounded = parse_json("x.json", deep, Limits(max_depth=200_000))
    assert unbounded.problems == [] and isinstance(unbounded.root, Sequence)
    assert sys.getrecursionlimit() < 100_000


def test_node_count_is_bounded() -> None:
    document = parse_json("x.json", "[" + "1," * 50 + "1]", Limits(max_nodes=20))
    assert document.problems[0].code == "SL001" and "max-nodes" in document.problems[0].message


def test_empty_or_comment_only_json_has_no_root_and_no_problem() -> None:
    for text in ("", "  \n", "// nothing yet\n"):
        document = parse_json("x.json", text, Limits())
        assert (document.root, document.problems) == (None, [])


def test_escapes_decode_and_crlf_lines_count_once() -> None:
    text = '{\r\n  "k\\u00e9y": "a\\"b\\\\c\\n\\ud83d\\ude00",\r\n  "lone": "\\ud800"\r\n}'
    document = parse_json("x.json", text, Limits())
    root = document.root
    assert isinstance(root, Mapping)
    assert plain(root) == {"k\u00e9y": 'a"b\\c\n\U0001f600', "lone": "\ufffd"}
    lone = root.get("lone")
    assert lone is not None and lone.span == Span(3, 11, 3, 19)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**12), max_value=10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(json_values, st.sampled_from([None, 0, 2]), st.booleans())
def test_any_json_reads_like_the_stdlib_and_every_scalar_spans_its_token(
    value: Any, indent: int | None, ascii_only: bool
) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    document = parse_json("x.json", text, Limits(max_depth=1000))
    assert document.problems == []
    assert plain(document.root) == json.loads(text)
    assert document.root is not None
    for node, _ in scalars(document.root):
        # The span covers exactly the token the value was read from.
        assert json.loads(source(document, node.span)) == node.value


# TOML ------------------------------------------------------------------------------

CODEX = """\
# Codex
model = "o3"

[mcp_servers.atlassian]
url = "https://mcp.atlassian.com/v2/mcp"   # the new endpoint
http_headers = { "Authorization" = "Bearer ${KEY}", 'X-Trace' = 'on' }
args = [
  "-y",   # yes
  "mcp-remote",
]
notes = \"\"\"
two "" lines\"\"\"

[mcp_servers.atlassian.env]
JIRA_TOKEN = "${JIRA_TOKEN}"
"""


def test_toml_values_come_from_tomllib_and_positions_from_the_text() -> None:
    document = parse_toml("config.toml", CODEX, Limits())
    assert document.problems == []
    assert plain(document.root) == tomllib.loads(CODEX)
    root = document.root
    assert isinstance(root, Mapping)
    servers = root.get("mcp_servers")
    assert isinstance(servers, Mapping)
    entry = servers.get("atlassian")
    assert isinstance(entry, Mapping)
    assert entry.span == Span(4, 1, 4, 24)  # the table header
    expected = {
        "url": '"https://mcp.atlassian.com/v2/mcp"',
        "notes": '"""\ntwo "" lines"""',
    }
    for key, token in expected.items():
        node = entry.get(key)
        assert node is not None and source(document, node.span) == token
    headers = entry.get("http_headers")
    assert isinstance(headers, Mapping)
    assert [source(document, k.span) for k, _ in headers.pairs] == ['"Authorization"', "'X-Trace'"]
    assert [source(document, v.span) for _, v in headers.pairs] == ['"Bearer ${KEY}"', "'on'"]
    args = entry.get("args")
    assert isinstance(args, Sequence)
    assert [item.span.line for item in args.items] == [8, 9]
    env = entry.get("env")
    assert isinstance(env, Mapping)
    key = env.key_node("JIRA_TOKEN")
    assert key is not None and key.span == Span(15, 1, 15, 11)


def test_toml_array_tables_and_dotted_keys_are_placed() -> None:
    text = '[[servers]]\nname = "a"\n[[servers]]\nname = "b"\nsub.key = 1\n'
    document = parse_toml("x.toml", text, Limits())
    assert plain(document.root) == tomllib.loads(text)
    assert document.root is not None
    lines = sorted((n.span.line, n.value) for n, is_key in scalars(document.root) if not is_key)
    assert lines == [(2, "a"), (4, "b"), (5, 1)]


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('[mcp_servers.a]\nurl = "https://x"\nurl = "https://y"\n', 3, 18),
        ("[mcp_servers.a]\nurl = \n", 2, 7),
        ('args = ["a",\n', 2, 1),
        ("[a]\nb = 1\n[a]\n", 3, 3),
    ],
)
def test_broken_toml_is_one_sl001_problem_at_its_position(
    text: str, line: int, column: int
) -> None:
    document = parse_toml("x.toml", text, Limits())
    assert document.root is None
    [problem] = document.problems
    assert problem.code == "SL001" and problem.message.startswith("invalid TOML: ")
    assert "(at " not in problem.message
    assert (problem.span.line, problem.span.column) == (line, column)


toml_keys = st.text(alphabet=string.ascii_letters + string.digits + "_-", min_size=1, max_size=8)
# Printable text: TOML forbids raw control characters, and a JSON-escaped surrogate pair.
toml_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
toml_scalars = (
    toml_text
    | st.integers(min_value=-(10**6), max_value=10**6)
    | st.booleans()
    | st.lists(toml_text, max_size=3)
)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # then also a TOML basic string
    if isinstance(value, list):
        return "[\n" + "".join(f"  {_toml_value(v)},  # item\n" for v in value) + "]"
    return str(value)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(toml_keys, st.dictionaries(toml_keys, toml_scalars, max_size=4), max_size=4))
def test_any_simple_toml_table_places_every_value_on_its_token(
    tables: dict[str, dict[str, object]],
) -> None:
    text = "".join(
        f"[mcp_servers.{name}]\n" + "".join(f"{k} = {_toml_value(v)}\n" for k, v in table.items())
        for name, table in tables.items()
    )
    document = parse_toml("x.toml", text, Limits())
    assert document.problems == []
    assert plain(document.root) == tomllib.loads(text)
    assert document.root is not None
    for node, is_key in scalars(document.root):
        if is_key or not isinstance(node.value, str):
            continue
        written = source(document, node.span)
        assert json.loads(written) == node.value


def test_a_toml_value_python_refuses_is_a_finding(tmp_path: Path) -> None:
    from conftest import lint_text

    findings = lint_text("x = " + "1" * 5000 + "\n", ".codex/config.toml", tmp_path)
    assert [f.code for f in findings] == ["SL001"]
    assert findings[0].message.startswith("invalid TOML: ")


def test_lines_are_counted_as_the_json_reader_counts_them(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from scopelint.cli import cli

    # U+2028 inside a comment is no line break in JSON; a form feed is none either.
    text = (
        "{ // a note\u2028 with a separator\f\n"
        '  "mcpServers": {"a": {\n'
        "    // scopelint: ignore[SL405]\n"
        '    "url": "https://mcp.atlassian.com/v1/mcp"}}}\n'
    )
    path = tmp_path / ".mcp.json"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--as-of", "2026-11-24", "--no-color", str(path)])
    assert "SL004" not in result.stdout and "SL405" not in result.stdout
    assert result.exit_code == 0


def test_a_cr_only_json_file_keeps_its_fix(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from scopelint.cli import cli

    path = tmp_path / ".mcp.json"
    path.write_bytes(b'{\r  "mcpServers": {"a": {\r    "url": "https://mcp.atlassian.com/v1/sse"}}}\r')
    CliRunner().invoke(cli, ["check", "--as-of", "2026-11-24", "--fix", str(path)])
    assert path.read_bytes() == (
        b'{\r  "mcpServers": {"a": {\r    "url": "https://mcp.atlassian.com/v2/mcp"}}}\r'
    )
