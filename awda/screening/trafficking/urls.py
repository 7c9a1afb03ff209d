from django.urls import path

from . import views

app_name = "trafficking"
urlpatterns = [
    path("cases/<int:pk>/trafficking/", views.protection_home, name="home"),
    path(
        "cases/<int:pk>/trafficking/<int:member_pk>/interview/",
        views.interview_record,
        name="interview",
    ),
    path(
        "cases/<int:pk>/trafficking/<int:member_pk>/determination/",
        views.determination_record,
        name="determination",
    ),
    path(
        "cases/<int:pk>/trafficking/<int:member_pk>/risk-assessment/",
        views.risk_assessment_create,
        name="risk_assessment",
    ),
    path(
        "cases/<int:pk>/trafficking/risk-assessment/<int:assessment_pk>/edit/",
        views.risk_assessment_update,
        name="risk_assessment_edit",
    ),
    path(
        "cases/<int:pk>/trafficking/risk-assessment/<int:assessment_pk>/complete/",
        views.risk_assessment_complete,
        name="risk_assessment_complete",
    ),
    path(
        "cases/<int:pk>/trafficking/<int:member_pk>/acceptance/",
        views.acceptance_record,
        name="acceptance",
    ),
    path(
        "cases/<int:pk>/trafficking/<slug:kind>/<int:record_pk>/",
        views.record_detail,
        name="record",
    ),
    # Anything else under the prefix: a 404, audited as a refusal for users without the role.
    path("cases/<int:pk>/trafficking/<path:rest>", views.unknown, name="unknown"),
]
