"""Movements API: group departures (with escorts, travellers, manifest, bulk departure
confirmation), the bookings of a case (create, edit, confirm, cancel, no-show, rebook, departure
and arrival, pocket money and its receipt), and the expected arrivals of the receiving mission.

Thin views over movements.selectors and movements.services. A departure outside the missions
where you organise departures, or a case outside your scope, is a 404."""

from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from awda.accounts.models import Office, User
from awda.cases.api.views import CaseView, PassthroughRenderer
from awda.cases.readiness import travellers
from awda.cases.selectors import case_queryset_for
from awda.core.api.pagination import cursor_pagination
from awda.core.api.views import ApiView
from awda.core.documents import pdf_response, xlsx_response
from awda.core.errors import NotFound, PermissionDenied, ValidationFailed
from awda.finance.models import Project
from awda.registry.models import Organisation

from .. import documents, selectors, services
from ..models import Booking
from .serializers import (
    AddCasesSerializer,
    BookingConfirmSerializer,
    BookingCreateSerializer,
    BookingSerializer,
    BookingUpdateSerializer,
    BulkBookingsSerializer,
    DepartureCreateSerializer,
    DepartureFilterSerializer,
    DepartureSerializer,
    DepartureUpdateSerializer,
    EscortCreateSerializer,
    EscortSerializer,
    ManifestRowSerializer,
    NoShowSerializer,
    PocketMoneyPaySerializer,
    PocketMoneyReceiptUploadSerializer,
    PocketMoneySerializer,
    ReasonSerializer,
    RebookSerializer,
    SeatsReleasedSerializer,
)

PDF = {
    (200, "application/pdf"): OpenApiResponse(
        response=OpenApiTypes.BINARY, description=gettext_lazy("The PDF document.")
    )
}
XLSX = {
    (
        200,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ): OpenApiResponse(response=OpenApiTypes.BINARY, description=gettext_lazy("The workbook."))
}


class PdfRenderer(PassthroughRenderer):
    media_type = "application/pdf"
    format = "pdf"


