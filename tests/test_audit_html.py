"""The HTML report: one self-contained file that parses, fetches nothing, and shows input as text."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from scopelint.audit.render_html import json_for_script

from conftest import AS_OF, ROOT, CliResult
from snapshot_support import EXAMPLE_FILES

Run = Callable[..., CliResult]
EXAMPLE_ARGS = [*EXAMPLE_FILES, "examples/clients"]
VOID = {"meta", "br", "wbr", "hr", "img", "input", "link", "source", "col", "area", "base"}
# Attributes that make a browser fetch something.
FETCHING = {"src", "srcset", "poster", "data", "action", "formaction", "background", "manifest"}
XSS = "<script>alert(1)</script>"


class Page(HTMLParser):
    """Every element with its attributes, the text inside each, and nesting mistakes."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.text: list[str] = []
        self.raw: dict[str, list[str]] = {"script": [], "style": []}
        self.feed(text)
        self.close()
        if self.stack:
            self.problems.append(f"unclosed: {self.stack}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] in self.raw:
            self.raw[self.stack[-1]].append(data)
        else:
            self.text.append(data)

    def tags(self, name: str) -> list[dict[str, str]]:
        return [attrs for tag, attrs in self.elements if tag == name]

    def by_id(self, element_id: str) -> tuple[str, dict[str, str]]:
        found = [(t, a) for t, a in self.elements if a.get("id") == element_id]
        assert len(found) == 1, element_id
        return found[0]


@pytest.fixture(autouse=True)
def _from_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def html_report(run_cli: Run, *paths: str) -> str:
    result = run_cli("audit", "--as-of", AS_OF.isoformat(), "--format", "html", *paths)
    assert result.code == 0, result.err
    return result.out


@pytest.fixture(scope="module")
def examples_html() -> str:
    from click.testing import CliRunner

    from scopelint.cli import cli

    result = CliRunner().invoke(
        cli, ["audit", "--as-of", AS_OF.isoformat(), "--format", "html", *EXAMPLE_ARGS]
    )
    assert result.exit_code == 0
    return result.stdout


def test_it_parses_and_every_element_closes(examples_html: str) -> None:
    page = Page(examples_html)
    assert page.problems == []
    assert examples_html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert page.tags("meta")[0] == {"charset": "utf-8"}


def test_no_resource_is_fetched_from_anywhere(examples_html: str) -> None:
    page = Page(examples_html)
    for tag, attrs in page.elements:
        assert tag not in {"link", "img", "iframe", "object", "embed", "base", "video", "audio"}
        for name, value in attrs.items():
            if name in FETCHING:
                pytest.fail(f"<{tag} {name}={value!r}>")
            if name == "href":
                assert tag == "a", tag
                assert value.startswith(("#", "https://")), value
    style = "".join(page.raw["style"])
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    script = "".join(page.raw["script"])
    for call in ("fetch(", "XMLHttpRequest", "import(", "WebSocket", "EventSource", "sendBeacon"):
        assert call not in script
    # The only absolute URLs are documentation links: the catalog's Atlassian sources.
    for match in re.finditer(r"https?://", examples_html):
        before = examples_html[max(0, match.start() - 6) : match.start()]
        inside_text = not before.endswith('="')
        assert inside_text or before.endswith('href="'), before
    assert "http://" not in "".join(a.get("href", "") for a in page.tags("a"))


def test_links_to_documentation_are_plain_anchors(examples_html: str) -> None:
    external = [a for a in Page(examples_html).tags("a") if a["href"].startswith("https://")]
    assert external and all(
        a["href"].startswith("https://support.atlassian.com/") for a in external
    )
    assert all(a.get("rel") == "noreferrer" for a in external)


def test_the_policy_allows_only_the_inline_style_and_script(examples_html: str) -> None:
    page = Page(examples_html)
    policy = next(m["content"] for m in page.tags("meta") if m.get("http-equiv"))
    assert policy.startswith("default-src 'none';")

    def digest(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    (style,) = page.raw["style"]
    assert f"style-src 'sha256-{digest(style)}'" in policy
    executable = [s for s, a in zip(page.raw["script"], page.tags("script"), strict=True) if not a]
    assert len(executable) == 1
    assert f"script-src 'sha256-{digest(executable[0])}'" in policy
    # No inline handlers or style attributes, which the policy would block anyway.
    for _tag, attrs in page.elements:
        assert not [name for name in attrs if name.startswith("on") or name == "style"]


def test_the_data_block_is_the_json_report(run_cli: Run, examples_html: str) -> None:
    page = Page(examples_html)
    scripts = page.tags("script")
    assert scripts[0] == {"type": "application/json", "id": "audit-data"}
    embedded = json.loads(page.raw["script"][0])
    as_json = run_cli("audit", "--as-of", AS_OF.isoformat(), "--format", "json", *EXAMPLE_ARGS)
    assert embedded == json.loads(as_json.out)


def test_sections_and_the_findings_table(examples_html: str) -> None:
    page = Page(examples_html)
    for section in ("overview", "matrix", "risks", "connections", "findings", "files"):
        assert page.by_id(section)[0] == "section"
    rows = [a for t, a in page.elements if t == "tr" and "data-index" in a]
    assert [int(a["data-index"]) for a in rows] == list(range(36))
    assert [a["data-sort"] for a in page.tags("th") if "data-sort" in a] == [
        "severity",
        "rule",
        "file",
        "connection",
        "message",
    ]
    for control in ("filter-severity", "filter-rule", "filter-file"):
        assert page.by_id(control)[0] == "select"
    # The connection sections, each with the anchor the matrix and the risks link to.
    assert [a["id"] for a in page.tags("article")] == [f"c-{n}" for n in range(1, 24)]


def test_the_matrix_cells_say_what_they_are_in_text(examples_html: str) -> None:
    page = Page(examples_html)
    cells = [a for t, a in page.elements if t == "td" and "cell" in a.get("class", "").split()]
    states = {a["class"].split()[1] for a in cells}
    assert states == {"none", "granted", "excess", "missing", "consent"}
    assert all("title" in a for a in cells if "none" not in a["class"])
    matrix = examples_html[examples_html.index('id="matrix"') : examples_html.index('id="risks"')]
    for symbol, word in (("✓", "granted"), ("✕", "excess"), ("!", "missing"), ("○", "consent")):
        assert f'<span aria-hidden="true">{symbol}</span><span class="sr">{word}</span>' in matrix
    assert '<ul class="legend"' in matrix
    assert "5 client config entries declare no scopes" in matrix


def test_the_replacement_token_lists_exactly_the_minimal_set(examples_html: str) -> None:
    start = examples_html.index('id="c-3"')
    article = examples_html[start : examples_html.index("</article>", start)]
    assert "bitbucket-shared-read" in article
    assert (
        "<h4>Create the replacement token with exactly these scopes</h4><pre>"
        "read:workspace:bitbucket\nread:pullrequest:bitbucket\nread:repository:bitbucket</pre>"
    ) in article
    assert "bitbucketPullRequest.list" in article  # the actions that need a scope


def hostile_tree(tmp_path: Path) -> Path:
    folder = tmp_path / '"><svg onload=alert(2)>'
    folder.mkdir()
    (folder / "plan.yaml").write_text(
        f"""\
scopelint: 1
connections:
  - name: "{XSS}"
    url: "https://mcp.atlassian.com/v2/mcp?<img src=x onerror=alert(3)>"
    auth: api-token
    credential: service-account
    header: "Bearer ${{KEY}}"
    scopes: ["read:jira-work", "<b>bold</b>", "</script><!--"]
    tools:
      getJiraIssue: all
      "<i>tool</i>": all
""",
        encoding="utf-8",
    )
    (folder / ".mcp.json").write_text(
        json.dumps(
            {
                "mcpServers": {
                    "</style><script>alert(4)</script>": {"url": "https://mcp.atlassian.com/v1/sse"}
                }
            }
        ),
        encoding="utf-8",
    )
    return folder


def test_every_input_string_renders_as_text(run_cli: Run, tmp_path: Path) -> None:
    folder = hostile_tree(tmp_path)
    report = html_report(run_cli, str(folder))
    page = Page(report)
    assert page.problems == []
    allowed = {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "header",
        "h1",
        "span",
        "p",
        "nav",
        "a",
        "main",
        "section",
        "h2",
        "div",
        "h3",
        "ul",
        "li",
        "b",
        "table",
        "thead",
        "tr",
        "th",
        "tbody",
        "td",
        "small",
        "article",
        "code",
        "h4",
        "pre",
        "ol",
        "select",
        "option",
        "label",
        "output",
        "button",
        "wbr",
        "footer",
        "dl",
        "dt",
        "dd",
        "script",
    }
    assert {tag for tag, _ in page.elements} <= allowed
    assert len(page.tags("script")) == 2 and len(page.tags("style")) == 1
    assert not page.tags("img") and not page.tags("svg") and not page.tags("i")
    text = "".join(page.text)
    for shown in (XSS, "<b>bold</b>", "onerror=alert(3)", "</style><script>alert(4)</script>"):
        assert shown in text
    assert '"><svg onload=alert(2)>' in text
    # The data block holds the same strings, with no character that could end it.
    data_text = page.raw["script"][0]
    assert "<" not in data_text and ">" not in data_text and "&" not in data_text
    names = {c["name"] for c in json.loads(data_text)["connections"]}
    assert {XSS, "</style><script>alert(4)</script>"} <= names


def test_json_for_script_cannot_end_its_element() -> None:
    value = {"a": "</script><!--<script>", "b": "&amp; \u2028 \u2029", "c": ["<", ">"]}
    text = json_for_script(value)
    assert not set("<>&") & set(text)
    assert json.loads(text) == value


def test_an_empty_audit_still_renders(run_cli: Run, tmp_path: Path) -> None:
    page = Page(html_report(run_cli, str(tmp_path)))
    assert page.problems == []
    text = "".join(page.text)
    assert "No plan connection declares tools or scopes." in text
    assert "No findings." in text


def test_print_styles_exist(examples_html: str) -> None:
    style = "".join(Page(examples_html).raw["style"])
    assert "@media print" in style
    print_rules = style[style.index("@media print") :]
    assert "print-color-adjust: exact" in print_rules and "break-inside: avoid" in print_rules
