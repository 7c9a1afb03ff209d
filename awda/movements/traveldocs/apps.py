from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TravelDocumentsConfig(AppConfig):
    name = "awda.movements.traveldocs"
    label = "travel_documents"
    verbose_name = _("Travel documents")

    def ready(self):
        # The case page's "Travel documents" tab (cases does not import the apps that build on it).
        from awda.cases.views.detail import register_tab

        from .views import tab_travel_documents

        register_tab(
            "travel_documents",
            _("Travel documents"),
            "bi-passport",
            builder=tab_travel_documents,
            template="travel_documents/tab.html",
            action="traveldocs.view",
            before="timeline",
        )
        from awda.cases.views.timeline import register_actions

        register_actions(
            {
                "travel_documents.document.recorded": (
                    _("Travel document recorded"),
                    "bi-passport",
                    "primary",
                ),
                "travel_documents.document.updated": (
                    _("Travel document updated"),
                    "bi-passport",
                    "secondary",
                ),
                "travel_documents.document.answered": (
                    _("Consulate's answer recorded"),
                    "bi-passport",
                    "success",
                ),
                "travel_documents.exit.requested": (
                    _("Exit authorisation requested"),
                    "bi-box-arrow-right",
                    "primary",
                ),
                "travel_documents.exit.updated": (
                    _("Exit authorisation updated"),
                    "bi-box-arrow-right",
                    "secondary",
                ),
                "travel_documents.exit.answered": (
                    _("Authorities' answer recorded"),
                    "bi-box-arrow-right",
                    "success",
                ),
                "travel_documents.batch.created": (
                    _("Batch request drawn up"),
                    "bi-list-ul",
                    "secondary",
                ),
                "travel_documents.batch.sent": (
                    _("Batch request sent"),
                    "bi-send",
                    "primary",
                ),
                "travel_documents.batch.printed": (
                    _("Batch request printed"),
                    "bi-printer",
                    "secondary",
                ),
            }
        )
        # Every traveller needs a valid travel document and exit authorisation on the travel day.
        from awda.cases import readiness

        from .readiness import collect

        readiness.register("travel_documents", collect, order=50)
