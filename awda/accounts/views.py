"""Login, logout and password change: Django's auth views with Awda's templates and forms.
Failed logins are counted by django-axes (AxesStandaloneBackend + AxesMiddleware), which renders
accounts/locked_out.html once AXES_FAILURE_LIMIT is reached."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from .forms import LoginForm, StyledPasswordChangeForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        context["session_minutes"] = settings.SESSION_COOKIE_AGE // 60
        return context


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): a link cannot log someone out."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have been signed out."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = StyledPasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        # Views are interfaces: they may call the audit service (accounts models stay below audit).
        from awda.audit.services import audit_record

        from .services import user_tokens_revoke

        with transaction.atomic():
            response = super().form_valid(form)
            user_tokens_revoke(self.request.user)  # API clients must sign in again
            audit_record(
                self.request.user, action="accounts.user.password_changed", obj=self.request.user
            )
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"
