"""The ranking rule: secrets, then excess write/delete/admin, then auth and endpoints,
then excess read scopes, then everything else; each step only breaks the ties before it."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from scopelint.audit.ranking import RiskFacts, Tier, rank, risk_key

facts = st.builds(
    RiskFacts,
    exposed_secrets=st.integers(0, 3),
    privileged_excess=st.lists(st.sampled_from(["write", "delete", "admin"]), max_size=3).map(
        tuple
    ),
    auth_or_endpoint=st.integers(0, 3),
    read_excess=st.integers(0, 3),
    errors=st.integers(0, 3),
    warnings=st.integers(0, 3),
    infos=st.integers(0, 3),
)


def ranked(*items: tuple[str, RiskFacts]) -> list[str]:
    return [name for name, _ in rank(items, lambda i: i[1], lambda i: (i[0],))]


def test_each_tier_outranks_the_next() -> None:
    order = ranked(
        ("clean", RiskFacts()),
        ("info-only", RiskFacts(infos=1)),
        ("read", RiskFacts(read_excess=5, errors=9)),
        ("dead-endpoint", RiskFacts(auth_or_endpoint=1)),
        ("write", RiskFacts(privileged_excess=("write",))),
        ("secret", RiskFacts(exposed_secrets=1)),
    )
    assert order == ["secret", "write", "dead-endpoint", "read", "info-only", "clean"]


def test_one_secret_outranks_any_number_of_excess_scopes() -> None:
    assert ranked(
        ("admin-everywhere", RiskFacts(privileged_excess=("admin",) * 10, errors=20)),
        ("pasted", RiskFacts(exposed_secrets=1)),
    ) == ["pasted", "admin-everywhere"]


def test_within_privileged_excess_the_highest_level_then_the_count() -> None:
    assert ranked(
        ("two-writes", RiskFacts(privileged_excess=("write", "write"))),
        ("one-admin", RiskFacts(privileged_excess=("admin",))),
        ("one-delete", RiskFacts(privileged_excess=("delete",))),
        ("write-and-admin", RiskFacts(privileged_excess=("write", "admin"))),
    ) == ["write-and-admin", "one-admin", "one-delete", "two-writes"]


def test_more_of_the_same_risk_ranks_first_and_ties_keep_name_order() -> None:
    assert ranked(
        ("b", RiskFacts(read_excess=1)),
        ("a", RiskFacts(read_excess=1)),
        ("c", RiskFacts(read_excess=2)),
    ) == ["c", "a", "b"]
    assert ranked(("w", RiskFacts(warnings=3)), ("e", RiskFacts(errors=1))) == ["e", "w"]


@given(facts)
def test_the_tier_is_the_first_fact_that_is_not_zero(value: RiskFacts) -> None:
    tier = value.tier
    if value.exposed_secrets:
        assert tier is Tier.SECRET
    elif value.privileged_excess:
        assert tier is Tier.PRIVILEGED_EXCESS
    elif value.auth_or_endpoint:
        assert tier is Tier.AUTH_OR_ENDPOINT
    elif value.read_excess:
        assert tier is Tier.READ_EXCESS
    elif value.errors or value.warnings or value.infos:
        assert tier is Tier.OTHER
    else:
        assert tier is Tier.NONE


@given(facts, facts)
def test_the_order_never_contradicts_the_tiers(a: RiskFacts, b: RiskFacts) -> None:
    if a.tier < b.tier:
        assert risk_key(a) < risk_key(b)


@given(st.lists(facts, max_size=12))
def test_rank_is_a_stable_total_order(values: list[RiskFacts]) -> None:
    items = [(f"c{i:02d}", value) for i, value in enumerate(values)]
    once = rank(items, lambda i: i[1], lambda i: (i[0],))
    assert sorted(once) == sorted(items)
    assert rank(reversed(items), lambda i: i[1], lambda i: (i[0],)) == once
    for first, second in itertools.pairwise(once):
        assert risk_key(first[1]) <= risk_key(second[1])


def test_labels_are_distinct_and_slugs_fit_css_classes() -> None:
    assert len({t.label for t in Tier}) == len(Tier)
    assert all(t.slug.replace("-", "").isalpha() for t in Tier)
