import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from awda.accounts.choices import Role
from awda.accounts.models import Membership, Mission, Office, User
from awda.audit.models import AuditEvent
from awda.cases.choices import Status, TaskStatus
from awda.cases.models import Case, CaseTransition, Note, Task
from awda.cases.policies import can
from awda.demo.reference import demo_logins
from awda.finance.models import Donor, Project
from awda.registry.models import Organisation, Person

REFERENCE = datetime.date(2026, 6, 15)
pytestmark = pytest.mark.django_db


def seed(cases=20, seed=7, **options):
    out = StringIO()
    call_command(
        "seed_demo",
        cases=cases,
        seed=seed,
        reference_date=REFERENCE,
        stdout=out,
        stderr=StringIO(),
        **options,
    )
    return out.getvalue()


def test_refuses_outside_demo_mode(settings):
    settings.AWDA_DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        seed(cases=0)
    assert not Mission.objects.exists()


def test_refuses_without_a_demo_password(settings):
    settings.AWDA_DEMO_PASSWORD = ""
    with pytest.raises(CommandError, match="AWDA_DEMO_PASSWORD"):
        seed(cases=0)
    assert not User.objects.exists()


def test_creates_missions_offices_and_one_user_per_role_and_office():
    seed(cases=0)
    assert Mission.objects.get(code="MA").offices.count() == 3
    assert set(Office.objects.values_list("code", flat=True)) >= {
        "RBA", "CAS", "OUJ", "CKY", "ABJ", "DKR", "YAO", "BKO", "OUA", "LOS"
    }  # fmt: skip
    for name in ("caseworker.rabat", "manager.rabat", "me.oujda", "reintegration.conakry",
                 "manager.yaounde", "admin.casablanca"):  # fmt: skip
        user = User.objects.get(username=name)
        assert user.check_password("demo-pass-2026")
    assert User.objects.count() == len(demo_logins())
    assert Membership.objects.get(user__username="reintegration.conakry").office.code == "CKY"
    assert not Membership.objects.filter(office__mission__code="GN", role=Role.MOVEMENT).exists()
    assert Donor.objects.filter(short_name__in=["SEM", "UE", "Belgique", "Norvège"]).count() == 4
    assert Donor.objects.get(short_name="SEM").name == "Secrétariat d'État aux migrations (SEM)"
    assert Project.objects.get(code="MA-SEM-2026", eligible_nationalities=[]).name == (
        "AVRR Maroc - SEM 2026"
    )
    assert Mission.objects.get(code="MA").name == "Maroc"
    assert Organisation.objects.filter(name="HCR Rabat", kind="un_agency").exists()
    assert Organisation.objects.filter(name__startswith="Hôpital Ibn Sina (Avicenne)").exists()
    assert Organisation.objects.filter(
        kind="authority", name__startswith="Ministère de l'Int"
    ).exists()
    assert Organisation.objects.filter(kind="carrier", name="Royal Air Maroc").exists()


def test_administrators_manage_reference_data_but_see_no_case():
    seed(cases=0)
    admin = User.objects.get(username="admin.rabat")
    assert admin.is_staff and not admin.is_superuser
    for perm in ("accounts.change_office", "accounts.add_membership", "finance.change_project",
                 "registry.add_organisation", "accounts.change_user"):  # fmt: skip
        assert admin.has_perm(perm)
    assert not admin.has_perm("cases.view_case")
    assert not can(admin, "case.view")
    assert not User.objects.get(username="caseworker.rabat").is_staff


def test_reference_data_is_created_once():
    seed(cases=0)
    counts = [m.objects.count() for m in (Mission, Office, User, Membership, Project, Organisation)]
    seed(cases=0)
    assert counts == [
        m.objects.count() for m in (Mission, Office, User, Membership, Project, Organisation)
    ]


def test_cases_cover_every_status_through_the_services():
    output = seed(cases=20)
    assert "20 cases created" in output
    assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)
    cases = Case.objects.all()
    for case in cases:
        assert case.registered_on < REFERENCE
        assert case.registered_on >= REFERENCE - datetime.timedelta(days=3 * 365 + 1)
        assert AuditEvent.objects.filter(case_id=case.pk, action="cases.case.registered").exists()
    transitions = CaseTransition.objects.all()
    assert (
        transitions.count() == AuditEvent.objects.filter(action="cases.case.transitioned").count()
    )
    assert all(t.occurred_at.date() < REFERENCE for t in transitions)
    for eligible in Case.objects.filter(status=Status.ELIGIBLE):
        assert eligible.project is not None and eligible.declaration_signed_on is not None
    assert all(Case.objects.filter(status=Status.CLOSED).values_list("closure_reason", flat=True))