class XlsxRenderer(PassthroughRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"


def _project(pk, mission_id):
    if pk is None:
        return None
    project = Project.objects.filter(pk=pk).first()
    if project is None or project.mission_id != mission_id:
        raise ValidationFailed(fields={"project": [_("Choose a project of the mission.")]})
    return project


def _legs(data) -> list[dict]:
    return [dict(leg) for leg in data or []]


# ---- departures ---------------------------------------------------------------------------------


class DepartureView(ApiView):
    conflict_statuses = True
    serializer_class = DepartureSerializer

    def get_departure(self):
        return selectors.departure_get_for(self.request.user, self.kwargs["departure_pk"])

    def departure_data(self, departure):
        fresh = selectors.departure_get_for(self.request.user, departure.pk)
        return DepartureSerializer(fresh, context={"request": self.request}).data


class DepartureListView(DepartureView):
    pagination_class = cursor_pagination("departure_date", "id")

    @extend_schema(
        operation_id="departures_list",
        parameters=[DepartureFilterSerializer],
        responses=DepartureSerializer(many=True),
    )
    def get(self, request):
        """The departures of the missions where you organise departures (movement officers and
        managers): upcoming ones first (soonest first), or `when=past` (latest first)."""
        params = DepartureFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        upcoming = p.get("when", "upcoming") != "past"
        self.cursor_ordering = ("departure_date", "id") if upcoming else ("-departure_date", "-id")
        qs = selectors.departure_list_for(
            request.user,
            status=p.get("status"),
            office=p.get("office"),
            date_from=p.get("date_from"),
            date_to=p.get("date_to"),
            upcoming=upcoming,
        ).prefetch_related("escorts")
        return self.paginated(qs)

    @extend_schema(
        operation_id="departures_create",
        request=DepartureCreateSerializer,
        responses={201: DepartureSerializer},
    )
    def post(self, request):
        """Plan a group departure (scheduled flight or charter) organised by one of your
        offices; its reference is generated."""
        data = DepartureCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        office = Office.objects.filter(pk=v.pop("office")).select_related("mission").first()
        if office is None or office.pk not in selectors.departure_office_ids(request.user):
            raise PermissionDenied()
        v["project"] = _project(v["project"], office.mission_id)
        departure = services.departure_create(request.user, office=office, **v)
        return Response(self.departure_data(departure), status=201)


class DepartureDetailView(DepartureView):
    @extend_schema(operation_id="departures_retrieve", responses=DepartureSerializer)
    def get(self, request, departure_pk: int):
        """A departure with its escorts and seat counts."""
        return Response(self.departure_data(self.get_departure()))

    @extend_schema(
        operation_id="departures_update",
        request=DepartureUpdateSerializer,
        responses=DepartureSerializer,
    )
    def patch(self, request, departure_pk: int):
        """Change a planned departure with the `version` you read (409 stale_edit). A new date
        moves its seats and is refused if a traveller would not be ready on it."""
        departure = self.get_departure()
        data = DepartureUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        version = v.pop("version")
        if "project" in v:
            v["project"] = _project(v["project"], departure.mission_id)
        services.departure_update(request.user, departure=departure, expected_version=version, **v)
        return Response(self.departure_data(departure))


class DepartureCancelView(DepartureView):
    @extend_schema(
        operation_id="departures_cancel", request=ReasonSerializer, responses=DepartureSerializer
    )
    def post(self, request, departure_pk: int):
        """Cancel a planned departure: its seats are released, its booked cases go back to
        ready to travel. Send the departure's `version`."""
        departure = self.get_departure()
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.departure_cancel(
            request.user,
            departure=departure,
            reason=data.validated_data["reason"],
            expected_version=data.validated_data["version"] or departure.version,
        )
        return Response(self.departure_data(departure))


class DepartureEscortListView(DepartureView):
    serializer_class = EscortSerializer

    @extend_schema(operation_id="departures_escorts_list", responses=EscortSerializer(many=True))
    def get(self, request, departure_pk: int):
        """The escorts of a departure."""
        departure = self.get_departure()
        return Response(EscortSerializer(selectors.escorts_of(departure), many=True).data)

    @extend_schema(
        operation_id="departures_escorts_create",
        request=EscortCreateSerializer,
        responses={201: EscortSerializer},
    )
    def post(self, request, departure_pk: int):
        """Add an escort (medical, operational, child); their seats count against capacity."""
        departure = self.get_departure()
        data = EscortCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        staff = v.pop("staff")
        org = v.pop("organisation")
        escort = services.escort_add(
            request.user,
            departure=departure,
            staff=User.objects.filter(pk=staff).first() if staff else None,
            organisation=Organisation.objects.filter(pk=org).first() if org else None,
            **v,
        )
        return Response(EscortSerializer(escort).data, status=201)


class DepartureEscortDetailView(DepartureView):
    @extend_schema(operation_id="departures_escorts_delete", responses={204: None})
    def delete(self, request, departure_pk: int, escort_pk: int):
        """Take an escort off a planned departure."""
        departure = self.get_departure()
        escort = departure.escorts.filter(pk=escort_pk).first()
        if escort is None:
            raise NotFound()
        services.escort_remove(request.user, escort=escort)
        return Response(status=204)


class DepartureCasesView(DepartureView):
    serializer_class = BookingSerializer

    @extend_schema(
        operation_id="departures_cases_add",
        request=AddCasesSerializer,
        responses={201: BookingSerializer(many=True)},
    )
    def post(self, request, departure_pk: int):
        """Put ready-to-travel cases on the departure: a confirmed seat per traveller and each
        case booked (its gates checked for the departure's date). All or nothing: the error
        names the case and the reason (409 gate_failed, 400 capacity_exceeded, ...)."""
        departure = self.get_departure()
        data = AddCasesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = sorted(set(data.validated_data["cases"]))
        cases = list(case_queryset_for(request.user).filter(pk__in=ids))
        if len(cases) != len(ids):
            raise NotFound()
        opts = data.validated_data["travellers"]
        needs = {o["person"]: o["special_needs"] for o in opts if o["special_needs"] is not None}
        escorts = {o["person"]: o["escort"] for o in opts if o["escort"]}
        assistance = {
            o["person"]: o["airport_assistance"]
            for o in opts
            if o["airport_assistance"] is not None
        }
        bookings = services.departure_add_cases(
            request.user,
            departure=departure,
            cases=cases,
            special_needs=needs,
            escorts=escorts,
            airport_assistance=assistance,
        )
        rows = selectors.manifest(departure).filter(pk__in=[b.pk for b in bookings])
        return Response(
            BookingSerializer(
                rows.prefetch_related("legs"), many=True, context=self.get_serializer_context()
            ).data,
            status=201,
        )


class DepartureCaseRemoveView(DepartureView):
    @extend_schema(
        operation_id="departures_cases_remove",
        request=ReasonSerializer,
        responses=SeatsReleasedSerializer,
    )
    def post(self, request, departure_pk: int, case_pk: int):
        """Take a whole case off a planned departure: its seats are released and a booked case
        goes back to ready to travel."""
        departure = self.get_departure()
        case = case_queryset_for(request.user).filter(pk=case_pk).first()
        if case is None:
            raise NotFound()
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        n = services.departure_remove_case(
            request.user, departure=departure, case=case, reason=data.validated_data["reason"]
        )
        return Response({"released": n})


class DepartureManifestView(DepartureView):
    serializer_class = ManifestRowSerializer

    @extend_schema(operation_id="departures_manifest", responses=ManifestRowSerializer(many=True))
    def get(self, request, departure_pk: int):
        """The manifest: every traveller with date of birth, nationality, travel document,
        escort, special needs, destination and status. The read is audited."""
        departure = self.get_departure()
        rows = documents.manifest_rows(departure)
        services.manifest_printed(
            request.user, departure=departure, fmt="json", travellers=len(rows)
        )
        return Response(ManifestRowSerializer(rows, many=True).data)


class DepartureManifestPdfView(DepartureView):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(operation_id="departures_manifest_pdf", responses=PDF)
    def get(self, request, departure_pk: int):
        """The manifest as PDF (audited)."""
        departure = self.get_departure()
        rows = documents.manifest_rows(departure)
        data = documents.manifest_pdf(departure, rows)
        services.manifest_printed(
            request.user, departure=departure, fmt="pdf", travellers=len(rows)
        )
        return pdf_response(data, f"manifest-{departure.reference}.pdf")


class DepartureManifestXlsxView(DepartureView):
    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(operation_id="departures_manifest_xlsx", responses=XLSX)
    def get(self, request, departure_pk: int):
        """The manifest as XLSX (audited)."""
        departure = self.get_departure()
        rows = documents.manifest_rows(departure)
        data = documents.manifest_xlsx(departure, rows)
        services.manifest_printed(
            request.user, departure=departure, fmt="xlsx", travellers=len(rows)
        )
        return xlsx_response(data, f"manifest-{departure.reference}.xlsx")


class DepartureConfirmView(DepartureView):
    serializer_class = BookingSerializer

    @extend_schema(
        operation_id="departures_confirm_departure",
        request=BulkBookingsSerializer,
        responses=BookingSerializer(many=True),
    )
    def post(self, request, departure_pk: int):
        """Confirm the departure of these seats of the manifest (bulk, all or nothing); cases
        whose travellers have all departed move to departed."""
        departure = self.get_departure()
        data = BulkBookingsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = sorted(set(data.validated_data["bookings"]))
        bookings = list(
            Booking.objects.filter(departure=departure, pk__in=ids).select_related("case")
        )
        if len(bookings) != len(ids):
            raise NotFound()
        services.booking_confirm_departure(request.user, bookings=bookings)
        rows = selectors.manifest(departure).filter(pk__in=ids).prefetch_related("legs")
        return Response(
            BookingSerializer(rows, many=True, context=self.get_serializer_context()).data
        )


# ---- bookings of a case -------------------------------------------------------------------------


class CaseBookingView(CaseView):
    serializer_class = BookingSerializer

    def booking(self, case, action="movement.record"):
        from awda.cases.policies import can

        if not can(self.request.user, action, case):
            raise PermissionDenied()
        return selectors.booking_of_case(case, self.kwargs["booking_pk"])

    def booking_data(self, case, pk):
        return BookingSerializer(
            selectors.booking_of_case(case, pk), context=self.get_serializer_context()
        ).data


class CaseBookingListView(CaseBookingView):
    pagination_class = cursor_pagination("-travel_date", "-id")

    @extend_schema(operation_id="cases_bookings_list", responses=BookingSerializer(many=True))
    def get(self, request, case_pk: int):
        """The case's bookings (every journey, with legs and pocket money). Audited read."""
        case = self.read_case("travel", action="movement.view")
        return self.paginated(selectors.case_bookings(case))

    @extend_schema(
        operation_id="cases_bookings_create",
        request=BookingCreateSerializer,
        responses={201: BookingSerializer},
    )
    def post(self, request, case_pk: int):
        """Book a traveller on an itinerary (status requested; confirm it with its PNR)."""
        case = self.get_case()
        data = BookingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        person = next((m.person for m in travellers(case) if m.person_id == v["person"]), None)
        if person is None:
            raise ValidationFailed(
                fields={"person": [_("This person does not travel in this case.")]}
            )
        booking = services.booking_create(
            request.user,
            case=case,
            person=person,
            legs=_legs(v["legs"]),
            booking_reference=v["booking_reference"],
            ticket_number=v["ticket_number"],
            ticket_cost=v["ticket_cost"],
            currency=v["currency"],
            project=_project(v["project"], case.mission_id),
            special_needs=v["special_needs"],
            airport_assistance=v["airport_assistance"],
            remarks=v["remarks"],
        )
        return Response(self.booking_data(case, booking.pk), status=201)


class CaseBookingDetailView(CaseBookingView):
    @extend_schema(operation_id="cases_bookings_retrieve", responses=BookingSerializer)
    def get(self, request, case_pk: int, booking_pk: int):
        case = self.read_case("travel", action="movement.view")
        return Response(self.booking_data(case, booking_pk))

    @extend_schema(
        operation_id="cases_bookings_update",
        request=BookingUpdateSerializer,
        responses=BookingSerializer,
    )
    def patch(self, request, case_pk: int, booking_pk: int):
        """Change reference, ticket, cost, special needs, escort, airport assistance or remarks
        with the `version` you read."""
        case = self.get_case()
        booking = self.booking(case)
        data = BookingUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        version = v.pop("version")
        if "project" in v:
            v["project"] = _project(v["project"], case.mission_id)
        if "escort" in v:
            escort_id = v["escort"]
            v["escort"] = None
            if escort_id:
                v["escort"] = (
                    booking.departure.escorts.filter(pk=escort_id).first()
                    if booking.departure_id
                    else None
                )
                if v["escort"] is None:
                    raise ValidationFailed(
                        fields={"escort": [_("Choose an escort of this booking's departure.")]}
                    )
        services.booking_update(request.user, booking=booking, expected_version=version, **v)
        return Response(self.booking_data(case, booking.pk))


class CaseBookingConfirmView(CaseBookingView):
    @extend_schema(
        operation_id="cases_bookings_confirm",
        request=BookingConfirmSerializer,
        responses=BookingSerializer,
    )
    def post(self, request, case_pk: int, booking_pk: int):
        """The carrier confirmed the booking (PNR). The last traveller's confirmation books the
        case (its gates checked for the travel date: 409 gate_failed with the reason)."""
        case = self.get_case()
        booking = self.booking(case)
        data = BookingConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.booking_confirm(
            request.user,
            booking=booking,
            booking_reference=data.validated_data["booking_reference"],
            expected_version=data.validated_data["version"],
        )
        return Response(self.booking_data(case, booking.pk))


class CaseBookingCancelView(CaseBookingView):
    @extend_schema(
        operation_id="cases_bookings_cancel", request=ReasonSerializer, responses=BookingSerializer
    )
    def post(self, request, case_pk: int, booking_pk: int):
        """Cancel a requested or confirmed seat; a booked case goes back to ready to travel."""
        case = self.get_case()
        booking = self.booking(case)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.booking_cancel(
            request.user,
            booking=booking,
            reason=data.validated_data["reason"],
            expected_version=data.validated_data["version"],
        )
        return Response(self.booking_data(case, booking.pk))


class CaseBookingNoShowView(CaseBookingView):
    @extend_schema(
        operation_id="cases_bookings_no_show", request=NoShowSerializer, responses=BookingSerializer
    )
    def post(self, request, case_pk: int, booking_pk: int):
        """The traveller did not travel: the case's other seats are released and the case moves
        to no-show (then rebook or withdraw it)."""
        case = self.get_case()
        booking = self.booking(case)
        data = NoShowSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        services.booking_no_show(
            request.user,
            booking=booking,
            reason=v["reason"],
            details=v["details"],
            expected_version=v["version"],
        )
        return Response(self.booking_data(case, booking.pk))


class CaseBookingDepartView(CaseBookingView):
    @extend_schema(
        operation_id="cases_bookings_confirm_departure", request=None, responses=BookingSerializer
    )
    def post(self, request, case_pk: int, booking_pk: int):
        """Confirm this traveller's departure (on or after the flight's day)."""
        case = self.get_case()
        booking = self.booking(case)
        services.booking_confirm_departure(request.user, bookings=[booking])
        return Response(self.booking_data(case, booking.pk))


class CaseBookingArriveView(CaseBookingView):
    @extend_schema(
        operation_id="cases_bookings_confirm_arrival", request=None, responses=BookingSerializer
    )
    def post(self, request, case_pk: int, booking_pk: int):
        """Confirm this traveller's arrival (the receiving mission after the handover)."""
        case = self.get_case()
        booking = self.booking(case, "arrival.confirm")
        services.booking_confirm_arrival(request.user, bookings=[booking])
        return Response(self.booking_data(case, booking.pk))


class CaseRebookView(CaseBookingView):
    @extend_schema(
        operation_id="cases_rebook",
        request=RebookSerializer,
        responses={201: BookingSerializer(many=True)},
    )
    def post(self, request, case_pk: int):
        """Book a no-show case again, on a planned `departure` or on new `legs` with their PNR;
        the case goes back to booked (readiness checked again for the new date)."""
        case = self.get_case()
        data = RebookSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        departure = None
        if v["departure"]:
            departure = selectors.departure_get_for(request.user, v["departure"])
        bookings = services.booking_rebook(
            request.user,
            case=case,
            departure=departure,
            legs=_legs(v["legs"]) or None,
            booking_reference=v["booking_reference"],
            ticket_cost=v["ticket_cost"],
            currency=v["currency"],
        )
        rows = selectors.case_bookings(case).filter(pk__in=[b.pk for b in bookings])
        return Response(
            BookingSerializer(rows, many=True, context=self.get_serializer_context()).data,
            status=201,
        )


class CasePocketMoneyView(CaseBookingView):
    serializer_class = PocketMoneySerializer

    @extend_schema(
        operation_id="cases_bookings_pocket_money_pay",
        request=PocketMoneyPaySerializer,
        responses={201: PocketMoneySerializer},
    )
    def post(self, request, case_pk: int, booking_pk: int):
        """Record the departure-day pocket money of this seat (default amount:
        AWDA_POCKET_MONEY_DEFAULT)."""
        case = self.get_case()
        booking = self.booking(case)
        data = PocketMoneyPaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        v["project"] = _project(v["project"], case.mission_id)
        pm = services.pocket_money_pay(request.user, booking=booking, **v)
        return Response(PocketMoneySerializer(pm).data, status=201)


class PocketMoneyMixin:
    def pocket_money(self, case, action):
        booking = self.booking(case, action)
        pm = getattr(booking, "pocket_money", None) if hasattr(booking, "pocket_money") else None
        if pm is None:
            raise NotFound()
        pm.booking = booking
        return pm


class CasePocketMoneyReceiptView(PocketMoneyMixin, CaseBookingView):
    parser_classes = [MultiPartParser]
    renderer_classes = [JSONRenderer, PdfRenderer]
    serializer_class = PocketMoneySerializer
    conflict_statuses = False

    @extend_schema(operation_id="cases_bookings_pocket_money_receipt", responses=PDF)
    def get(self, request, case_pk: int, booking_pk: int):
        """The receipt to sign, as PDF (audited)."""
        case = self.get_case()
        pm = self.pocket_money(case, "movement.view")
        data = documents.receipt_pdf(pm)
        services.pocket_money_receipt_printed(request.user, pocket_money=pm)
        return pdf_response(data, f"pocket-money-{case.number}-{pm.booking.person_id}.pdf")

    @extend_schema(
        operation_id="cases_bookings_pocket_money_receipt_upload",
        request=PocketMoneyReceiptUploadSerializer,
        responses={200: PocketMoneySerializer},
    )
    def post(self, request, case_pk: int, booking_pk: int):
        """Upload the signed receipt (multipart/form-data)."""
        case = self.get_case()
        pm = self.pocket_money(case, "movement.record")
        data = PocketMoneyReceiptUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pm = services.pocket_money_receipt_add(
            request.user, pocket_money=pm, file=data.validated_data["file"]
        )
        return Response(PocketMoneySerializer(pm).data)


class CasePocketMoneyReceiptDownloadView(PocketMoneyMixin, CaseBookingView):
    renderer_classes = [JSONRenderer, PassthroughRenderer]
    conflict_statuses = False

    @extend_schema(
        operation_id="cases_bookings_pocket_money_receipt_download",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description=gettext_lazy("The signed receipt.")
            )
        },
    )
    def get(self, request, case_pk: int, booking_pk: int):
        """Download the signed receipt (audited)."""
        case = self.get_case()
        pm = self.pocket_money(case, "movement.view")
        if not pm.receipt:
            raise NotFound()
        try:
            handle = pm.receipt.open("rb")
        except FileNotFoundError:  # the record outlived its file
            raise NotFound() from None
        services.pocket_money_receipt_viewed(request.user, pocket_money=pm)
        return FileResponse(handle, as_attachment=True, filename=pm.receipt_name)


