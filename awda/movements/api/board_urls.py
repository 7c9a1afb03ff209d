"""API URLs of the operations board and of the handover."""

from django.urls import path

from .board import OperationsBoardView
from .handover import CaseHandoverListView

urlpatterns = [
    path("movements/board/", OperationsBoardView.as_view(), name="api-movements-board"),
    path(
        "cases/<int:case_pk>/handover/",
        CaseHandoverListView.as_view(),
        name="api-case-handover-list",
    ),
]
