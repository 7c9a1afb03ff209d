"""Consent API: the consents of a case's members (list, record, withdraw) and the case's transfer
log (list, record a disclosure made outside Awda). Thin views over consent.selectors and
consent.services; the case is resolved through the scoped selector (404 outside your scope) and
every read is audited (parts "consent" and "transfers")."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from awda.cases.api.views import CaseView
from awda.cases.policies import can
from awda.core.api.pagination import cursor_pagination
from awda.core.errors import NotFound, PermissionDenied, ValidationFailed

from .. import selectors, services
from .serializers import (
    ConsentCreateSerializer,
    ConsentSerializer,
    ConsentWithdrawSerializer,
    DataTransferCreateSerializer,
    DataTransferSerializer,
)


class _ConsentCaseView(CaseView):
    # Consents and transfers are append-only: no version, no 409.
    conflict_statuses = False

    def require(self, action: str, case) -> None:
        if not can(self.request.user, action, case):
            raise PermissionDenied()


class CaseConsentListView(_ConsentCaseView):
    pagination_class = cursor_pagination("-created_at", "-id")
    serializer_class = ConsentSerializer

    @extend_schema(operation_id="cases_consents_list", responses=ConsentSerializer(many=True))
    def get(self, request, case_pk: int):
        """Every consent and refusal of the case's members, newest first, including those taken
        in an earlier case of the person (a consent belongs to the person). `valid` says whether
        it counts today. The read is audited."""
        case = self.read_case("consent", action="consent.view")
        page = self.paginate_queryset(selectors.consents_for_case(case))
        page = selectors.mask_foreign(page, request.user, case)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="cases_consents_create",
        request=ConsentCreateSerializer,
        responses={201: ConsentSerializer},
    )
    def post(self, request, case_pk: int):
        """Record a member's consent (or refusal, `given: false`) for one purpose. A person
        under 18 on `given_on` needs `guardian_name` and `guardian_relationship`. A new record
        supersedes nothing: the history is the list."""
        case = self.get_case()
        self.require("consent.record", case)
        data = ConsentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        member = case.members.select_related("person").filter(person_id=v.pop("person")).first()
        if member is None:
            raise ValidationFailed(
                fields={"person": [_("This person is not a member of the case.")]}
            )
        consent = services.consent_record(request.user, case=case, person=member.person, **v)
        consent = selectors.consents_for_case(case).get(pk=consent.pk)
        (consent,) = selectors.mask_foreign([consent], request.user, case)
        return Response(self.get_serializer(consent).data, status=201)


class CaseConsentWithdrawView(_ConsentCaseView):
    serializer_class = ConsentSerializer

    @extend_schema(
        operation_id="cases_consents_withdraw",
        request=ConsentWithdrawSerializer,
        responses={200: ConsentSerializer},
    )
    def post(self, request, case_pk: int, consent_pk: int):
        """Withdraw a consent of a member of the case (also one taken in an earlier case).
        From `withdrawn_on` (today by default) it no longer allows any disclosure. A consent
        already withdrawn is refused (400 already_withdrawn)."""
        case = self.get_case()
        self.require("consent.record", case)
        consent = selectors.consents_for_case(case).filter(pk=consent_pk).first()
        if consent is None:
            raise NotFound()
        data = ConsentWithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.consent_withdraw(
            request.user,
            consent=consent,
            reason=data.validated_data["reason"],
            withdrawn_on=data.validated_data["withdrawn_on"],
            case=case,
        )
        consent = selectors.consents_for_case(case).get(pk=consent.pk)
        (consent,) = selectors.mask_foreign([consent], request.user, case)
        return Response(self.get_serializer(consent).data)


class CaseTransferListView(_ConsentCaseView):
    pagination_class = cursor_pagination("-transferred_on", "-created_at", "-id")
    serializer_class = DataTransferSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        case = getattr(self, "case", None)
        if case is not None:
            context["hidden_categories"] = selectors.hidden_categories(self.request.user, case)
        return context

    @extend_schema(operation_id="cases_transfers_list", responses=DataTransferSerializer(many=True))
    def get(self, request, case_pk: int):
        """The case's transfer log: every disclosure of its members' data (recipient, purpose,
        persons, data categories, the consents relied on), newest first. The read is
        audited."""
        case = self.case = self.read_case("transfers", action="transfer.view")
        return self.paginated(selectors.transfers_for_case(case))

    @extend_schema(
        operation_id="cases_transfers_create",
        request=DataTransferCreateSerializer,
        responses={201: DataTransferSerializer},
    )
    def post(self, request, case_pk: int):
        """Record a disclosure made outside Awda (letter, e-mail, phone). Refused with 400
        `consent_missing` (the message names each person and purpose; `details.missing` lists
        them) when a person has no valid consent on `transferred_on` for the purpose, or for
        health data when `categories` includes `health`."""
        case = self.case = self.get_case()
        self.require("transfer.record", case)
        data = DataTransferCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        transfer = services.transfer_record(request.user, case=case, **data.validated_data)
        transfer = selectors.transfers_for_case(case).get(pk=transfer.pk)
        return Response(self.get_serializer(transfer).data, status=201)
