"""URLs of the case detail, registration and every action on a case (HTML UI)."""

from django.urls import path

from . import actions, detail, documents, member_actions, person_pick, register

urlpatterns = [
    path("cases/new/", register.case_register, name="case_register"),
    path("cases/pick-person/", person_pick.person_search, name="person_search"),
    path("cases/pick-person/matches/", person_pick.person_matches, name="person_matches"),
    path(
        "cases/pick-person/<int:person_pk>/",
        person_pick.person_picked,
        name="person_picked",
    ),
    path("cases/<int:pk>/", detail.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", actions.case_edit, name="case_edit"),
    path("cases/<int:pk>/take/", actions.case_take, name="case_take"),
    path(
        "cases/<int:pk>/transition/<slug:name>/",
        actions.case_transition,
        name="case_transition",
    ),
    path("cases/<int:pk>/declaration/", actions.case_declaration, name="case_declaration"),
    path("cases/<int:pk>/declaration.pdf", documents.declaration_pdf, name="declaration_pdf"),
    path("cases/<int:pk>/members/add/", member_actions.member_add, name="member_add"),
    path(
        "cases/<int:pk>/members/<int:member_pk>/edit/",
        member_actions.member_edit,
        name="member_edit",
    ),
    path(
        "cases/<int:pk>/members/<int:member_pk>/remove/",
        member_actions.member_remove,
        name="member_remove",
    ),
    path(
        "cases/<int:pk>/persons/<int:person_pk>/edit/",
        member_actions.person_edit,
        name="person_edit",
    ),
    path(
        "cases/<int:pk>/persons/<int:person_pk>/documents/add/",
        member_actions.document_add,
        name="document_add",
    ),
    path(
        "cases/<int:pk>/documents/<int:document_pk>/delete/",
        member_actions.document_delete,
        name="document_delete",
    ),
    path("cases/<int:pk>/notes/add/", actions.note_add, name="note_add"),
    path("cases/<int:pk>/tasks/add/", actions.task_add, name="task_add"),
    path(
        "cases/<int:pk>/tasks/<int:task_pk>/status/",
        actions.task_status,
        name="task_status",
    ),
    path("cases/<int:pk>/attachments/add/", actions.attachment_add, name="attachment_add"),
    path(
        "cases/<int:pk>/attachments/<int:attachment_pk>/",
        actions.attachment_download,
        name="attachment_download",
    ),
]
