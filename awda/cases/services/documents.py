"""Printed documents of a case that contain personal data: every print is audited."""

from awda.audit.services import audit_record

from ..declaration import declaration_pdf, language_for
from ..models import Case
from ._common import _require

DECLARATION_PRINTED = "cases.declaration.printed"


def case_declaration_printed(user, *, case: Case, language: str | None = None) -> bytes:
    """The declaration of voluntary return of `case` as a PDF in `language` (fr or en, else
    French), for a user with "case.declaration"; the print is written to the audit trail."""
    _require(user, "case.declaration", case)
    language = language_for(language, None)
    data = declaration_pdf(case, language=language)
    audit_record(
        user,
        action=DECLARATION_PRINTED,
        obj=case,
        case_id=case.pk,
        office_id=case.office_id,
        changes={"language": language},
    )
    return data
