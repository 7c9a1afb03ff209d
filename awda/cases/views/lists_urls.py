from django.urls import path

from . import dashboard, lists

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("cases/", lists.case_list, name="case_list"),
    path("tasks/", lists.task_list, name="task_list"),
    path("persons/", lists.person_list, name="person_list"),
]
