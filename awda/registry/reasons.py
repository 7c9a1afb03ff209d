"""Human-readable texts for the duplicate engine's reasons (awda.registry.matching).

The engine produces stable codes with params (matching.REASON_CODES); this module is the one place
that turns them into translated sentences, for the registration check, the API and the duplicates
review queue.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .matching import Match, Reason


def _p(reason: Reason, key: str) -> str:
    value = (reason.params or {}).get(key, "")
    return "" if value is None else str(value)


def _int(reason: Reason, key: str) -> int:
    try:
        return abs(int((reason.params or {}).get(key) or 0))
    except (TypeError, ValueError):
        return 0


def _same_document(r: Reason) -> str:
    number = _p(r, "number")
    if number:
        return _("Same document number: %(number)s") % {"number": number}
    return _("Same document number")


def _same_phone(r: Reason) -> str:
    phone = _p(r, "phone")
    if phone:
        return _("Same phone number: %(phone)s") % {"phone": phone}
    return _("Same phone number")


def _pair(message: str, fallback: str):
    def text(r: Reason) -> str:
        a, b = _p(r, "a"), _p(r, "b")
        if a and b:
            return message % {"a": a, "b": b}
        return fallback

    return text


def _dob_close(r: Reason) -> str:
    days = _int(r, "days")
    if days:
        return ngettext(
            "Date of birth close (%(days)d day apart)",
            "Date of birth close (%(days)d days apart)",
            days,
        ) % {"days": days}
    return _("Date of birth close")


def _year_differs(r: Reason) -> str:
    years = _int(r, "years")
    if years:
        return ngettext(
            "Year of birth differs by %(years)d",
            "Year of birth differs by %(years)d",
            years,
        ) % {"years": years}
    return _("Year of birth differs")


# One entry per code of matching.REASON_CODES (a test checks they agree). Lambdas so the gettext
# call happens at render time, in the active language.
_TEXTS = {
    "same_document": _same_document,
    "document_typo": _pair(
        _("Document numbers one typing mistake apart: %(a)s ~ %(b)s"),
        _("Document numbers one typing mistake apart"),
    ),
    "different_document": lambda r: _("Different document numbers of the same type"),
    "same_phone": _same_phone,
    "different_phone": lambda r: _("Different phone numbers"),
    "same_name": lambda r: _("Same name"),
    "name_variant": _pair(_("Name variant: %(a)s ~ %(b)s"), _("Name variant")),
    "names_swapped": lambda r: _("Given and family names swapped"),
    "name_shortened": _pair(_("Name shortened: %(a)s ~ %(b)s"), _("Name shortened")),
    "name_typo": _pair(_("Probable typing mistake: %(a)s ~ %(b)s"), _("Probable typing mistake")),
    "different_name": lambda r: _("Different names"),
    "common_name": lambda r: _("Common name (shared by many people)"),
    "same_date_of_birth": lambda r: _("Same date of birth"),
    "same_birth_year": lambda r: _("Same year of birth"),
    "date_of_birth_close": _dob_close,
    "birth_year_differs": _year_differs,
    "date_of_birth_differs": lambda r: _("Different dates of birth"),
    "same_nationality": lambda r: _("Same nationality"),
    "different_nationality": lambda r: _("Different nationalities"),
    "different_sex": lambda r: _("Different sex"),
    "same_household": lambda r: _("Members of the same case: different people"),
}


def reason_text(reason: Reason) -> str:
    """The translated sentence for one reason, e.g. "Name variant: Jallow ~ Diallo"."""
    text = _TEXTS.get(reason.code)
    if text is None:  # an engine newer than this table: show the code rather than nothing
        return reason.code.replace("_", " ").capitalize()
    return text(reason)


def ordered_reasons(match: Match) -> list[Reason]:
    """Reasons strongest first: the ones for a match (largest weight first), then the ones
    against (most negative first)."""
    reasons = list(match.reasons)
    for_ = sorted((r for r in reasons if r.weight >= 0), key=lambda r: -r.weight)
    against = sorted((r for r in reasons if r.weight < 0), key=lambda r: r.weight)
    return for_ + against


def match_reasons(match: Match) -> list[str]:
    """The reasons of a match as translated sentences, strongest first."""
    return [reason_text(r) for r in ordered_reasons(match)]


def reasons_payload(match: Match) -> list[dict]:
    """The reasons as the API returns them: [{code, params, text, weight}], strongest first
    (`weight` > 0 speaks for the match, < 0 against)."""
    return [
        {
            "code": r.code,
            "params": dict(r.params or {}),
            "text": reason_text(r),
            "weight": round(float(r.weight), 3),
        }
        for r in ordered_reasons(match)
    ]
