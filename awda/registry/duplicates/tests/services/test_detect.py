import pytest

from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied
from awda.factories import person_data, register_case
from awda.registry.duplicates import services
from awda.registry.duplicates.choices import PairSource, PairStatus, RunStatus, RunTrigger
from awda.registry.duplicates.models import DetectionRun, DuplicatePair
from awda.registry.models import Person

from ..conftest import detect, pair_of, same_man

pytestmark = pytest.mark.django_db


def test_a_run_puts_the_two_registrations_of_one_man_in_the_queue_with_reasons(
    rabat_case, oujda_case, manager, morocco, django_capture_on_commit_callbacks
):
    run = detect(manager, morocco, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.DONE and run.percent == 100
    assert run.persons_compared == 2 and run.total == 2
    assert run.pairs_found == 1 and run.pairs_new == 1
    pair = pair_of(rabat_case.principal, oujda_case.principal)
    assert pair.person_a_id < pair.person_b_id
    assert pair.status == PairStatus.OPEN and pair.source == PairSource.BATCH
    assert pair.run == run and pair.mission == morocco and pair.score >= 0.5
    codes = {r["code"] for r in pair.reasons}
    assert "same_date_of_birth" in codes
    assert all({"code", "params", "weight"} <= set(r) for r in pair.reasons)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {services.RUN_REQUESTED, services.RUN_COMPLETED} <= actions


def test_members_of_one_case_are_never_proposed_even_twins(
    twins_case, manager, morocco, django_capture_on_commit_callbacks
):
    run = detect(manager, morocco, django_capture_on_commit_callbacks)

    assert run.persons_compared == 2 and run.pairs_found == 0
    assert not DuplicatePair.objects.exists()


def test_a_second_run_updates_the_open_pair_and_never_duplicates_it(
    the_pair, manager, morocco, django_capture_on_commit_callbacks
):
    DuplicatePair.objects.filter(pk=the_pair.pk).update(score=0.51, reasons=[])
    run = detect(manager, morocco, django_capture_on_commit_callbacks)

    assert run.pairs_new == 0 and run.pairs_updated == 1
    assert DuplicatePair.objects.count() == 1
    the_pair.refresh_from_db()
    assert the_pair.score > 0.51 and the_pair.reasons and the_pair.run == run


def test_a_rejected_pair_is_never_proposed_again(
    the_pair, manager, morocco, django_capture_on_commit_callbacks
):
    services.pair_reject(
        manager, pair=the_pair, expected_version=the_pair.version, note="Cousins, checked with both"
    )
    run = detect(manager, morocco, django_capture_on_commit_callbacks)

    assert run.pairs_found == 1 and run.pairs_new == 0 and run.pairs_updated == 0
    the_pair.refresh_from_db()
    assert the_pair.status == PairStatus.REJECTED
    assert the_pair.decision_note == "Cousins, checked with both"
    assert DuplicatePair.objects.count() == 1


def test_an_open_pair_no_longer_found_is_closed_by_a_full_run(
    the_pair, manager, morocco, django_capture_on_commit_callbacks
):
    # The Oujda record is corrected: he was someone else after all.
    Person.objects.filter(pk=the_pair.person_b_id).update(
        given_name="Mamadou",
        family_name="Sow",
        date_of_birth="1990-01-01",
        birth_year=1990,
        phone="",
        other_names="",
    )
    run = detect(manager, morocco, django_capture_on_commit_callbacks)

    assert run.pairs_found == 0 and run.pairs_closed == 1
    the_pair.refresh_from_db()
    assert the_pair.status == PairStatus.CLOSED and the_pair.closed_reason == "not_detected"


def test_an_import_run_keeps_only_the_pairs_of_the_imported_persons(
    rabat_case, oujda_case, caseworker, rabat, manager, morocco, django_capture_on_commit_callbacks
):
    # Another pair of look-alikes already in the registry, not part of the import.
    a = register_case(
        caseworker,
        rabat,
        principal=person_data(
            given_name="Awa", family_name="Bah", sex="female", phone="+212 611 00 00 01"
        ),
    ).principal
    b = register_case(
        caseworker,
        rabat,
        principal=person_data(
            given_name="Awa", family_name="Bah", sex="female", phone="+212 611 00 00 01"
        ),
    ).principal
    with django_capture_on_commit_callbacks(execute=True):
        run = services.duplicates_detect_later(
            None, mission=morocco, person_ids=[oujda_case.principal.pk]
        )
    run.refresh_from_db()

    assert run.trigger == RunTrigger.IMPORT and run.status == RunStatus.DONE
    assert run.persons_compared == 4 and run.pairs_found == 1
    pair = pair_of(rabat_case.principal, oujda_case.principal)
    assert pair.source == PairSource.IMPORT
    assert not DuplicatePair.objects.filter(person_a_id=min(a.pk, b.pk)).exists()


def test_import_without_persons_starts_nothing(morocco):
    assert services.duplicates_detect_later(None, mission=morocco, person_ids=[]) is None
    assert not DetectionRun.objects.exists()


def test_other_missions_persons_are_not_read(
    rabat_case, tunis, tunisia_manager, django_capture_on_commit_callbacks
):
    register_case(tunisia_manager, tunis, principal=same_man())
    run = detect(tunisia_manager, tunis.mission, django_capture_on_commit_callbacks)

    assert run.persons_compared == 1 and run.pairs_found == 0


def test_merged_persons_are_not_read(
    the_pair, manager, morocco, django_capture_on_commit_callbacks
):
    Person.objects.filter(pk=the_pair.person_b_id).update(merged_into=the_pair.person_a_id)
    run = detect(manager, morocco, django_capture_on_commit_callbacks)

    assert run.persons_compared == 1


@pytest.mark.parametrize(
    "persona", ["caseworker", "protection_officer", "auditor", "oujda_manager"]
)
def test_only_managers_of_the_mission_start_a_run(persona, request, morocco, tunisia_manager):
    user = request.getfixturevalue(persona)
    if persona == "oujda_manager":  # a manager of another office of the mission may
        assert services.duplicates_detect(user, mission=morocco).pk
        return
    with pytest.raises(PermissionDenied):
        services.duplicates_detect(user, mission=morocco)
    with pytest.raises(PermissionDenied):
        services.duplicates_detect(tunisia_manager, mission=morocco)
    assert not DetectionRun.objects.exists()


def test_a_full_run_asked_for_twice_while_queued_is_started_once(manager, morocco):
    first = services.duplicates_detect(manager, mission=morocco)
    second = services.duplicates_detect(manager, mission=morocco)
    assert first.pk == second.pk and DetectionRun.objects.count() == 1


def test_the_nightly_schedule_runs_every_active_mission(
    rabat_case, oujda_case, morocco, tunis, django_capture_on_commit_callbacks
):
    from awda.registry.duplicates.tasks import detect_all_missions

    with django_capture_on_commit_callbacks(execute=True):
        started = detect_all_missions()
    runs = DetectionRun.objects.filter(pk__in=started)
    assert {r.mission_id for r in runs} == {morocco.pk, tunis.mission_id}
    assert {r.trigger for r in runs} == {RunTrigger.SCHEDULE}
    assert all(r.status == RunStatus.DONE for r in runs)
    assert DuplicatePair.objects.get().source == PairSource.SCHEDULE


def test_an_engine_failure_fails_the_run_with_a_message(
    rabat_case, manager, morocco, monkeypatch, django_capture_on_commit_callbacks
):
    from awda.registry import matching

    def broken(records, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(matching, "find_pairs", broken)
    run = detect(manager, morocco, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.FAILED and f"#{run.pk}" in run.error
    assert AuditEvent.objects.filter(action=services.RUN_FAILED).count() == 1


def test_reading_the_persons_takes_three_queries_a_chunk(
    rabat_case, oujda_case, twins_case, morocco, django_assert_num_queries
):
    from awda.registry.duplicates import detection

    persons = detection.mission_persons(morocco.pk)
    with django_assert_num_queries(3 * 2 + 1):  # chunks of 2 persons; the last read is empty
        records = list(detection.iter_records(persons, chunk=2))
    assert len(records) == 4
    twins = [r for r in records if r.given_name == "Lansana"]
    assert twins[0].households == twins[1].households == {twins_case.pk}
    ousmane = next(r for r in records if r.id == rabat_case.principal_id)
    assert ousmane.documents == ("R1234567",)
