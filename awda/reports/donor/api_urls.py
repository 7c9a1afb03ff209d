from django.urls import path

from . import api

P = "reports/donor/projects/<int:project_pk>/"

urlpatterns = [
    path(P + "pdf/", api.DonorReportPdfView.as_view(), name="api-reports-donor-pdf"),
    path(P + "xlsx/", api.DonorReportXlsxView.as_view(), name="api-reports-donor-xlsx"),
]
