import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from awda.screening.health.selectors import FitnessStatus, fitness_for

from ..helpers import record_fitness

TODAY = timezone.localdate()


def test_newest_decision_of_each_person_in_one_query(medical_officer, family):
    mother, son0, son1 = [m.person for m in family.members.select_related("person")]
    record_fitness(medical_officer, family, mother, "pending")
    record_fitness(
        medical_officer,
        family,
        mother,
        "fit_with_escort",
        escort="non_medical",
        special_needs=["wheelchair_ramp"],
        remarks="Needs help at transit",
    )
    record_fitness(
        medical_officer, family, son0, "fit", decided_on=TODAY - datetime.timedelta(days=9)
    )
    with CaptureQueriesContext(connection) as ctx:
        result = fitness_for(family, on_date=TODAY)
    assert len(ctx.captured_queries) == 1
    assert set(result) == {mother.pk, son0.pk}  # son1 has no decision
    assert result[mother.pk] == FitnessStatus(
        outcome="fit_with_escort",
        decided_on=TODAY,
        valid_until=TODAY + datetime.timedelta(days=7),
        valid_on_date=True,
        escort="non_medical",
        special_needs=("wheelchair_ramp",),
        remarks="Needs help at transit",
    )
    assert result[mother.pk].allows_travel
    assert not result[son0.pk].valid_on_date and not result[son0.pk].allows_travel
    # on the flight date, a week later, the mother's decision has expired
    later = fitness_for(family, [mother.pk], on_date=TODAY + datetime.timedelta(days=8))
    assert set(later) == {mother.pk} and not later[mother.pk].allows_travel
