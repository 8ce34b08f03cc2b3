"""The HTML report in a real browser: headless Chromium renders it, runs its script under its
own Content-Security-Policy, and the matrix and the findings table are in the DOM."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from scopelint.cli import cli

from conftest import AS_OF, ROOT
from snapshot_support import EXAMPLE_FILES

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install chromium); .ci/run installs it",
)
# Without the networking switches Chromium waits on services a closed network never answers.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium(tmp_path: Path, *args: str) -> str:
    assert CHROMIUM is not None
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    done = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def report(tmp_path: Path, *paths: str) -> Path:
    result = CliRunner().invoke(
        cli, ["audit", "--as-of", AS_OF.isoformat(), "--format", "html", *paths]
    )
    assert result.exit_code == 0, result.stderr
    target = tmp_path / "audit.html"
    target.write_text(result.stdout, encoding="utf-8")
    return target


@pytest.fixture
def examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)
    return report(tmp_path, *EXAMPLE_FILES, "examples/clients")


def rows_of(dom: str, table_marker: str) -> list[str]:
    start = dom.index(table_marker)
    body = dom[dom.index("<tbody>", start) : dom.index("</tbody>", start)]
    return re.findall(r"<tr[^>]*>", body)


def test_the_matrix_and_the_findings_table_render(tmp_path: Path, examples: Path) -> None:
    dom = chromium(tmp_path, "--dump-dom", examples.as_uri())
    # The script ran (the policy let it): it marks the page and fills the filters.
    assert re.search(r'<html lang="en" class="[^"]*\bjs\b', dom)
    assert '<output id="findings-count" aria-live="polite">36 findings</output>' in dom
    assert '<option value="SL501 hardcoded-secret">SL501 hardcoded-secret</option>' in dom
    assert '<option value="examples/over-provisioned.yaml">' in dom
    assert '<div class="controls" id="findings-controls">' in dom  # no longer hidden
    assert len(rows_of(dom, '<table class="matrix">')) == 17
    assert len(rows_of(dom, 'id="findings-table"')) == 36


def test_sorting_and_filtering_work(tmp_path: Path, examples: Path) -> None:
    # A copy without the policy, so that a test script may drive the page as a person would.
    page = examples.read_text(encoding="utf-8")
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    driver = (
        "<script>"
        "document.querySelector('th[data-sort=rule] button').click();"
        "var s = document.getElementById('filter-severity');"
        "s.value = 'warning'; s.dispatchEvent(new Event('change'));"
        "</script>"
    )
    driven = tmp_path / "driven.html"
    driven.write_text(page.replace("</body>", driver + "</body>"), encoding="utf-8")
    dom = chromium(tmp_path, "--dump-dom", driven.as_uri())
    assert '<th scope="col" data-sort="rule" aria-sort="ascending">' in dom
    assert "6 of 36 findings" in dom
    body = dom[dom.index("<tbody>", dom.index('id="findings-table"')) :]
    codes = re.findall(r'<tr data-index="\d+"( hidden="")?><td>.*?<span class="code">(SL\d+)', body)
    assert [code for _, code in codes] == sorted(code for _, code in codes)
    shown = [code for hidden, code in codes if not hidden]
    assert len(shown) == 6 and set(shown) == {"SL101", "SL403", "SL503", "SL504", "SL601", "SL602"}


def test_input_cannot_run_script(tmp_path: Path) -> None:
    payload = "<script>document.title='pwned'</script>"
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "plan.yaml").write_text(
        f"""\
scopelint: 1
connections:
  - name: "{payload}"
    url: "https://mcp.atlassian.com/v2/mcp?<img src=x onerror=document.title='pwned'>"
    auth: oauth
    tools:
      getJiraIssue: all
""",
        encoding="utf-8",
    )
    dom = chromium(tmp_path, "--dump-dom", report(tmp_path, str(folder)).as_uri())
    assert "pwned</title>" not in dom
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in dom
    assert dom.count("<script") == 2 and "<img" not in dom


def test_screenshot_and_print(tmp_path: Path, examples: Path) -> None:
    shot, pdf = tmp_path / "audit.png", tmp_path / "audit.pdf"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1400,1800", examples.as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # PNG width and height sit in the IHDR chunk.
    assert int.from_bytes(shot.read_bytes()[16:20], "big") == 1400
    chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", examples.as_uri())
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 20_000