# ---- expected arrivals (the receiving mission) -------------------------------------------------


class ArrivalListView(ApiView):
    pagination_class = cursor_pagination("travel_date", "id")
    serializer_class = BookingSerializer

    @extend_schema(operation_id="arrivals_list", responses=BookingSerializer(many=True))
    def get(self, request):
        """Departed seats (and those arrived in the last 30 days) of cases handed over to the
        origin missions where you confirm arrivals."""
        return self.paginated(
            selectors.expected_arrivals(request.user)
            .select_related("pocket_money")
            .prefetch_related("legs")
        )


class ArrivalConfirmView(ApiView):
    serializer_class = BookingSerializer
    conflict_statuses = True

    @extend_schema(
        operation_id="arrivals_confirm",
        request=BulkBookingsSerializer,
        responses=BookingSerializer(many=True),
    )
    def post(self, request):
        """Confirm the arrival of these departed seats (bulk, all or nothing); cases whose
        travellers have all arrived move to arrived."""
        data = BulkBookingsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        bookings = selectors.bookings_for_user(request.user, data.validated_data["bookings"])
        services.booking_confirm_arrival(request.user, bookings=bookings)
        rows = (
            Booking.objects.filter(pk__in=[b.pk for b in bookings])
            .select_related("person", "case", "departure", "pocket_money")
            .prefetch_related("legs")
        )
        return Response(
            BookingSerializer(rows, many=True, context=self.get_serializer_context()).data
        )
