"""What a case is entitled to under a project's reintegration caps (domain.md section 7).

Caps are configuration (admin "Reintegration caps"), never code: ReintegrationCap rows of the
project. The most specific rule that matches the case applies:

    nationality + vulnerability  >  nationality  >  vulnerability  >  general

A nationality rule matches the case's nationality (its principal applicant's). A vulnerability
rule matches when any traveller's current screening has that flag. When several rules of the
same rank match (two vulnerability flags), the highest amount applies (the returnee is entitled
to the more favourable one). A per-person cap is multiplied by the number of travellers; a
per-case cap is the amount. No matching rule: no cap is configured, and a plan cannot be
submitted until one is (cap_for returns None)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from awda.cases.readiness import travellers
from awda.screening.factors import RESTRICTED_FLAGS
from awda.screening.selectors import current_screenings

from ..choices import CapBasis
from ..common import CENT
from ..models import ReintegrationCap


@dataclass(frozen=True)
class Cap:
    amount: Decimal  # the rule's amount (per person or per case)
    currency: str
    basis: str  # CapBasis
    rule: str  # neutral label of the rule, e.g. "Project cap AVRR-GN, nationality GN"
    persons: int  # travellers counted for a per-person cap
    entitled: Decimal  # what the case may receive in total
    rule_id: int | None = None

    @property
    def per_person(self) -> bool:
        return self.basis == CapBasis.PERSON


def _rank(rule: ReintegrationCap) -> int:
    return (2 if rule.nationality else 0) + (1 if rule.vulnerability else 0)


def matching_rule(rules, *, nationality: str, flags: set[str]) -> ReintegrationCap | None:
    """The most specific of `rules` that matches (highest amount among equals); pure."""
    matching = [
        r
        for r in rules
        if (not r.nationality or r.nationality.upper() == (nationality or "").upper())
        and (not r.vulnerability or r.vulnerability in flags)
    ]
    if not matching:
        return None
    return max(matching, key=lambda r: (_rank(r), r.amount, -r.pk if r.pk else 0))


def rule_label(rule: ReintegrationCap, project) -> str:
    """A neutral label: the nationality code, the vulnerability flag (a restricted category is
    shown as "protection category", never by name: the label is seen by every case role)."""
    parts = [_("Project cap %(code)s") % {"code": project.code}]
    if rule.nationality:
        parts.append(_("nationality %(code)s") % {"code": rule.nationality.upper()})
    if rule.vulnerability:
        if rule.vulnerability in RESTRICTED_FLAGS:
            parts.append(_("protection category"))
        else:
            parts.append(_("vulnerability %(flag)s") % {"flag": rule.vulnerability})
    if rule.basis == CapBasis.PERSON:
        parts.append(_("per returnee"))
    else:
        parts.append(_("per case"))
    return ", ".join(str(p) for p in parts)[:200]


def case_flags(case) -> set[str]:
    """The flags of the travellers' current screenings."""
    ids = {m.person_id for m in travellers(case)}
    flags: set[str] = set()
    for person_id, screening in current_screenings(case).items():
        if person_id in ids:
            flags.update(screening.flags or [])
    return flags


def cap_for(case, project) -> Cap | None:
    """The cap of `case` under `project`, or None when the project has no rule for it."""
    if project is None:
        return None
    rules = list(ReintegrationCap.objects.filter(project=project))
    if not rules:
        return None
    needs_flags = any(r.vulnerability for r in rules)
    rule = matching_rule(
        rules, nationality=case.nationality, flags=case_flags(case) if needs_flags else set()
    )
    if rule is None:
        return None
    persons = max(len(travellers(case)), 1)
    amount = Decimal(rule.amount).quantize(CENT)
    entitled = amount * persons if rule.basis == CapBasis.PERSON else amount
    return Cap(
        amount=amount,
        currency=rule.currency,
        basis=rule.basis,
        rule=rule_label(rule, project),
        persons=persons,
        entitled=entitled.quantize(CENT),
        rule_id=rule.pk,
    )
