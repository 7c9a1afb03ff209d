from django.urls import path

from . import documents, duplicates, persons, views

case = "cases/<int:case_pk>/"

urlpatterns = [
    path("persons/", persons.PersonListView.as_view(), name="api-person-list"),
    path(
        "persons/duplicates/",
        duplicates.PersonDuplicateCheckView.as_view(),
        name="api-person-duplicates",
    ),
    path("persons/<int:person_pk>/", persons.PersonDetailView.as_view(), name="api-person-detail"),
    path(
        "persons/<int:person_pk>/documents/",
        persons.PersonDocumentListView.as_view(),
        name="api-person-document-list",
    ),
    path(
        "persons/<int:person_pk>/documents/<int:document_pk>/",
        persons.PersonDocumentDetailView.as_view(),
        name="api-person-document-detail",
    ),
    path("cases/", views.CaseListView.as_view(), name="api-case-list"),
    path(case, views.CaseDetailView.as_view(), name="api-case-detail"),
    path(case + "members/", views.CaseMemberListView.as_view(), name="api-case-member-list"),
    path(
        case + "members/<int:member_pk>/",
        views.CaseMemberDetailView.as_view(),
        name="api-case-member-detail",
    ),
    path(case + "notes/", views.CaseNoteListView.as_view(), name="api-case-note-list"),
    path(case + "tasks/", views.CaseTaskListView.as_view(), name="api-case-task-list"),
    path(
        case + "tasks/<int:task_pk>/",
        views.CaseTaskDetailView.as_view(),
        name="api-case-task-detail",
    ),
    path(
        case + "tasks/<int:task_pk>/status/",
        views.CaseTaskStatusView.as_view(),
        name="api-case-task-status",
    ),
    path(
        case + "attachments/",
        views.CaseAttachmentListView.as_view(),
        name="api-case-attachment-list",
    ),
    path(
        case + "attachments/<int:attachment_pk>/download/",
        views.CaseAttachmentDownloadView.as_view(),
        name="api-case-attachment-download",
    ),
    path(case + "transitions/", views.CaseTransitionView.as_view(), name="api-case-transitions"),
    path(case + "readiness/", views.CaseReadinessView.as_view(), name="api-case-readiness"),
    path(case + "timeline/", views.CaseTimelineView.as_view(), name="api-case-timeline"),
    path(case + "declaration/", views.CaseDeclarationView.as_view(), name="api-case-declaration"),
    path(
        case + "declaration.pdf",
        documents.CaseDeclarationPdfView.as_view(),
        name="api-case-declaration-pdf",
    ),
]
