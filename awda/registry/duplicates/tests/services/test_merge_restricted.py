"""A merge moves every record of the merged person, restricted categories included (they are the
same person's), but names none of them where a role without that category's permission reads:
the audit events shown on the timeline of every case of the survivor, the merge page and the
API. And a merge never rewrites a case of another mission the user has no access to."""

import pytest

from awda.accounts.choices import Role
from awda.audit.models import AuditEvent
from awda.cases.models import Case, CaseMember
from awda.core.api.testing import api_client
from awda.core.errors import ValidationFailed
from awda.factories import member_of
from awda.registry.duplicates import merging, services
from awda.registry.duplicates.models import MergedItem

from .test_merge import versions

pytestmark = pytest.mark.django_db

# What would tell a reader the category of a record moved by the merge.
NAMES = ("trafficking", "child_protection", "bestinterests", "medicalneed", "health.")
RESTRICTED_LABELS = {
    "trafficking.TraffickingDetermination",
    "child_protection.BestInterestsAssessment",
    "health.MedicalNeed",
}


def merge_into_rabat(user, pair, rabat_case, oujda_case):
    keep, gone = rabat_case.principal, oujda_case.principal
    return services.persons_merge(
        user, pair=pair, survivor=keep, expected_versions=versions(keep, gone)
    )


def assert_unnamed(text: str):
    text = text.lower()
    for name in NAMES:
        assert name not in text, name


# ---- the categories -----------------------------------------------------------------------------


def test_every_model_of_a_restricted_app_maps_to_its_permission():
    from django.apps import apps

    from awda.cases.restricted import model_permission

    expected = {
        "trafficking": "trafficking.view",
        "child_protection": "child.view",
        "health": "health.view",
        "consent": "consent.view",
    }
    for app_label, permission in expected.items():
        for model in apps.get_app_config(app_label).get_models(include_auto_created=True):
            label = model._meta.label
            assert model_permission(label) is not None, label
            if label not in ("health.FitnessToTravel",) and not label.startswith(
                "consent.DataTransfer"
            ):
                assert model_permission(label) == permission, label
    # the most specific prefix wins, as for the timeline's events
    assert model_permission("health.FitnessToTravel") == "fitness.view"
    assert model_permission("consent.DataTransfer_persons") == "transfer.view"
    for label in ("cases.CaseMember", "registry.IdentityDocument", "screening.ScreeningTask"):
        assert model_permission(label) is None


def test_label_visibility_follows_the_role_in_the_mission(
    manager, protection_officer, morocco, tunis
):
    from awda.registry.duplicates import policies

    for_manager = policies.label_visibility(manager, morocco.pk)
    assert for_manager("cases.CaseMember") and for_manager("consent.Consent")
    assert not any(for_manager(label) for label in RESTRICTED_LABELS)
    for_protection = policies.label_visibility(protection_officer, morocco.pk)
    assert for_protection("trafficking.TraffickingDetermination")
    assert for_protection("child_protection.BestInterestsAssessment")
    assert not for_protection("health.MedicalNeed")
    # a protection role in another mission does not count
    elsewhere = member_of(tunis, Role.PROTECTION, "protection.tunis")
    assert not policies.label_visibility(elsewhere, morocco.pk)(
        "trafficking.TraffickingDetermination"
    )


# ---- the audit ----------------------------------------------------------------------------------


def test_the_merge_and_undo_events_only_count_restricted_records(
    the_pair, restricted_history, rabat_case, oujda_case, manager
):
    keep, gone = rabat_case.principal, oujda_case.principal
    merge = merge_into_rabat(manager, the_pair, rabat_case, oujda_case)

    # the records move, and the merge keeps their full detail for the undo
    for record in restricted_history.values():
        record.refresh_from_db()
        assert record.person_id == keep.pk
    recorded = set(merge.items.values_list("model_label", flat=True))
    assert recorded >= RESTRICTED_LABELS
    event = AuditEvent.objects.get(action=merging.MERGED, person_id=keep.pk)
    assert event.changes["restricted"] == 3
    assert len(event.changes["items"]) == merge.items.count() - 3
    assert_unnamed(str(event.changes))

    restricted_history["health"].delete()  # deleted since: left, and counted
    services.merge_undo(manager, merge=merge)
    for key in ("trafficking", "child"):
        restricted_history[key].refresh_from_db()
        assert restricted_history[key].person_id == gone.pk
    undo = AuditEvent.objects.filter(action=merging.MERGE_UNDONE).get(person_id=keep.pk)
    assert undo.changes["restricted"] == 2 and undo.changes["restricted_skipped"] == 1
    assert undo.changes["skipped"] == []
    assert_unnamed(str(undo.changes))
    assert MergedItem.objects.filter(merge=merge, model_label="health.MedicalNeed").exists()


@pytest.mark.parametrize("role", [Role.FINANCE, Role.MOVEMENT])
def test_the_survivors_case_timeline_names_no_restricted_category(
    role, the_pair, restricted_history, rabat_case, oujda_case, manager, rabat, client
):
    merge_into_rabat(manager, the_pair, rabat_case, oujda_case)
    reader = member_of(rabat, role, f"{role}.reader")
    body = api_client(reader).get(f"/api/v1/cases/{rabat_case.pk}/timeline/").json()
    assert any(e["action"] == merging.MERGED for e in body["results"])
    assert_unnamed(str(body))
    client.force_login(reader)
    page = client.get(f"/cases/{rabat_case.pk}/?tab=timeline")
    assert page.status_code == 200
    assert_unnamed(page.content.decode())


# ---- cases of another mission -------------------------------------------------------------------


def test_a_merge_touching_a_case_the_user_may_not_see_is_refused(
    the_pair, rabat_case, oujda_case, tunis_case, manager
):
    with pytest.raises(ValidationFailed) as exc:
        merge_into_rabat(manager, the_pair, rabat_case, oujda_case)
    assert exc.value.code == "cases_out_of_scope"
    assert "1 case" in str(exc.value.message) and tunis_case.number not in str(exc.value.message)
    assert CaseMember.objects.get(case=tunis_case, person=oujda_case.principal)
    assert Case.objects.get(pk=oujda_case.pk).principal_id == oujda_case.principal_id


def test_an_undo_touching_a_case_the_user_may_not_see_is_refused(
    the_pair, rabat_case, oujda_case, tunis_case, manager, tunis
):
    """A manager of both missions merges; a manager of Morocco only may not undo it (the undo
    would move the Tunisian membership back)."""
    from awda.accounts.models import Membership

    both = member_of(tunis, Role.MANAGER, "manager.both")
    Membership.objects.create(user=both, office=rabat_case.office, role=Role.MANAGER)
    merge = merge_into_rabat(both, the_pair, rabat_case, oujda_case)
    assert (
        CaseMember.objects.get(case=tunis_case, is_principal=False).person_id
        == rabat_case.principal_id
    )
    with pytest.raises(ValidationFailed) as exc:
        services.merge_undo(manager, merge=merge)
    assert exc.value.code == "cases_out_of_scope"
    assert (
        CaseMember.objects.get(case=tunis_case, is_principal=False).person_id
        == rabat_case.principal_id
    )
    services.merge_undo(both, merge=merge)
    assert (
        CaseMember.objects.get(case=tunis_case, is_principal=False).person_id
        == oujda_case.principal_id
    )


def test_a_reject_needs_the_version_read(the_pair, manager):
    with pytest.raises(ValidationFailed) as exc:
        services.pair_reject(manager, pair=the_pair, expected_version=None)
    assert "version" in exc.value.fields
    the_pair.refresh_from_db()
    assert the_pair.status == "open"
