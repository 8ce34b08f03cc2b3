"""JUnit XML, as Bitbucket Pipelines' and GitLab's test report parsers read it.

One testsuite per file, one testcase per connection (a passing one when the connection is
clean), and a <failure> per finding. Findings about the file as a whole (it does not
parse, an organization prerequisite) go to a testcase named after the file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from scopelint.engine import FileResult, RunResult
from scopelint.findings import Finding
from scopelint.report import ReportContext
from scopelint.report.common import Cleaner, repo_path

FILE_CASE = "(file)"
# Characters XML 1.0 cannot hold at all, escaped or not.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def render_junit(result: RunResult, context: ReportContext) -> str:
    clean = Cleaner(result)
    root = ET.Element("testsuites", name="scopelint")
    totals = [0, 0]
    for file in result.files:
        suite = _suite(file, clean)
        totals[0] += int(suite.get("tests", "0"))
        totals[1] += int(suite.get("failures", "0"))
        root.append(suite)
    root.set("tests", str(totals[0]))
    root.set("failures", str(totals[1]))
    root.set("errors", "0")
    root.set("time", "0")
    # Every attribute and text, redacted before serialising (escaping could split a secret).
    for element in root.iter():
        element.attrib = {key: clean(value) for key, value in element.attrib.items()}
        if element.text:
            element.text = clean(element.text)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _cases(file: FileResult) -> dict[str, list[Finding]]:
    """Connection name -> its findings, in plan order; file-level findings last."""
    cases: dict[str, list[Finding]] = {c.name: [] for c in file.connections}
    loose: list[Finding] = []
    for finding in file.findings:
        if finding.connection is None:
            loose.append(finding)
        else:
            cases.setdefault(finding.connection, []).append(finding)
    if loose or not cases:
        cases[FILE_CASE] = loose
    return cases


def _suite(file: FileResult, clean: Cleaner) -> ET.Element:
    path = xml_safe(repo_path(clean(file.path)))
    cases = _cases(file)
    suite = ET.Element(
        "testsuite",
        name=path,
        tests=str(len(cases)),
        # A count of failed test cases, as JUnit means it: a case may hold several
        # <failure> elements (one per finding), but counts once.
        failures=str(sum(1 for findings in cases.values() if findings)),
        errors="0",
        skipped="0",
        time="0",
    )
    for name, findings in cases.items():
        case = ET.SubElement(
            suite, "testcase", classname=path, name=xml_safe(clean(name)), file=path, time="0"
        )
        for finding in findings:
            message = xml_safe(f"{finding.code} {finding.name}: {clean(finding.message)}")
            failure = ET.SubElement(case, "failure", message=message, type=finding.severity.label)
            failure.text = xml_safe(_body(finding, path, clean))
    return suite


def _body(finding: Finding, path: str, clean: Cleaner) -> str:
    span = finding.span
    lines = [
        f"{path}:{span.line}:{span.column}: {finding.code} [{finding.name}] "
        f"{finding.severity.label}: {clean(finding.message)}"
    ]
    if finding.help:
        lines.append(f"help: {clean(finding.help)}")
    return "\n".join(lines)
