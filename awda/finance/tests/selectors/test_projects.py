import datetime

from awda.factories import ProjectFactory
from awda.finance.selectors import project_list_for, project_rule_failures

TODAY = datetime.date(2026, 6, 1)


def test_project_without_restrictions_accepts_any_case(morocco, rabat):
    project = ProjectFactory(
        mission=morocco, start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 12, 31)
    )
    assert (
        project_rule_failures(
            project, office_id=rabat.pk, nationalities=["GN", "ML"], on_date=TODAY
        )
        == []
    )


def test_each_rule_gives_a_reason(morocco, rabat, oujda):
    project = ProjectFactory(
        mission=morocco,
        code="P-RULES",
        is_active=False,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 12, 31),
        eligible_nationalities=["GN"],
    )
    project.eligible_offices.add(oujda)
    failures = project_rule_failures(
        project, office_id=rabat.pk, nationalities=["GN", "SN", "ML"], on_date=TODAY
    )
    assert len(failures) == 5  # inactive, period, office, two nationalities
    assert any("P-RULES" in f and "active" in f for f in failures)
    assert project_rule_failures(
        project, office_id=oujda.pk, nationalities=["GN"], on_date=datetime.date(2025, 5, 5)
    ) == [failures[0]]


def test_period_bounds_are_inclusive(morocco, rabat):
    project = ProjectFactory(mission=morocco, start_date=TODAY, end_date=TODAY)
    assert project_rule_failures(project, office_id=rabat.pk, nationalities=[], on_date=TODAY) == []
    assert project_rule_failures(
        project, office_id=rabat.pk, nationalities=[], on_date=TODAY + datetime.timedelta(days=1)
    )


def test_projects_are_listed_for_staff_of_the_mission(
    morocco, guinea, caseworker, origin_officer, auditor
):
    ma = ProjectFactory(mission=morocco, code="MA-1")
    ProjectFactory(
        mission=morocco,
        code="MA-OLD",
        end_date=datetime.date(2020, 1, 1),
        start_date=datetime.date(2019, 1, 1),
    )
    gn = ProjectFactory(mission=guinea, code="GN-1")
    assert {p.code for p in project_list_for(caseworker)} == {"MA-1", "MA-OLD"}
    assert [p.code for p in project_list_for(caseworker, active_only=True)] == [ma.code]
    assert [p.code for p in project_list_for(origin_officer)] == [gn.code]
    assert list(project_list_for(caseworker, mission_ids=[guinea.pk])) == []
    assert {p.code for p in project_list_for(auditor)} == {"MA-1", "MA-OLD"}
