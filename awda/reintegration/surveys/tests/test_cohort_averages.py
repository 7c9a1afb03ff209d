"""cohort_averages as a selector: the baselines and each returnee's latest follow-up per case,
whatever the number of follow-ups, ties and voided ones."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from awda.factories import person_data, register_case
from awda.reintegration.models import Survey
from awda.reintegration.surveys.instrument import active_instrument
from awda.reintegration.surveys.selectors import cohort_averages

TODAY = timezone.localdate()


def survey(case, person, user, kind, days_ago, composite, *, voided=False):
    score = Decimal(composite)
    return Survey.objects.create(
        case=case,
        person=person,
        instrument=active_instrument(),
        kind=kind,
        conducted_on=TODAY - datetime.timedelta(days=days_ago),
        age=40,
        economic=score,
        social=score / 2,
        psychosocial=Decimal("0.5"),
        composite=score,
        conducted_by=user,
        voided_at=timezone.now() if voided else None,
    )


def test_only_the_latest_valid_follow_up_of_each_person_and_case_counts(
    returned_case, person, origin_officer, caseworker, rabat, auditor
):
    other_case = register_case(
        caseworker, rabat, principal=person_data(given_name="Awa", sex="female", nationality="ML")
    )
    awa = other_case.principal
    survey(returned_case, person, origin_officer, "baseline", 90, "0.30")
    survey(returned_case, person, origin_officer, "follow_up", 30, "0.40")
    survey(returned_case, person, origin_officer, "follow_up", 10, "0.50")
    survey(returned_case, person, origin_officer, "follow_up", 10, "0.70")  # same day, later id
    survey(returned_case, person, origin_officer, "follow_up", 5, "0.90", voided=True)
    survey(other_case, awa, origin_officer, "baseline", 60, "0.20")
    survey(other_case, awa, origin_officer, "follow_up", 2, "0.80")
    survey(other_case, awa, origin_officer, "follow_up", 20, "0.60")  # later id, older
    survey(other_case, person, origin_officer, "follow_up", 3, "0.10")  # same person, other case

    rows = cohort_averages(auditor, group_by="kind")  # M&E of Rabat: both cases
    assert [(r["kind"], r["n"], r["composite"]) for r in rows] == [
        ("baseline", 2, Decimal("0.2500")),
        ("follow_up", 3, Decimal("0.5333")),  # 0.70, 0.80 and 0.10
    ]
    assert rows[1]["social"] == Decimal("0.2667")
    by_nationality = cohort_averages(auditor, group_by="nationality")
    assert [(r["group"], r["kind"], r["n"], r["composite"]) for r in by_nationality] == [
        ("GN", "baseline", 1, Decimal("0.3000")),
        ("GN", "follow_up", 2, Decimal("0.4000")),
        ("ML", "baseline", 1, Decimal("0.2000")),
        ("ML", "follow_up", 1, Decimal("0.8000")),
    ]
    # a filter applies after the latest follow-up is picked: Awa's latest is not replaced
    women = cohort_averages(auditor, group_by="sex", filters={"kind": "follow_up", "sex": "female"})
    assert [(r["n"], r["composite"]) for r in women] == [(1, Decimal("0.8000"))]
    # the origin officer counts only the case handed over to Guinea
    mine = cohort_averages(origin_officer, group_by="kind")
    assert [(r["kind"], r["n"], r["composite"]) for r in mine] == [
        ("baseline", 1, Decimal("0.3000")),
        ("follow_up", 1, Decimal("0.7000")),
    ]


def test_the_averages_take_one_query(returned_case, person, origin_officer):
    survey(returned_case, person, origin_officer, "follow_up", 3, "0.40")
    cohort_averages(origin_officer, group_by="project")
    with CaptureQueriesContext(connection) as ctx:
        rows = cohort_averages(origin_officer, group_by="project")
    assert len(rows) == 1 and len(ctx.captured_queries) <= 1


def test_scores_of_another_instrument_version_are_not_averaged_with_the_one_in_use(
    returned_case, person, origin_officer
):
    """Versions weigh answers differently: the averages are of one version, by default the one
    in use for new surveys; another version is asked for explicitly."""
    from awda.reintegration.models import Instrument, Survey
    from awda.reintegration.surveys.instrument import active_instrument
    from awda.reintegration.surveys.selectors import cohort_averages
    from awda.reintegration.surveys.services import survey_record

    from .helpers import answers_with

    in_use = active_instrument()
    survey_record(
        origin_officer, case=returned_case, person=person, kind="baseline", answers=answers_with()
    )
    old = Instrument.objects.create(
        code="rss", version="old-0", name="old", definition=in_use.definition, checksum="x",
        is_active=False,
    )  # fmt: skip
    Survey.objects.filter(case=returned_case).update(instrument=old)
    assert cohort_averages(origin_officer, group_by="kind") == []
    rows = cohort_averages(origin_officer, group_by="kind", filters={"instrument": old.pk})
    assert [r["n"] for r in rows] == [1]
