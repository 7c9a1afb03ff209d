from django.contrib.auth import authenticate, user_logged_in
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from awda.core.api.views import ApiView
from awda.core.errors import ApplicationError

from ..models import Membership, User
from ..services import user_token_issue, user_tokens_revoke
from .serializers import MeSerializer, TokenObtainSerializer, TokenResponseSerializer


class InvalidCredentials(ApplicationError):
    code = "invalid_credentials"
    status = 400
    default_message = gettext_lazy("Unable to log in with the username and password given.")


class LockedOut(ApplicationError):
    code = "locked_out"
    status = 429  # as django-axes answers on the login page
    default_message = gettext_lazy(
        "Too many failed login attempts: this account is locked for a while."
    )


class TokenView(ApiView):
    """API tokens: POST credentials to get one, DELETE to revoke it."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"
    serializer_class = TokenObtainSerializer

    def _is_anonymous_method(self) -> bool:
        request = getattr(self, "request", None)
        return request is None or request.method != "DELETE"

    def get_authenticators(self):
        return [] if self._is_anonymous_method() else super().get_authenticators()

    def get_permissions(self):
        return [AllowAny()] if self._is_anonymous_method() else super().get_permissions()

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenObtainSerializer,
        responses={200: TokenResponseSerializer},
        auth=[],
    )
    def post(self, request):
        """Exchange a username and password for an API token; send it as
        `Authorization: Token <key>`.

        Goes through the same lockout as the login page (django-axes): after too many failures
        the account is locked for a while (429 locked_out), even with the right password."""
        params = TokenObtainSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        # authenticate() with the request: django-axes counts failures and refuses locked users.
        user = authenticate(
            request=request,
            username=params.validated_data["username"],
            password=params.validated_data["password"],
        )
        if user is None:
            if getattr(request, "axes_locked_out", False):
                raise LockedOut()
            raise InvalidCredentials()
        # The same signal as a web login: resets the failure count, records the last login.
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        return Response({"token": user_token_issue(user).key})

    @extend_schema(
        operation_id="auth_token_destroy",
        request=None,
        responses={204: OpenApiResponse(description=gettext_lazy("Token revoked."))},
    )
    def delete(self, request):
        """Revoke the caller's token (log an API client out)."""
        user_tokens_revoke(request.user)
        return Response(status=204)


class MeView(ApiView):
    """The authenticated user and their active memberships (office, mission, role)."""

    serializer_class = MeSerializer

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        active = Membership.objects.filter(is_active=True).select_related(
            "office", "office__mission"
        )
        user = User.objects.prefetch_related(Prefetch("memberships", queryset=active)).get(
            pk=request.user.pk
        )
        return Response(MeSerializer(user).data)
