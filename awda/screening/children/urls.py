from django.urls import path

from . import views

app_name = "child_protection"
urlpatterns = [
    path(
        "cases/<int:pk>/child-protection/<int:person_pk>/<slug:step>/",
        views.step_record,
        name="record",
    ),
    path(
        "cases/<int:pk>/child-protection/tracing/<int:tracing_pk>/outcome/",
        views.tracing_outcome,
        name="tracing_outcome",
    ),
    path(
        "cases/<int:pk>/child-protection/determinations/<int:determination_pk>/reopen/",
        views.determination_reopen,
        name="determination_reopen",
    ),
]
