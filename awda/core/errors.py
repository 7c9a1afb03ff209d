"""Domain errors. Services raise these; one handler translates them for the API (JSON) and the
web UI (messages / form errors). Messages are translatable; codes are stable."""

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    code = "error"
    status = 400
    default_message = _("The request could not be processed.")

    def __init__(self, message=None, *, code=None, fields=None, details=None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.fields = fields or {}
        self.details = details or {}
        super().__init__(str(self.message))

    def as_dict(self) -> dict:
        data = {"code": self.code, "message": str(self.message)}
        if self.fields:
            data["fields"] = {k: [str(m) for m in v] for k, v in self.fields.items()}
        if self.details:
            data["details"] = self.details
        return data


class ValidationFailed(ApplicationError):
    code = "validation_error"
    status = 400
    default_message = _("Some fields are invalid.")


class NotFound(ApplicationError):
    code = "not_found"
    status = 404
    default_message = _("Not found.")


class PermissionDenied(ApplicationError):
    code = "permission_denied"
    status = 403
    default_message = _("You are not allowed to do this.")


class StaleEdit(ApplicationError):
    code = "stale_edit"
    status = 409
    default_message = _(
        "This record was changed by someone else since you opened it. "
        "Reload it and apply your change again."
    )


class TransitionRefused(ApplicationError):
    code = "transition_refused"
    status = 409
    default_message = _("This transition is not possible.")
