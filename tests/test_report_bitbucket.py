"""Bitbucket Code Insights: the report file, and the contrib script that uploads it."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import jsonschema
import pytest

from scopelint.catalog import load_catalog, load_rules
from scopelint.engine import FileResult, RunResult
from scopelint.findings import Finding, Severity, Span
from scopelint.report import ReportContext
from scopelint.report.bitbucket import MAX_ANNOTATIONS, insights

from conftest import ROOT, CliResult
from snapshot_support import assert_snapshot, load_schema, run_examples

Run = Callable[..., CliResult]
SCRIPT = ROOT / "contrib" / "bitbucket_code_insights.py"


@pytest.fixture
def report(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    result = run_examples(run_cli, monkeypatch, "--format", "bitbucket")
    assert result.code == 1
    data: dict[str, Any] = json.loads(result.out)
    return data


def test_validates_against_the_code_insights_schema(report: dict[str, Any]) -> None:
    jsonschema.validate(report, load_schema("bitbucket-code-insights.schema.json"))


def test_report_summarises_the_run(
    report: dict[str, Any], run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = json.loads(run_examples(run_cli, monkeypatch, "--format", "json").out)["summary"]
    head = report["report"]
    assert (head["report_type"], head["result"]) == ("SECURITY", "FAILED")
    data = {d["title"]: d for d in head["data"]}
    assert len(head["data"]) <= 10
    assert data["Errors"]["value"] == summary["error"]
    assert data["Warnings"]["value"] == summary["warning"]
    assert data["Info"]["value"] == summary["info"]
    catalog = dt.datetime.combine(load_catalog().date, dt.time(), tzinfo=dt.UTC)
    assert data["Catalog"] == {
        "title": "Catalog",
        "type": "DATE",
        "value": int(catalog.timestamp() * 1000),
    }


def test_one_annotation_per_finding(
    report: dict[str, Any], run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    findings = json.loads(run_examples(run_cli, monkeypatch, "--format", "json").out)["findings"]
    annotations = report["annotations"]
    assert len(annotations) == len(findings)
    assert len({a["external_id"] for a in annotations}) == len(annotations)
    by_id = {a["external_id"]: a for a in annotations}
    severity = {"error": "HIGH", "warning": "MEDIUM", "info": "LOW"}
    for finding in findings:
        annotation = by_id[finding["fingerprint"]]
        assert annotation["path"] == finding["path"]
        assert annotation["line"] == finding["line"]
        assert annotation["summary"].startswith(f"{finding['code']} {finding['name']}: ")
        if finding["code"] == "SL501":
            assert (annotation["annotation_type"], annotation["severity"]) == (
                "VULNERABILITY",
                "CRITICAL",
            )
        else:
            assert annotation["annotation_type"] == "CODE_SMELL"
            assert annotation["severity"] == severity[finding["severity"]]


def test_result_follows_fail_on(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    passed = run_examples(run_cli, monkeypatch, "--format", "bitbucket", "--fail-on", "never")
    assert passed.code == 0
    assert json.loads(passed.out)["report"]["result"] == "PASSED"
    clean = run_cli("check", "--format", "bitbucket", "examples/clean.yaml")
    assert json.loads(clean.out)["report"]["result"] == "PASSED"


def _findings(count: int) -> list[Finding]:
    return [
        Finding(
            "SL101" if i % 2 else "SL102",
            "excess-scope" if i % 2 else "excess-write-scope",
            Severity.WARNING if i % 2 else Severity.ERROR,
            f"scope {i}",
            "plan.yaml",
            Span.point(i + 1),
            connection="c",
            subject=f"scope-{i}",
        )
        for i in range(count)
    ]


def test_more_than_a_thousand_findings_keep_the_most_severe() -> None:
    findings = _findings(MAX_ANNOTATIONS + 300)
    result = RunResult([FileResult("plan.yaml", "plan", findings)], [])
    context = ReportContext(catalog_date="2026-11-20", rules=load_rules(), failed=True)
    data = insights(result, context)
    jsonschema.validate(data, load_schema("bitbucket-code-insights.schema.json"))
    assert len(data["annotations"]) == MAX_ANNOTATIONS
    severities = [a["severity"] for a in data["annotations"]]
    assert severities.count("HIGH") == (MAX_ANNOTATIONS + 300) // 2
    assert f"Showing the {MAX_ANNOTATIONS} most severe" in data["report"]["details"]


def test_snapshot(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_snapshot(
        "examples.bitbucket.json", run_examples(run_cli, monkeypatch, "--format", "bitbucket").out
    )


# The contrib uploader, against a stand-in for the Pipelines proxy.


class _Proxy(BaseHTTPRequestHandler):
    calls: ClassVar[list[tuple[str, str, Any]]] = []
    fail_put: ClassVar[bool] = False

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        type(self).calls.append((self.command, self.path, body))
        status = 404 if self.command == "DELETE" else 200
        if self.command == "PUT" and type(self).fail_put:
            status = 400
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    do_DELETE = do_PUT = do_POST = _handle

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def proxy() -> Iterator[str]:
    _Proxy.calls = []
    _Proxy.fail_put = False
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _upload(report_file: Path, proxy: str, **env: str) -> subprocess.CompletedProcess[str]:
    # Neither a proxy setting nor a real pipeline's variables may leak into the test.
    clean_env = {
        k: v
        for k, v in os.environ.items()
        if "proxy" not in k.lower() and not k.startswith("BITBUCKET_")
    }
    clean_env.update(env)
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(report_file), "--proxy", proxy],
        capture_output=True,
        text=True,
        env=clean_env,
        timeout=60,
        check=False,
    )


PIPELINE = {
    "BITBUCKET_WORKSPACE": "acme",
    "BITBUCKET_REPO_SLUG": "mcp-config",
    "BITBUCKET_COMMIT": "0123abcd",
}


def test_contrib_script_puts_the_report_and_posts_annotations_in_batches(
    proxy: str, tmp_path: Path
) -> None:
    result = RunResult([FileResult("plan.yaml", "plan", _findings(250))], [])
    context = ReportContext(catalog_date="2026-11-20", rules=load_rules())
    report_file = tmp_path / "insights.json"
    report_file.write_text(json.dumps(insights(result, context)))
    done = _upload(report_file, proxy, **PIPELINE)
    assert done.returncode == 0, done.stderr
    assert "with 250 annotations" in done.stdout
    url = "http://api.bitbucket.org/2.0/repositories/acme/mcp-config/commit/0123abcd/reports/scopelint"
    methods = [(method, path) for method, path, _ in _Proxy.calls]
    assert methods == [
        ("DELETE", url),
        ("PUT", url),
        ("POST", url + "/annotations"),
        ("POST", url + "/annotations"),
        ("POST", url + "/annotations"),
    ]
    assert _Proxy.calls[1][2]["report_type"] == "SECURITY"
    assert [len(body) for _, _, body in _Proxy.calls[2:]] == [100, 100, 50]
    sent = [a["external_id"] for _, _, body in _Proxy.calls[2:] for a in body]
    assert sent == [a["external_id"] for a in insights(result, context)["annotations"]]


def test_contrib_script_reports_an_api_error_in_one_line(proxy: str, tmp_path: Path) -> None:
    report_file = tmp_path / "insights.json"
    report_file.write_text(json.dumps({"report": {"title": "t"}, "annotations": []}))
    _Proxy.fail_put = True
    done = _upload(report_file, proxy, **PIPELINE)
    assert done.returncode == 1
    assert done.stderr.startswith("bitbucket_code_insights: error: PUT http://api.bitbucket.org")
    assert "HTTP 400" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_contrib_script_outside_pipelines(proxy: str, tmp_path: Path) -> None:
    report_file = tmp_path / "insights.json"
    report_file.write_text(json.dumps({"report": {}, "annotations": []}))
    done = _upload(report_file, proxy)
    assert done.returncode == 1
    assert "not in a Bitbucket Pipelines step" in done.stderr
    assert _Proxy.calls == []


def test_truncation_keeps_leaked_secrets(run_cli: Run, tmp_path: Path) -> None:
    body = "".join(
        f"  - name: c{i}\n    auth: api-token\n    credential: service-account\n"
        "    scopes: [read:jira-work, write:jira-work]\n    tools: {getJiraIssue: all}\n"
        for i in range(1100)
    )
    (tmp_path / "a.yaml").write_text(
        "scopelint: 1\norganization: {api_token_auth: true}\nconnections:\n" + body,
        encoding="utf-8",
    )
    (tmp_path / "z.yaml").write_text(
        "scopelint: 1\nconnections:\n  - name: ATATT3xFfGF0T5bq9WmZc1HkLp0oQvXyR7sNd2Ee\n"
        "    auth: oauth\n",
        encoding="utf-8",
    )
    data = json.loads(run_cli("check", "--format", "bitbucket", str(tmp_path)).out)
    assert len(data["annotations"]) == 1000
    assert data["annotations"][0]["severity"] == "CRITICAL"
