"""The case detail page: scoping, every tab (full page and htmx fragment), audit of views,
transition buttons with what blocks them, and the timeline."""

import pytest
from django.urls import reverse

from awda.audit.models import AuditEvent
from awda.cases import services
from awda.factories import bring_case_to, person_data, register_case

TABS = ["summary", "members", "documents", "notes", "tasks", "timeline"]


def detail_url(case, tab=None):
    url = reverse("cases:case_detail", args=[case.pk])
    return f"{url}?tab={tab}" if tab else url


def views_of(case):
    return AuditEvent.objects.filter(action="cases.case.viewed", case_id=case.pk).count()


@pytest.fixture
def busy_case(caseworker, rabat):
    """A family case with a note, a task and a document, so every tab has content."""
    case = register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Aminata", family_name="Touré", sex="female"),
        members=[
            {
                "relationship": "child",
                "person": person_data(given_name="Fanta", family_name="Touré", sex="female"),
                "documents": [{"doc_type": "birth_certificate", "number": "BC-2291"}],
            }
        ],
    )
    services.note_add(caseworker, case=case, body="Met at the office, wants to go home.")
    services.task_create(caseworker, case=case, title="Call the consulate")
    return case


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_renders_as_page_and_fragment(client, caseworker, busy_case, tab):
    client.force_login(caseworker)
    page = client.get(detail_url(busy_case, tab))
    assert page.status_code == 200
    body = page.content.decode()
    assert busy_case.number in body
    assert 'id="case-tabs"' in body
    assert f'id="tab-{tab}"' in body
    assert "<html" in body
    fragment = client.get(detail_url(busy_case, tab), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert f'id="tab-{tab}"' in fragment.content.decode()


def test_tabs_show_their_content(client, caseworker, busy_case):
    client.force_login(caseworker)
    members = client.get(detail_url(busy_case, "members")).content.decode()
    assert "Aminata TOURÉ" in members and "Fanta TOURÉ" in members
    assert "BC-2291" in members
    notes = client.get(detail_url(busy_case, "notes")).content.decode()
    assert "Met at the office" in notes
    tasks = client.get(detail_url(busy_case, "tasks")).content.decode()
    assert "Call the consulate" in tasks
    timeline = client.get(detail_url(busy_case, "timeline")).content.decode()
    assert 'data-testid="status-history"' in timeline
    assert "BC-2291" in timeline  # the document added at registration, in the audit trail


def test_unknown_tab_falls_back_to_summary(client, caseworker, case):
    client.force_login(caseworker)
    response = client.get(detail_url(case, "nonsense"))
    assert response.status_code == 200
    assert 'id="tab-summary"' in response.content.decode()


def test_other_office_user_gets_404(client, other_office_user, case):
    client.force_login(other_office_user)
    assert client.get(detail_url(case)).status_code == 404
    assert client.get(detail_url(case, "members"), HTTP_HX_REQUEST="true").status_code == 404


def test_missing_case_gets_the_same_404(client, caseworker, case):
    client.force_login(caseworker)
    assert client.get(reverse("cases:case_detail", args=[case.pk + 999])).status_code == 404


def test_me_officer_sees_aggregates_only_not_cases(client, auditor, case):
    client.force_login(auditor)
    assert client.get(detail_url(case)).status_code == 404


def test_anonymous_user_is_sent_to_login(client, case):
    response = client.get(detail_url(case))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_full_page_view_is_audited_with_its_tab(client, colleague, case):
    client.force_login(colleague)
    assert views_of(case) == 0
    client.get(detail_url(case))
    assert views_of(case) == 1
    event = AuditEvent.objects.get(action="cases.case.viewed", case_id=case.pk)
    assert event.actor == colleague
    assert event.channel == "web"
    assert event.changes == {"part": "summary"}
    client.get(detail_url(case, "members"))  # a plain link to a tab is a full page view
    assert views_of(case) == 2


@pytest.mark.parametrize("tab", TABS)
def test_every_htmx_tab_fragment_is_audited_with_its_part(client, colleague, busy_case, tab):
    """Anyone can send HX-Request: a fragment shows case data and is a read like a page."""
    client.force_login(colleague)
    before = views_of(busy_case)
    response = client.get(detail_url(busy_case, tab), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert views_of(busy_case) == before + 1
    event = AuditEvent.objects.filter(action="cases.case.viewed").latest("id")
    assert event.changes == {"part": tab} and event.actor == colleague


def test_refused_view_is_not_audited(client, other_office_user, case):
    client.force_login(other_office_user)
    client.get(detail_url(case))
    assert views_of(case) == 0


def test_header_shows_the_case_facts(client, caseworker, case):
    client.force_login(caseworker)
    body = client.get(detail_url(case)).content.decode()
    assert 'data-status="registered"' in body
    assert "Ousmane DIALLO" in body
    assert "Rabat" in body


def test_caseworker_sees_allowed_moves_and_what_blocks_the_others(client, caseworker, case):
    services.case_transition(caseworker, case=case, name="start_counselling")
    client.force_login(caseworker)
    body = client.get(detail_url(case)).content.decode()
    # start screening is blocked until the declaration is signed, and says why
    assert 'data-testid="transition-start_screening"' in body
    assert "disabled" in body.split('data-testid="transition-start_screening"')[0].rsplit("<", 1)[1]
    assert 'data-testid="blockers"' in body
    assert "declaration of voluntary return has not been signed" in body.lower() or (
        "déclaration" in body.lower()
    )
    # withdraw and put on hold need a reason: they open a form
    assert 'id="modal-withdraw"' in body
    assert 'id="modal-put_on_hold"' in body
    # a caseworker cannot approve eligibility: no button for it at all
    assert "transition-approve_eligibility" not in body


def test_manager_gets_the_eligibility_form_with_projects_of_the_mission(
    client, caseworker, manager, case
):
    from awda.factories import ProjectFactory

    project = ProjectFactory(mission=case.mission, code="SEM-2026")
    bring_case_to(case, "screening", caseworker=caseworker, manager=manager)
    client.force_login(manager)
    body = client.get(detail_url(case)).content.decode()
    assert 'id="modal-approve_eligibility"' in body
    assert "SEM-2026" in body
    assert project.pk


def test_medical_officer_sees_no_action_buttons(client, medical_officer, case):
    client.force_login(medical_officer)
    body = client.get(detail_url(case)).content.decode()
    assert "transition-start_counselling" not in body
    assert reverse("cases:case_edit", args=[case.pk]) not in body
    members = client.get(detail_url(case, "members")).content.decode()
    assert 'data-testid="edit-person"' not in members
    assert reverse("cases:member_add", args=[case.pk]) not in members


def test_timeline_is_human_readable(client, caseworker, manager, case):
    services.case_update(caseworker, case=case, expected_version=case.version, data={"priority": 3})
    bring_case_to(case, "screening", caseworker=caseworker, manager=manager)
    client.force_login(caseworker)
    with_lang = client.get(detail_url(case, "timeline"), HTTP_ACCEPT_LANGUAGE="en")
    body = with_lang.content.decode()
    assert body.count('data-testid="transition-row"') == 2
    assert "Start counselling" in body and "Start screening" in body
    # the priority change shows before -> after with labels, not raw values
    assert "Normal" in body and "Urgent" in body
    # views are counted but hidden until asked for
    assert "Case viewed" not in body
    shown = client.get(detail_url(case, "timeline") + "&views=1", HTTP_ACCEPT_LANGUAGE="en")
    assert "Case viewed" in shown.content.decode()


def test_timeline_counts_reads_and_hides_them_behind_a_link(client, caseworker, case):
    """Every tab is a read: the trail hides them (in the database, so a much-read case still
    shows its changes) behind "Show N views", which lists them with the part read."""
    client.force_login(caseworker)
    for tab in ["summary", "members", "notes"]:
        client.get(detail_url(case, tab), HTTP_HX_REQUEST="true")
    person = case.principal
    services.person_viewed(caseworker, person=person, part="detail")  # e.g. through the API
    body = client.get(detail_url(case, "timeline"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Show 4 views of the case" in body
    assert "Case viewed" not in body and "Person record viewed" not in body
    assert "Case registered" in body
    shown = client.get(
        detail_url(case, "timeline") + "&views=1", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert shown.count("Case viewed") == 4  # the three tabs and the timeline read just before
    assert "Person record viewed" in shown
    assert "Members" in shown and "Hide views" in shown


def test_timeline_keeps_the_changes_of_a_case_read_many_times(caseworker, case):
    """The newest events of the trail are taken after the reads are left out."""
    from awda.audit.selectors import timeline_for_case

    for _ in range(3):
        services.case_viewed(caseworker, case=case, part="summary")
    newest = list(timeline_for_case(case.pk, limit=1, exclude_actions=services.VIEW_ACTIONS))
    assert len(newest) == 1 and newest[0].action not in services.VIEW_ACTIONS
    everything = list(timeline_for_case(case.pk, limit=1))
    assert everything[0].action == "cases.case.viewed"


def test_person_history_lists_other_cases(client, caseworker, rabat, case):
    person = case.principal
    later = services.case_register(caseworker, office=rabat, principal_person=person)
    client.force_login(caseworker)
    body = client.get(detail_url(later, "members")).content.decode()
    assert case.number in body


def _members_tab_queries(client, case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(detail_url(case, "members"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _family_case(caseworker, rabat, size):
    members = [
        {
            "relationship": "child",
            "person": person_data(given_name=f"Child{i}", family_name="Camara"),
            "documents": [{"doc_type": "birth_certificate", "number": f"BC-{size}-{i}"}],
        }
        for i in range(size - 1)
    ]
    case = register_case(
        caseworker, rabat, principal=person_data(family_name="Camara"), members=members
    )
    # each member also appears in an older case, so every row has a case history to show
    for m in case.members.select_related("person"):
        services.case_register(caseworker, office=rabat, principal_person=m.person)
    return case


def test_members_tab_queries_do_not_grow_with_the_members(client, caseworker, rabat):
    small = _family_case(caseworker, rabat, 2)
    large = _family_case(caseworker, rabat, 9)
    client.force_login(caseworker)
    _members_tab_queries(client, small)  # warm the per-process caches
    few = _members_tab_queries(client, small)
    many = _members_tab_queries(client, large)
    assert few == many
    body = client.get(detail_url(large, "members")).content.decode()
    assert body.count('data-testid="member"') == 9
    assert "BC-9-7" in body
