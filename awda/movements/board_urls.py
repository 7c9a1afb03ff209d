"""HTML URLs of the operations board and of the handover (movements.handover)."""

from django.urls import path

from .views import board, handover

app_name = "movements_board"
urlpatterns = [
    path("movements/board/", board.operations_board, name="board"),
    path("cases/<int:pk>/handover/", handover.handover_record, name="handover_record"),
]
