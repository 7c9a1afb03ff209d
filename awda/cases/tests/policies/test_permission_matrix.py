"""The permission matrix: every role x every action x where the user sits (the case's own office,
another office of the same mission, the origin mission before and after the handover).

The expected grid below is written by hand on purpose: it is the specification, and a change to
`cases.policies.PERMISSIONS` must be mirrored here. For the write actions the real services are
called as each user: a denial raises PermissionDenied/NotFound and changes nothing (row counts,
case and person versions, audit events); an allowed call succeeds.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awda.accounts.choices import Role
from awda.audit.models import AuditEvent
from awda.cases import services
from awda.cases.models import Attachment, Case, CaseMember, CaseTransition, Note, Task
from awda.cases.policies import PERMISSIONS, can
from awda.cases.selectors import case_get_for
from awda.core.errors import NotFound, PermissionDenied
from awda.factories import member_of, person_data, register_case
from awda.registry.models import IdentityDocument, Person

ROLES = [
    Role.CASEWORKER,
    Role.MANAGER,
    Role.PROTECTION,
    Role.MEDICAL,
    Role.MOVEMENT,
    Role.REINTEGRATION,
    Role.FINANCE,
    Role.ME,
    Role.ADMIN,
]
# fmt: off
#                      cw   mgr  prot med  mov  rein fin  m&e  admin
GRID = {
    "case.view":          "Y    Y    Y    Y    Y    Y    Y    .    .",
    "case.register":      "Y    Y    .    .    .    .    .    .    .",
    "case.edit":          "Y    Y    Y    .    .    .    .    .    .",
    "case.assign":        ".    Y    .    .    .    .    .    .    .",
    "case.declaration":   "Y    Y    .    .    .    .    .    .    .",
    "case.members":       "Y    Y    Y    .    .    .    .    .    .",
    "person.edit":        "Y    Y    Y    .    .    .    .    .    .",
    "note.add":           "Y    Y    Y    Y    Y    Y    Y    .    .",
    "task.add":           "Y    Y    Y    Y    Y    Y    .    .    .",
    "task.update":        "Y    Y    Y    Y    Y    Y    .    .    .",
    "attachment.add":     "Y    Y    Y    Y    Y    Y    .    .    .",
    "attachment.view":    "Y    Y    Y    Y    Y    Y    Y    .    .",
    "timeline.view":      "Y    Y    Y    Y    Y    Y    Y    .    .",
    "reports.aggregates": ".    Y    .    .    .    .    Y    Y    .",
    "screening.view":     "Y    Y    Y    Y    Y    Y    .    .    .",
    "screening.record":   "Y    Y    Y    Y    .    .    .    .    .",
    "screening.restricted": ".  .    Y    .    .    .    .    .    .",
    "readiness.view":     "Y    Y    Y    Y    Y    Y    .    .    .",
    "consent.view":       "Y    Y    Y    Y    Y    Y    .    .    .",
    "consent.record":     "Y    Y    Y    Y    .    .    .    .    .",
    "transfer.view":      "Y    Y    Y    Y    .    .    .    .    .",
    "transfer.record":    "Y    Y    Y    Y    Y    .    .    .    .",
    "child.view":         ".    .    Y    .    .    .    .    .    .",
    "child.record":       ".    .    Y    .    .    .    .    .    .",
    "trafficking.view":   ".    .    Y    .    .    .    .    .    .",
    "trafficking.record": ".    .    Y    .    .    .    .    .    .",
    "health.view":        ".    .    .    Y    .    .    .    .    .",
    "health.record":      ".    .    .    Y    .    .    .    .    .",
    "fitness.view":       "Y    Y    Y    Y    Y    Y    .    .    .",
    "fitness.record":     ".    .    .    Y    .    .    .    .    .",
    "assistance.view":    "Y    Y    Y    Y    Y    Y    Y    .    .",
    "assistance.record":  "Y    Y    Y    Y    .    .    .    .    .",
    "traveldocs.view":    "Y    Y    Y    Y    Y    Y    .    .    .",
    "traveldocs.record":  "Y    Y    .    .    Y    .    .    .    .",
    "movement.view":      "Y    Y    Y    Y    Y    Y    Y    .    .",
    "movement.record":    ".    Y    .    .    Y    .    .    .    .",
    "arrival.confirm":    ".    Y    .    .    Y    Y    .    .    .",
    "handover.record":    "Y    Y    .    .    Y    .    .    .    .",
    "reintegration.view": "Y    Y    Y    Y    Y    Y    Y    .    .",
    "reintegration.record": ".  Y    .    .    .    Y    .    .    .",
    "reintegration.approve": ". Y    .    .    .    .    .    .    .",
}
# fmt: on
EXPECTED = {
    action: {role for role, flag in zip(ROLES, row.split(), strict=True) if flag == "Y"}
    for action, row in GRID.items()
}
# Where the user sits -> whether roles there count for the case.
# "origin_after_health_handover": the handover also shared health data (with consent).
PLACES = [
    "own_office",
    "other_office",
    "origin_before_handover",
    "origin_after_handover",
    "origin_after_health_handover",
]
ROLE_COUNTS = {
    "own_office": True,
    "origin_after_handover": True,
    "origin_after_health_handover": True,
}


from awda.cases.policies import (  # noqa: E402
    HOST_ONLY_ACTIONS,
    ORIGIN_CATEGORY_ACTIONS,
    ORIGIN_ONLY_ACTIONS,
)


def expected(action_roles, role, place, action=None) -> bool:
    if action in ORIGIN_ONLY_ACTIONS and not place.startswith("origin_after"):
        return False  # only the receiving mission's roles, after the handover, count for these
    if action in HOST_ONLY_ACTIONS and place != "own_office":
        return False  # after handover the origin mission's roles do not count for these
    if action in ORIGIN_CATEGORY_ACTIONS and place == "origin_after_handover":
        return False  # health data not shared by the handover: origin roles do not count
    return ROLE_COUNTS.get(place, False) and role in action_roles


@pytest.fixture
def people(rabat, oujda, conakry):
    """One user per role in Rabat (the case's office), Oujda (same mission) and Conakry (origin)."""
    offices = {"own_office": rabat, "other_office": oujda, "origin": conakry}
    return {
        (where, role): member_of(office, role, f"{role}.{where}.matrix")
        for where, office in offices.items()
        for role in ROLES
    }


def user_for(people, place, role):
    return people[("origin" if place.startswith("origin") else place, role)]


def set_place(case, place, guinea) -> Case:
    """Own/other office: no handover. Origin: receiving mission set, handed over or not yet."""
    values = {"receiving_mission": None, "handed_over_at": None, "handover_categories": []}
    if place == "origin_before_handover":
        values = {"receiving_mission": guinea, "handed_over_at": None, "handover_categories": []}
    elif place == "origin_after_handover":
        values = {
            "receiving_mission": guinea,
            "handed_over_at": timezone.now(),
            "handover_categories": ["identity"],
        }
    elif place == "origin_after_health_handover":
        values = {
            "receiving_mission": guinea,
            "handed_over_at": timezone.now(),
            "handover_categories": ["identity", "health"],
        }
    Case.objects.filter(pk=case.pk).update(**values)
    case.refresh_from_db()
    return case


def test_grid_covers_every_action_and_role():
    assert set(GRID) == set(PERMISSIONS), "add the new action to GRID (the specification)"
    assert set(ROLES) == set(Role.values)


def test_policy_table_matches_the_grid():
    for action, roles in EXPECTED.items():
        assert set(PERMISSIONS[action]) == roles, action


@pytest.mark.parametrize("role", ROLES)
def test_policy_matrix_for_role(role, people, case, guinea):
    """can(user, action, case) and case visibility, for every action and place, for one role."""
    wrong = []
    for place in PLACES:
        set_place(case, place, guinea)
        user = user_for(people, place, role)
        for action, roles in EXPECTED.items():
            want = expected(roles, role, place, action)
            if can(user, action, case) != want:
                wrong.append(f"{role} {place} {action}: expected {'allow' if want else 'deny'}")
        # The selector agrees with case.view: not visible -> the same NotFound as a missing id.
        want_view = expected(EXPECTED["case.view"], role, place)
        try:
            case_get_for(user, case.pk)
            visible = True
        except NotFound:
            visible = False
        if visible != want_view:
            wrong.append(f"{role} {place}: case_get_for visible={visible}")
    assert not wrong, "\n".join(wrong)


def test_inactive_membership_or_user_grants_nothing(case, rabat):
    from awda.accounts.models import Membership

    manager = member_of(rabat, Role.MANAGER, "inactive.manager")
    assert can(manager, "case.edit", case)
    Membership.objects.filter(user=manager).update(is_active=False)
    manager = type(manager).objects.get(pk=manager.pk)  # fresh object: scope is cached per object
    assert not any(can(manager, a, case) for a in PERMISSIONS)
    boss = member_of(rabat, Role.MANAGER, "inactive.user")
    boss.is_active = False
    boss.save()
    assert not any(can(boss, a, case) for a in PERMISSIONS)


# ---- the write services as each user ------------------------------------------------------------

COUNTED = [Case, CaseMember, Person, IdentityDocument, Note, Task, Attachment, CaseTransition]


def db_state(case) -> dict:
    row = Case.objects.values(
        "version",
        "status",
        "destination_area",
        "declaration_signed_on",
        "member_count",
        "updated_at",
        "principal_id",
    ).get(pk=case.pk)
    person = Person.objects.values("version", "phone", "updated_at").get(pk=row["principal_id"])
    return {
        "case": row,
        "person": person,
        "counts": {m.__name__: m.objects.count() for m in COUNTED},
        "events": AuditEvent.objects.count(),
    }


def _pdf():
    return SimpleUploadedFile("declaration.pdf", b"%PDF-1.4\n% test\n", "application/pdf")


def _fresh(case):
    case.refresh_from_db()
    return case


WRITES = {
    # name: (action or transition roles, call(user, case, n))
    "case_update": (
        EXPECTED["case.edit"],
        lambda u, c, n: services.case_update(
            u, case=c, expected_version=c.version, data={"destination_area": f"Kindia {n}"}
        ),
    ),
    "case_member_add": (
        EXPECTED["case.members"],
        lambda u, c, n: services.case_member_add(
            u,
            case=c,
            relationship="child",
            person=person_data(given_name=f"Child {n}", date_of_birth=None, birth_year=2016),
        ),
    ),
    "case_declaration_record": (
        EXPECTED["case.declaration"],
        lambda u, c, n: services.case_declaration_record(u, case=c, signed_on=c.registered_on),
    ),
    "note_add": (
        EXPECTED["note.add"],
        lambda u, c, n: services.note_add(u, case=c, body=f"Note {n}"),
    ),
    "task_create": (
        EXPECTED["task.add"],
        lambda u, c, n: services.task_create(
            u, case=c, title=f"Call the consulate {n}", due_date=datetime.date(2030, 1, 1)
        ),
    ),
    "attachment_add": (
        EXPECTED["attachment.add"],
        lambda u, c, n: services.attachment_add(u, case=c, file=_pdf(), kind="declaration"),
    ),
    "case_person_update": (
        EXPECTED["person.edit"],
        lambda u, c, n: services.case_person_update(
            u,
            case=c,
            person=c.principal,
            expected_version=Person.objects.get(pk=c.principal_id).version,
            data={"phone": f"+212 600 00 00 {n:02d}"},
        ),
    ),
    "case_transition": (
        {Role.CASEWORKER, Role.MANAGER},  # start_counselling's row in the transition table
        lambda u, c, n: services.case_transition(u, case=c, name="start_counselling"),
    ),
}
# Host-side moves count only roles in the case's own office, even after handover
# (workflow.Transition.origin_may_act is False for them).
HOST_ONLY_WRITES = {"case_transition", "case_member_add", "case_declaration_record"}


@pytest.mark.parametrize("write", list(WRITES))
def test_write_service_matrix(write, people, case, guinea):
    allowed_roles, call = WRITES[write]
    wrong, n = [], 0
    for place in PLACES:
        set_place(case, place, guinea)
        for role in ROLES:
            n += 1
            user = user_for(people, place, role)
            # Start every attempt from a registered case so transitions are possible.
            Case.objects.filter(pk=case.pk).update(status="registered")
            _fresh(case)
            before = db_state(case)
            want = expected(allowed_roles, role, place)
            if write in HOST_ONLY_WRITES and place != "own_office":
                want = False
            try:
                call(user, case, n)
                outcome = "allowed"
            except (PermissionDenied, NotFound):
                outcome = "denied"
            after = db_state(case)
            if want and outcome != "allowed":
                wrong.append(f"{role} {place}: should be allowed")
            if not want:
                if outcome != "denied":
                    wrong.append(f"{role} {place}: should be denied")
                elif after != before:
                    wrong.append(f"{role} {place}: denied but changed {before} -> {after}")
            if want and outcome == "allowed" and after["events"] <= before["events"]:
                wrong.append(f"{role} {place}: allowed but wrote no audit event")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_case_register_matrix(role, people, rabat):
    want = role in EXPECTED["case.register"]
    for place in ("own_office", "other_office", "origin_before_handover"):
        user = user_for(people, place, role)
        before = {m.__name__: m.objects.count() for m in COUNTED}, AuditEvent.objects.count()
        if want and place == "own_office":
            case = register_case(user, rabat, principal=person_data(given_name=f"P {role}"))
            assert case.office == rabat
            continue
        with pytest.raises(PermissionDenied):
            register_case(user, rabat)
        after = {m.__name__: m.objects.count() for m in COUNTED}, AuditEvent.objects.count()
        assert after == before, place


def test_task_update_and_status_matrix(people, case, guinea, caseworker):
    task = services.task_create(caseworker, case=case, title="Book a doctor")
    wrong = []
    for place in PLACES:
        set_place(case, place, guinea)
        task.case.refresh_from_db()
        for role in ROLES:
            user = user_for(people, place, role)
            want = expected(EXPECTED["task.update"], role, place)
            events = AuditEvent.objects.count()
            task.refresh_from_db()
            before = (task.title, task.status)
            try:
                services.task_update(user, task=task, data={"title": f"Book {role}"})
                services.task_set_status(user, task=task, status="open")
                ok = True
            except (PermissionDenied, NotFound):
                ok = False
            task.refresh_from_db()
            if ok != want:
                wrong.append(f"{role} {place}: ok={ok}")
            if not ok and (
                (task.title, task.status) != before or AuditEvent.objects.count() != events
            ):
                wrong.append(f"{role} {place}: denied but changed")
    assert not wrong, "\n".join(wrong)
