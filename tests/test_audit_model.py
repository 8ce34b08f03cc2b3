"""The audit model: what each connection needs and holds, whose findings are whose, totals."""

from __future__ import annotations

from pathlib import Path

import pytest

from scopelint.audit.model import (
    CONSENT,
    EXCESS,
    GRANTED,
    MISSING,
    AuditReport,
    ConnectionAudit,
    build_audit,
)
from scopelint.audit.ranking import Tier
from scopelint.catalog import load_catalog, load_rules
from scopelint.engine import Engine, Options

from conftest import AS_OF, ROOT
from snapshot_support import EXAMPLE_FILES

# Named, not walked: an example added for another feature should not change these numbers.
EXAMPLES = [ROOT / name for name in EXAMPLE_FILES] + [ROOT / "examples" / "clients"]


def audit(*paths: str | Path, **options: object) -> AuditReport:
    engine = Engine(load_catalog(), load_rules(), Options(as_of=AS_OF, **options))  # type: ignore[arg-type]
    return build_audit(engine.run([str(p) for p in paths]), engine.catalog, engine.rules, AS_OF)


@pytest.fixture(scope="module")
def examples() -> AuditReport:
    return audit(*EXAMPLES)


def named(report: AuditReport, name: str, path_part: str = "") -> ConnectionAudit:
    found = [c for c in report.connections if c.name == name and path_part in c.path]
    assert len(found) == 1, [(c.name, c.path) for c in found]
    return found[0]


def test_scopes_with_the_actions_that_need_them(examples: AuditReport) -> None:
    c = named(examples, "bitbucket-shared-read")
    rows = {row.scope: row for row in c.scopes}
    assert rows["read:pullrequest:bitbucket"].status == GRANTED
    assert rows["read:pullrequest:bitbucket"].actions == (
        "bitbucketPullRequest.list",
        "bitbucketPullRequest.get",
        "bitbucketPullRequest.diff",
    )
    assert rows["read:pullrequest:bitbucket"].group == "read_bitbucket"
    assert rows["read:workspace:bitbucket"].status == MISSING
    assert rows["read:workspace:bitbucket"].actions == ("bitbucketWorkspace.list",)
    # Excess comes last, the most dangerous first.
    assert [r.scope for r in c.scopes if r.status == EXCESS] == [
        "admin:repository:bitbucket",
        "write:pullrequest:bitbucket",
        "read:pipeline:bitbucket",
    ]
    assert c.facts.privileged_excess == ("admin", "write")
    assert c.facts.read_excess == 1
    assert c.tier is Tier.PRIVILEGED_EXCESS
    assert c.minimal is False and c.replace_token
    assert sorted(c.needed) == sorted(
        ["read:repository:bitbucket", "read:pullrequest:bitbucket", "read:workspace:bitbucket"]
    )
    assert (c.line, c.auth, c.credential, c.availability) == (
        7,
        "api-token",
        "service-account",
        "private",
    )


def test_oauth_scopes_come_from_consent(examples: AuditReport) -> None:
    c = named(examples, "compass-oauth")
    assert [(r.scope, r.status) for r in c.scopes] == [("read:component:compass", CONSENT)]
    assert c.minimal is None and not c.replace_token and c.needed == ("read:component:compass",)


def test_a_leaked_token_means_a_replacement_even_at_the_minimal_set(examples: AuditReport) -> None:
    c = named(examples, "pasted-token")
    assert c.tier is Tier.SECRET and c.minimal is True and c.replace_token
    assert c.headline == "1 literal credential written into the file"
    assert "revoke" in c.next_step


def test_client_entries_are_ranked_with_their_findings(examples: AuditReport) -> None:
    c = named(examples, "atlassian", "blog-post")
    assert (c.kind, c.client, c.url) == ("client", "Cursor", "https://mcp.atlassian.com/v1/sse")
    assert c.scopes == () and c.minimal is None
    assert sorted(f.code for f in examples.connection_findings(c)) == ["SL401", "SL501"]
    assert c.rank == 1  # a secret, and more findings than the other secret


