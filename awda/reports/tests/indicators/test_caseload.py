"""The caseload indicator over a hand-built year of applications (2025), whose figures are worked
out here, then over cases moved by the real workflow services.

Rabat and Oujda (the M&E officer `me_both` counts both):
- K1 (Rabat, project P): Aminata (GN, female, 34) and her son Ibrahim (GN, male, 17 when
  registered on 10 January, 18 on 3 March when found eligible); her husband Sekou is a member who
  does not travel. Counselling 12 January; on hold 1 February, resumed 10 February (not a new
  entry into counselling); eligible 3 March.
- K2 (Rabat): Moussa (CI, male, 55), registered on 20 December 2024; counselling 5 January, not
  eligible 20 February.
- K3 (Oujda): Kadi (GN, female, born in 2000), registered 1 June, counselling 2 June, on hold
  1 July, withdrawn from hold 15 July (a withdrawal: counted).
- K4 (Rabat): Fode (SN, male, 30), registered 30 November; counselling on 2 January 2026.
Not counted: a case registered in 2026 (K5) and a case of the Tunisian mission (KT)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from awda.accounts.choices import Role
from awda.cases.choices import Status
from awda.cases.models import CaseMember, CaseTransition
from awda.reports.indicators import caseload
from awda.reports.indicators.base import SUPPRESSED, Filters
from awda.reports.indicators.registry import INDICATORS, compute
from awda.reports.indicators.suppression import suppress

from . import helpers as h
from .conftest import YEAR

D = datetime.date
S = Status

MEASURES = [c.key for c in caseload.CASELOAD_COLUMNS]


def year(**kwargs):
    return Filters(**YEAR, **kwargs)


def by_label(table):
    return dict(zip(table.labels, table.rows, strict=True))


def figures(row, *keys):
    return {k: row[k] for k in (keys or MEASURES)}


def move(case, day, from_status, to_status, name="move"):
    """A workflow move written straight to the database, at 10:00 on `day` (site time)."""
    t = CaseTransition.objects.create(
        case=case,
        name=name,
        from_status=from_status,
        to_status=to_status,
        actor=h.staff(case.office),
        office=case.office,
    )
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    CaseTransition.objects.filter(pk=t.pk).update(occurred_at=at)
    return t


@pytest.fixture
def applications(rabat, oujda, tunis, projects):
    w = {}
    w["aminata"] = h.person(rabat, given="Aminata", family="Camara", born=D(1990, 3, 5))
    w["ibrahim"] = h.person(rabat, given="Ibrahim", family="Camara", sex="male", born=D(2007, 2, 1))
    w["sekou"] = h.person(rabat, given="Sekou", family="Camara", sex="male", born=D(1985, 1, 1))
    w["K1"] = h.case(
        rabat,
        [w["aminata"], w["ibrahim"], w["sekou"]],
        registered_on=D(2025, 1, 10),
        project=projects["P"],
        status=S.ELIGIBLE,
    )
    CaseMember.objects.filter(case=w["K1"], person=w["sekou"]).update(travels=False)
    move(w["K1"], D(2025, 1, 12), S.REGISTERED, S.COUNSELLING, "start_counselling")
    move(w["K1"], D(2025, 2, 1), S.COUNSELLING, S.ON_HOLD, "put_on_hold")
    move(w["K1"], D(2025, 2, 10), S.ON_HOLD, S.COUNSELLING, "resume")
    move(w["K1"], D(2025, 2, 20), S.COUNSELLING, S.SCREENING, "start_screening")
    move(w["K1"], D(2025, 3, 3), S.SCREENING, S.ELIGIBLE, "approve_eligibility")

    w["moussa"] = h.person(
        rabat, given="Moussa", family="Kone", sex="male", born=D(1970, 1, 1), nationality="CI"
    )
    w["K2"] = h.case(
        rabat,
        [w["moussa"]],
        registered_on=D(2024, 12, 20),
        country_of_return="CI",
        status=S.NOT_ELIGIBLE,
    )
    move(w["K2"], D(2025, 1, 5), S.REGISTERED, S.COUNSELLING, "start_counselling")
    move(w["K2"], D(2025, 2, 1), S.COUNSELLING, S.SCREENING, "start_screening")
    move(w["K2"], D(2025, 2, 20), S.SCREENING, S.NOT_ELIGIBLE, "reject_eligibility")

    w["kadi"] = h.person(oujda, given="Kadi", family="Sylla", year=2000)
    w["K3"] = h.case(oujda, [w["kadi"]], registered_on=D(2025, 6, 1), status=S.WITHDRAWN)
    move(w["K3"], D(2025, 6, 2), S.REGISTERED, S.COUNSELLING, "start_counselling")
    move(w["K3"], D(2025, 7, 1), S.COUNSELLING, S.ON_HOLD, "put_on_hold")
    move(w["K3"], D(2025, 7, 15), S.ON_HOLD, S.WITHDRAWN, "withdraw")

    w["fode"] = h.person(
        rabat, given="Fode", family="Sane", sex="male", born=D(1995, 1, 1), nationality="SN"
    )
    w["K4"] = h.case(
        rabat,
        [w["fode"]],
        registered_on=D(2025, 11, 30),
        country_of_return="SN",
        status=S.COUNSELLING,
    )
    move(w["K4"], D(2026, 1, 2), S.REGISTERED, S.COUNSELLING, "start_counselling")

    w["lamine"] = h.person(rabat, given="Lamine", family="Keita", sex="male")
    w["K5"] = h.case(rabat, [w["lamine"]], registered_on=D(2026, 1, 3))
    w["salah"] = h.person(tunis, given="Salah", family="Traore", sex="male")
    w["KT"] = h.case(tunis, [w["salah"]], registered_on=D(2025, 3, 1), status=S.WITHDRAWN)
    move(w["KT"], D(2025, 3, 2), S.REGISTERED, S.WITHDRAWN, "withdraw")
    return w


def test_the_totals_of_the_year(applications, me_both):
    table = caseload.caseload(me_both, year(by="total"))
    assert table.rows == table.totals
    assert figures(table.totals[0]) == {
        "registered_cases": 3,  # K1, K3, K4 (K2 was registered in 2024)
        "registered_persons": 4,  # Aminata, Ibrahim (Sekou does not travel), Kadi, Fode
        "counselled_cases": 3,  # K1, K2, K3 (K4 in 2026); K1's resume is not a new entry
        "counselled_persons": 4,
        "eligible_cases": 1,
        "eligible_persons": 2,
        "not_eligible_cases": 1,
        "not_eligible_persons": 1,
        "withdrawn_cases": 1,  # K3, withdrawn from hold
        "withdrawn_persons": 1,
    }


def test_each_fact_is_in_the_month_it_happened(applications, me_both):
    table = caseload.caseload(me_both, year())  # by month, the default
    assert table.by == "month" and len(table.rows) == 12  # empty months included
    months = {row["period_start"].month: row for row in table.rows}
    assert figures(months[1], "registered_cases", "registered_persons") == {
        "registered_cases": 1,
        "registered_persons": 2,
    }
    assert figures(months[1], "counselled_cases", "counselled_persons") == {
        "counselled_cases": 2,  # K1 and K2
        "counselled_persons": 3,
    }
    assert months[2]["counselled_cases"] == 0  # the resume from hold
    assert months[2]["not_eligible_cases"] == 1
    assert months[3]["eligible_persons"] == 2
    assert (months[6]["registered_cases"], months[6]["counselled_cases"]) == (1, 1)
    assert months[7]["withdrawn_cases"] == 1
    assert months[11]["registered_persons"] == 1
    assert all(not any(months[m][k] for k in MEASURES) for m in (4, 5, 8, 9, 10, 12))
    # the totals are the year's, computed once (not the sum of the rows)
    assert table.totals[0]["counselled_cases"] == 3


def test_by_nationality_uses_each_persons_nationality(applications, me_both):
    rows = by_label(caseload.caseload(me_both, year(by="nationality")))
    assert list(rows) == ["Guinea", "Senegal", "Côte d'Ivoire"]  # the most registered first
    assert figures(rows["Guinea"], "registered_cases", "registered_persons") == {
        "registered_cases": 2,
        "registered_persons": 3,
    }
    assert rows["Guinea"]["nationality_iso3"] == "GIN"
    assert figures(rows["Côte d'Ivoire"], "counselled_cases", "not_eligible_persons") == {
        "counselled_cases": 1,
        "not_eligible_persons": 1,
    }
    only_guineans = caseload.caseload(me_both, year(by="total", nationality="GN")).totals[0]
    assert only_guineans["counselled_persons"] == 3 and only_guineans["not_eligible_cases"] == 0


def test_age_is_the_age_on_the_day_of_each_fact(applications, me_both):
    rows = by_label(caseload.caseload(me_both, year(by="age_group")))
    # Ibrahim is 17 when registered and counselled, 18 when found eligible
    assert rows["12-17"]["registered_persons"] == 1 and rows["12-17"]["counselled_persons"] == 1
    assert rows["12-17"]["eligible_persons"] == 0
    assert rows["18-24"]["eligible_persons"] == 1
    # Aminata (34), Kadi (25, year of birth only), Fode (30); Moussa (55) counselled
    assert rows["25-59"]["registered_persons"] == 3 and rows["25-59"]["counselled_persons"] == 3


def test_by_sex_counts_persons_and_the_cases_they_belong_to(applications, me_both):
    rows = by_label(caseload.caseload(me_both, year(by="sex")))
    assert figures(rows["Female"], "registered_cases", "registered_persons") == {
        "registered_cases": 2,  # K1 (Aminata), K3 (Kadi)
        "registered_persons": 2,
    }
    assert figures(rows["Male"], "registered_cases", "eligible_cases", "not_eligible_cases") == {
        "registered_cases": 2,  # K1 (Ibrahim), K4
        "eligible_cases": 1,
        "not_eligible_cases": 1,
    }


def test_filters_office_and_project(applications, me_both, oujda, projects):
    oujda_only = caseload.caseload(me_both, year(by="total", office=oujda.pk)).totals[0]
    assert figures(oujda_only, "registered_cases", "counselled_cases", "withdrawn_cases") == {
        "registered_cases": 1,
        "counselled_cases": 1,
        "withdrawn_cases": 1,
    }
    # the project is the case's (set when eligibility is approved)
    p = caseload.caseload(me_both, year(by="total", project=projects["P"].pk)).totals[0]
    assert figures(p, "registered_persons", "counselled_persons", "eligible_persons") == {
        "registered_persons": 2,
        "counselled_persons": 2,
        "eligible_persons": 2,
    }
    assert p["not_eligible_cases"] == 0


def test_scope_follows_the_users_offices(applications, rabat):
    from awda.factories import member_of

    me_rabat = member_of(rabat, Role.ME, "me.rabat.only")
    total = caseload.caseload(me_rabat, year(by="total")).totals[0]
    assert total["registered_cases"] == 2  # K1, K4: not Oujda's K3, never Tunis's KT
    assert total["withdrawn_cases"] == 0


def test_registered_in_the_registry_with_its_definition():
    indicator = INDICATORS["caseload"]
    assert indicator.default_by == "month"
    assert {"nationality", "sex", "age_group", "office", "project", "donor"} <= set(
        indicator.dimensions
    )
    assert [c.key for c in indicator.measures] == MEASURES
    tags = {c.key: c.hxl for c in indicator.measures}
    assert tags["registered_persons"] == "#targeted+ind+registered"
    assert tags["counselled_cases"] == "#reached+hh+counselled"
    assert tags["withdrawn_persons"] == "#indicator+num+ind+withdrawn"
    assert len(set(tags.values())) == len(tags)


def test_small_cells_are_suppressed(applications, me_both):
    table = suppress(caseload.caseload(me_both, year(by="nationality")), 3)
    guinea, senegal = by_label(table)["Guinea"], by_label(table)["Senegal"]
    assert guinea["registered_cases"] is SUPPRESSED  # 2
    assert guinea["not_eligible_cases"] == 0  # zero: shown
    assert senegal["registered_persons"] is SUPPRESSED  # 1
    # Guinea's 3 is at the threshold, but with the total (4) it would give Senegal's 1 away
    assert guinea["registered_persons"] is SUPPRESSED
    assert table.totals[0]["registered_persons"] == 4  # the total stays
    total = suppress(caseload.caseload(me_both, year(by="total")), 3).rows[0]
    assert (total["registered_cases"], total["registered_persons"]) == (3, 4)  # at k: shown


def test_a_fixed_number_of_queries(applications, me_both, rabat):
    def run():
        me_both._awda_scope = None
        with CaptureQueriesContext(connection) as ctx:
            caseload.caseload(me_both, year(by="nationality"))
        return len(ctx.captured_queries)

    before = run()
    for i in range(3):
        p = h.person(rabat, given=f"Extra{i}", family="Person", nationality="ML")
        c = h.case(rabat, [p], registered_on=D(2025, 4, 1 + i))
        move(c, D(2025, 4, 2 + i), S.REGISTERED, S.COUNSELLING)
        move(c, D(2025, 4, 3 + i), S.COUNSELLING, S.WITHDRAWN)
    assert run() == before <= 6


# ---- through the workflow services ---------------------------------------------------------------


def test_cases_moved_by_the_workflow_services_are_counted(caseworker, manager, auditor, rabat):
    """The real services write what the indicator reads: registration, counselling (a hold and
    a resume are not a second entry), eligibility, withdrawal from hold."""
    from awda.cases.services import case_transition
    from awda.factories import bring_case_to, person_data, register_case

    family = register_case(
        caseworker,
        rabat,
        members=[
            {
                "relationship": "child",
                "person": person_data(given_name="Binta", sex="female"),
                "travels": True,
            },
            {
                "relationship": "spouse",
                "person": person_data(given_name="Mariama", sex="female"),
                "travels": False,
            },
        ],
    )
    family = case_transition(caseworker, case=family, name="start_counselling")
    family = case_transition(caseworker, case=family, name="put_on_hold", reason="Ill")
    family = case_transition(caseworker, case=family, name="resume")
    bring_case_to(family, "eligible", caseworker=caseworker, manager=manager)
    alone = register_case(caseworker, rabat, principal=person_data(given_name="Alpha"))
    alone = case_transition(caseworker, case=alone, name="start_counselling")
    alone = case_transition(caseworker, case=alone, name="put_on_hold", reason="Travelling")
    case_transition(caseworker, case=alone, name="withdraw", reason="Changed their mind")

    total = compute("caseload", auditor, Filters.default(by="total")).totals[0]
    assert figures(total) == {
        "registered_cases": 2,
        "registered_persons": 3,  # the spouse does not travel
        "counselled_cases": 2,
        "counselled_persons": 3,
        "eligible_cases": 1,
        "eligible_persons": 2,
        "not_eligible_cases": 0,
        "not_eligible_persons": 0,
        "withdrawn_cases": 1,
        "withdrawn_persons": 1,
    }


# ---- dashboard and downloads ----------------------------------------------------------------------


def test_the_dashboard_shows_the_caseload_to_the_me_officer(client, applications, me_both):
    from django.urls import reverse

    client.force_login(me_both)
    params = {"date_from": "2025-01-01", "date_to": "2025-12-31", "by": "nationality"}
    response = client.get(reverse("reports:dashboard"), params)
    card = next(c for c in response.context["cards"] if c["code"] == "caseload")
    guinea = next(r for r in card["rows"] if r["label"] == "Guinea")
    cells = {c["key"]: c["text"] for c in guinea["cells"]}
    assert (cells["registered_persons"], cells["counselled_persons"]) == ("3", "3")
    assert guinea["url"] is None  # aggregates only: no link to the cases
    html = response.content.decode()
    assert 'data-code="caseload"' in html
    for key in ("aminata", "ibrahim", "moussa", "kadi", "fode"):
        assert applications[key].family_name not in html


def test_the_hxl_file_has_the_caseload_hashtags(client, applications, me_both):
    import io

    import hxl
    from django.urls import reverse

    client.force_login(me_both)
    response = client.get(
        reverse("reports:indicator_download", args=["caseload", "hxl"]),
        {"date_from": "2025-01-01", "date_to": "2025-12-31", "by": "nationality"},
    )
    assert response.status_code == 200
    source = hxl.data(io.BytesIO(response.content))
    tags = [c.display_tag for c in source.columns]
    assert tags[5:] == [c.hxl for c in caseload.CASELOAD_COLUMNS]
    rows = [dict(zip(tags, row.values, strict=True)) for row in source]
    assert [r["#country+nationality+code+v_iso3"] for r in rows] == ["GIN", "SEN", "CIV"]
    guinea = rows[0]
    assert guinea["#targeted+ind+registered"] == ""  # 3: under 11
    assert guinea["#indicator+num+hh+not_eligible"] == "0"