def test_returned_cases_are_reintegrated_by_the_origin_mission():
    from awda.reintegration.models import MonitoringVisit, Plan, ReintegrationFile, Survey

    seed(cases=24, seed=7)
    files = ReintegrationFile.objects.select_related("case", "accepted_by")
    assert files.exists()
    for file in files:
        # accepted by a reintegration officer of the receiving mission's office
        assert file.office.mission_id == file.case.receiving_mission_id
        assert can(file.accepted_by, "reintegration.record", file.case)
    in_reintegration = Case.objects.filter(status__in=[Status.REINTEGRATION, Status.MONITORING])
    assert in_reintegration.exists()
    assert all(ReintegrationFile.objects.filter(case=c).exists() for c in in_reintegration)
    monitoring = Case.objects.filter(status=Status.MONITORING)
    for case in monitoring:
        assert Plan.objects.filter(case=case, status="approved").exists()
        assert MonitoringVisit.objects.filter(case=case).count() >= 3
    assert Survey.objects.filter(kind="baseline").exists()
    assert Survey.objects.filter(kind="follow_up").exists()
    events = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "reintegration.handover.accepted",
        "reintegration.plan.approved",
        "reintegration.survey.recorded",
    } <= events


def test_case_content_is_written_in_french():
    seed(cases=20)
    notes = list(Note.objects.values_list("body", flat=True))
    assert any(n.startswith("Entretien de conseil en ") for n in notes)
    titles = set(Task.objects.values_list("title", flat=True))
    assert any(t.startswith("Demander le laissez-passer au consulat ") for t in titles)
    assert "Faire signer la déclaration de retour volontaire" in titles
    texts = notes + list(titles)
    for t in CaseTransition.objects.all():
        texts += [t.comment, t.reason]
    assert "Laissez-passer délivré et autorisation de sortie obtenue." in texts
    for text in texts:
        assert "{e}" not in text
        for english in ("Request the", "Referred by", "Counselling session", "The applicant"):
            assert english not in text


def test_tasks_of_steps_behind_the_case_are_completed():
    seed(cases=20)
    open_tasks = Task.objects.filter(status=TaskStatus.OPEN).select_related("case")
    for task in open_tasks:
        assert task.case.status not in (Status.CLOSED, Status.WITHDRAWN, Status.NOT_ELIGIBLE)
        assert task.due_date > REFERENCE - datetime.timedelta(days=90)  # late by weeks, not years
        if task.title.startswith("Demander le laissez-passer"):
            assert task.case.status in (Status.ELIGIBLE, Status.PRE_DEPARTURE, Status.ON_HOLD)
    # Cases that have travelled have no open task left.
    travelled = (Status.DEPARTED, Status.ARRIVED, Status.REINTEGRATION, Status.MONITORING)
    assert not open_tasks.filter(case__status__in=travelled).exists()
    assert Task.objects.filter(status=TaskStatus.DONE, completed_by__isnull=False).exists()


def _snapshot():
    return (
        list(Case.objects.order_by("number").values_list("number", "status", "registered_on")),
        list(
            Person.objects.order_by("family_name", "given_name", "birth_year").values_list(
                "given_name", "family_name", "birth_year", "nationality"
            )
        ),
        list(Task.objects.order_by("case__number", "title").values_list("title", "status")),
        list(Note.objects.order_by("case__number", "body").values_list("body", flat=True)),
    )


def test_same_seed_gives_the_same_data():
    start = transaction.savepoint()
    seed(cases=24, seed=11)
    first = _snapshot()
    transaction.savepoint_rollback(start)
    assert not Case.objects.exists()
    seed(cases=24, seed=11)
    assert _snapshot() == first
    assert len(first[0]) == 24


def test_another_seed_gives_other_people():
    start = transaction.savepoint()
    seed(cases=20, seed=1)
    first = _snapshot()
    transaction.savepoint_rollback(start)
    seed(cases=20, seed=2)
    assert _snapshot()[1] != first[1]


def test_if_empty_does_nothing_when_missions_exist():
    seed(cases=0)
    output = seed(cases=5, if_empty=True)
    assert "not seeded again" in output
    assert not Case.objects.exists()


def test_if_empty_gives_existing_demo_users_a_changed_password(settings):
    seed(cases=0)
    settings.AWDA_DEMO_PASSWORD = "another-demo-pass"
    seed(cases=0, if_empty=True)
    assert User.objects.get(username="manager.rabat").check_password("another-demo-pass")
