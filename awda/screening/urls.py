from django.urls import path

from . import views

app_name = "screening"
urlpatterns = [
    path(
        "cases/<int:pk>/screening/<int:member_pk>/",
        views.screening_record,
        name="record",
    ),
]