def test_the_ranking_puts_secrets_first_and_clean_connections_last(examples: AuditReport) -> None:
    tiers = [c.tier for c in examples.connections]
    assert tiers == sorted(tiers)
    assert [c.rank for c in examples.connections] == list(range(1, len(tiers) + 1))
    assert tiers[0] is Tier.SECRET and tiers[-1] is Tier.NONE


def test_findings_go_to_their_connection_or_stay_with_the_file(examples: AuditReport) -> None:
    owned = [i for c in examples.connections for i in c.findings]
    assert len(owned) == len(set(owned))
    file_level = examples.file_level_findings
    assert {(f.code, Path(f.path).name) for f in file_level} == {
        ("SL701", "shared-identity.yaml"),
        ("SL703", "shared-identity.yaml"),
    }
    assert len(owned) + len(file_level) == len(examples.findings)


def test_two_connections_of_one_name_are_told_apart_by_their_lines(examples: AuditReport) -> None:
    first, second = sorted(
        (c for c in examples.connections if c.name == "typos"), key=lambda c: c.line or 0
    )
    first_codes = sorted(f.code for f in examples.connection_findings(first))
    second_codes = sorted(f.code for f in examples.connection_findings(second))
    # The unknown key `scope` names no connection; it sits inside the first one.
    assert first_codes == ["SL002", "SL103", "SL104", "SL201", "SL202"]
    assert second_codes == ["SL003", "SL204"]
    assert not first.complete  # an unknown tool: the minimal set is not exact
    assert first.minimal is None


def test_totals(examples: AuditReport) -> None:
    t = examples.totals
    assert (t.files, t.connections) == (12, 23)
    assert (t.findings, t.errors, t.warnings, t.infos) == (36, 28, 6, 2)
    assert t.exposed_secrets == 2
    assert (t.excess_scopes, t.excess_privileged, t.missing_scopes) == (3, 2, 2)
    assert (t.minimal, t.measurable) == (9, 10)
    assert sum(t.tiers.values()) == t.connections
    assert t.tiers[Tier.SECRET] == 2


def test_matrix_columns_run_by_product_then_level(examples: AuditReport) -> None:
    columns = [(c.product, c.scope) for c in examples.columns]
    bitbucket = [scope for product, scope in columns if product == "bitbucket"]
    assert bitbucket[-2:] == ["write:pullrequest:bitbucket", "admin:repository:bitbucket"]
    assert columns[0][0] == "bitbucket"
    products = [product for product, _ in columns]
    # Each product's columns are together.
    assert all(
        products.index(p) + products.count(p) - 1 == len(products) - 1 - products[::-1].index(p)
        for p in products
    )


def test_selection_applies(tmp_path: Path) -> None:
    report = audit(ROOT / "examples" / "over-provisioned.yaml", ignore=["SL101"])
    assert "SL101" not in {f.code for f in report.findings}
    # The scopes are still shown as excess: selection hides findings, not facts.
    assert report.connections[0].facts.read_excess == 1


def test_an_empty_tree(tmp_path: Path) -> None:
    report = audit(tmp_path)
    assert report.connections == () and report.files == () and report.findings == ()
    assert report.totals.measurable == 0


def test_every_string_from_the_input_is_redacted(tmp_path: Path) -> None:
    token = "ATATT3" + "xQ7vLm2Np9Rs4Tu6Wy8Za1Bc3De5Fg7Hj9Kk0Lm2"
    (tmp_path / "plan.yaml").write_text(
        f"""\
scopelint: 1
connections:
  - name: "{token}"
    url: https://mcp.atlassian.com/v2/mcp
    auth: api-token
    credential: service-account
    header: "Bearer {token}"
    scopes: [read:jira-work, {token}]
    tools:
      getJiraIssue: all
""",
        encoding="utf-8",
    )
    report = audit(tmp_path)
    c = report.connections[0]
    assert c.name == "****"
    assert [row.scope for row in c.scopes] == ["read:jira-work", "****"]
    assert all(
        token not in f.message and token not in (f.connection or "") for f in report.findings
    )


def test_workers_give_the_same_audit_as_one_process(examples: AuditReport) -> None:
    # Worker processes send each file's text back: the actions per scope are read from it.
    parallel = audit(*EXAMPLES, jobs=2)
    assert parallel == examples
    assert named(parallel, "bitbucket-shared-read").scopes[0].actions
