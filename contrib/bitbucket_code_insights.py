#!/usr/bin/env python3
"""Upload a scopelint Code Insights report from a Bitbucket Pipelines step.

    scopelint check --format bitbucket --output scopelint-insights.json || true
    python3 contrib/bitbucket_code_insights.py scopelint-insights.json

PUTs the report on the pipeline's commit, then POSTs its annotations in batches of 100
(Bitbucket's limit per request). Requests go through the pipeline's local proxy at
localhost:29418, which authenticates them: no token or app password is needed, and
plain http is used on purpose (the proxy only accepts that).

Standard library only, so it runs in any image that has Python 3.8 or later.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

API = "http://api.bitbucket.org/2.0"
PROXY = "http://localhost:29418"
BATCH = 100


class UploadError(Exception):
    pass


def _arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", help="the file `scopelint check --format bitbucket` wrote")
    parser.add_argument("--report-id", default="scopelint", help="default: scopelint")
    parser.add_argument("--proxy", default=PROXY, help=f"default: {PROXY}")
    parser.add_argument("--api", default=API, help=f"default: {API}")
    return parser.parse_args(argv)


def _load(path):
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as exc:
        raise UploadError(f"{path}: cannot read: {exc.strerror}") from None
    except ValueError as exc:
        raise UploadError(f"{path}: not JSON: {exc}") from None
    if not isinstance(data, dict) or "report" not in data or "annotations" not in data:
        raise UploadError(f"{path}: not a scopelint --format bitbucket report")
    return data["report"], data["annotations"]


def _report_url(api, report_id):
    missing = [
        name for name in ("BITBUCKET_REPO_SLUG", "BITBUCKET_COMMIT") if not os.environ.get(name)
    ]
    workspace = os.environ.get("BITBUCKET_WORKSPACE") or os.environ.get("BITBUCKET_REPO_OWNER")
    if not workspace:
        missing.insert(0, "BITBUCKET_WORKSPACE")
    if missing:
        raise UploadError(f"not in a Bitbucket Pipelines step: {', '.join(missing)} unset")
    parts = (workspace, os.environ["BITBUCKET_REPO_SLUG"], os.environ["BITBUCKET_COMMIT"])
    workspace, slug, commit = (urllib.parse.quote(p, safe="") for p in parts)
    report = urllib.parse.quote(report_id, safe="")
    return f"{api}/repositories/{workspace}/{slug}/commit/{commit}/reports/{report}"


def _send(opener, method, url, body=None, allow=()):
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with opener.open(request, timeout=60) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        if exc.code in allow:
            return
        detail = exc.read(500).decode("utf-8", "replace").strip().replace("\n", " ")
        raise UploadError(f"{method} {url}: HTTP {exc.code} {detail}".rstrip()) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise UploadError(f"{method} {url}: {reason}") from None


def upload(report, annotations, url, proxy):
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({"http": proxy, "https": proxy})
    )
    # Replacing a report keeps no annotations from an earlier run of the same commit.
    _send(opener, "DELETE", url, allow=(404,))
    _send(opener, "PUT", url, report)
    for start in range(0, len(annotations), BATCH):
        _send(opener, "POST", f"{url}/annotations", annotations[start : start + BATCH])


def main(argv=None):
    args = _arguments(argv)
    try:
        report, annotations = _load(args.report)
        url = _report_url(args.api.rstrip("/"), args.report_id)
        upload(report, annotations, url, args.proxy)
    except UploadError as exc:
        print(f"bitbucket_code_insights: error: {exc}", file=sys.stderr)
        return 1
    print(
        f"bitbucket_code_insights: uploaded report '{args.report_id}' "
        f"({report.get('result', '?')}) with {len(annotations)} annotations"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
