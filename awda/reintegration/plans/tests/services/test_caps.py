from decimal import Decimal

import pytest

from awda.factories import ProjectFactory, screen_travellers
from awda.reintegration.models import ReintegrationCap
from awda.reintegration.plans.caps import cap_for, matching_rule


def rule(**kw):
    return ReintegrationCap(
        pk=kw.pop("pk", 1),
        nationality=kw.pop("nationality", ""),
        vulnerability=kw.pop("vulnerability", ""),
        amount=Decimal(kw.pop("amount", "100")),
        currency="EUR",
    )


@pytest.mark.parametrize(
    ("nationality", "flags", "expected"),
    [
        ("GN", {"health"}, "both"),
        ("GN", set(), "nat"),
        ("ML", {"health"}, "vuln"),
        ("ML", set(), "general"),
    ],
)
def test_the_most_specific_matching_rule_applies(nationality, flags, expected):
    rules = {
        "general": rule(pk=1, amount="999"),
        "vuln": rule(pk=2, vulnerability="health"),
        "nat": rule(pk=3, nationality="GN"),
        "both": rule(pk=4, nationality="GN", vulnerability="health"),
        "other": rule(pk=5, nationality="SN", vulnerability="health", amount="5000"),
    }
    found = matching_rule(list(rules.values()), nationality=nationality, flags=flags)
    assert found is rules[expected]


def test_no_rule_matching_means_no_cap():
    assert matching_rule([rule(nationality="SN")], nationality="GN", flags=set()) is None


def test_per_person_cap_counts_travellers_and_per_case_does_not(returned_case):
    project = returned_case.project
    assert cap_for(returned_case, project) is None  # no rule configured
    ReintegrationCap.objects.create(project=project, amount="485.00", currency="EUR")
    cap = cap_for(returned_case, project)
    assert cap.entitled == Decimal("485.00") and cap.persons == 1 and cap.currency == "EUR"
    assert project.code in cap.rule
    ReintegrationCap.objects.create(
        project=project, nationality="GN", amount="700", currency="EUR", basis="case"
    )
    cap = cap_for(returned_case, project)
    assert cap.entitled == Decimal("700.00") and "GN" in cap.rule
    other = ProjectFactory(mission=returned_case.mission)
    assert cap_for(returned_case, other) is None


def test_vulnerability_rule_uses_the_current_screening(case, caseworker):
    project = ProjectFactory(mission=case.mission)
    ReintegrationCap.objects.create(project=project, amount="485", currency="EUR")
    ReintegrationCap.objects.create(
        project=project, vulnerability="disability", amount="900", currency="EUR"
    )
    assert cap_for(case, project).entitled == Decimal("485.00")
    screen_travellers(case, caseworker, disability=True)
    cap = cap_for(case, project)
    assert cap.entitled == Decimal("900.00") and "disability" in cap.rule


def test_a_restricted_flag_is_not_named_in_the_rule_label(returned_case):
    from awda.reintegration.plans.caps import rule_label

    label = rule_label(rule(vulnerability="vot"), returned_case.project)
    assert "vot" not in label
