"""The handover of a case to the origin mission (domain.md sections 1, 3.8 and 10).

Origin missions see a case once it is handed over to them, not before. The handover is a
disclosure of the travellers' personal data to that mission: it is recorded in the transfer log
(consent.services.transfer_record, purpose "origin_mission") in the same transaction, and refused,
nothing written, when a traveller has not consented to it. What is shared:

- identity, contact details, case information and documents: the handover needs every
  traveller's valid consent to sharing with the origin mission (otherwise it is refused, naming
  who lacks it);
- health (fitness to travel and special needs, for the reception at the airport): only when every
  traveller also consented to the processing and sharing of their health data; otherwise it is
  withheld, and the Handover row says so;
- child-protection and trafficking data are NOT part of the handover: they go to the origin
  mission through their own procedures (family tracing, return-risk assessment), each logged as
  its own transfer.

Then `case.receiving_mission` and `case.handed_over_at` are set (cases.services
.case_set_receiving_mission) and the mission's staff see the case (cases.selectors scoping and
cases.policies.roles_on_case).

Services and selectors live here (one module, small); `register()` adds the case-page tab and
the timeline labels (called from MovementsConfig.ready)."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awda.audit.services import audit_record
from awda.cases.choices import Status
from awda.cases.policies import can
from awda.cases.readiness import travellers as case_travellers
from awda.cases.services import case_set_receiving_mission, lock_case
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.screening.consent.choices import RESTRICTED_CATEGORIES, DataCategory, Purpose
from awda.screening.consent.selectors import valid_purposes
from awda.screening.consent.services import transfer_record
from awda.screening.selectors import default_origin_mission, is_origin_mission, origin_missions

from .models import Handover

HANDED_OVER = "movements.case.handed_over"

# A case is handed over once it is ready to travel, and at the latest on the day it leaves: the
# origin mission must see it before the arrival to receive the person.
HANDOVER_STATUSES = (Status.READY_TO_TRAVEL, Status.BOOKED, Status.DEPARTED)

# What a handover shares: the base categories need consent to sharing with the origin mission;
# health needs, in addition, consent to the processing and sharing of health data.
BASE_CATEGORIES = (
    DataCategory.IDENTITY,
    DataCategory.CONTACT,
    DataCategory.CASE,
    DataCategory.DOCUMENTS,
)
HANDOVER_CATEGORIES = (*BASE_CATEGORIES, DataCategory.HEALTH)
# Shared with the origin mission by their own procedure, never by the handover.
OWN_PROCEDURE_CATEGORIES = {
    DataCategory.CHILD_PROTECTION: gettext_lazy(
        "Child-protection data are shared with the origin mission by the family-tracing "
        "request of the child-protection procedure, not by the handover."
    ),
    DataCategory.TRAFFICKING: gettext_lazy(
        "Trafficking data are shared with the origin mission by the return-risk assessment, "
        "not by the handover."
    ),
}
CATEGORY_HELP = {
    DataCategory.IDENTITY: gettext_lazy("Names, sex, date of birth, nationality"),
    DataCategory.CONTACT: gettext_lazy("Phone, address, destination area"),
    DataCategory.CASE: gettext_lazy("Case number, travellers, travel details"),
    DataCategory.DOCUMENTS: gettext_lazy("Identity and travel documents"),
    DataCategory.HEALTH: gettext_lazy(
        "Fitness to travel and special needs, for the reception on arrival"
    ),
}


# ---- selectors -----------------------------------------------------------------------------------


@dataclass
class CategoryState:
    code: str
    label: str
    help: str
    purposes: list[str]  # consents every traveller needs for it
    allowed: bool  # every traveller holds them
    missing: list[str] = field(default_factory=list)  # names of travellers without them

    @property
    def reason(self) -> str:
        if self.allowed:
            return ""
        return _("No valid consent of %(names)s to “%(purpose)s”.") % {
            "names": ", ".join(self.missing),
            "purpose": Purpose(self.purposes[-1]).label,
        }


@dataclass
class HandoverPlan:
    """What a handover of the case would share now, as consent allows it."""

    mission: object  # the default origin mission, or None
    travellers: list  # CaseMember rows (persons selected)
    categories: list[CategoryState]
    status_ok: bool
    already: object = None  # the mission the case was handed over to, if it was

    @property
    def allowed_codes(self) -> list[str]:
        return [c.code for c in self.categories if c.allowed]

    @property
    def possible(self) -> bool:
        """The base categories are allowed (every traveller consented to sharing)."""
        return all(c.allowed for c in self.categories if c.code in BASE_CATEGORIES)


def _purposes_for(code: str) -> list[str]:
    if code == DataCategory.HEALTH:
        return [Purpose.ORIGIN_MISSION.value, Purpose.HEALTH_DATA.value]
    return [Purpose.ORIGIN_MISSION.value]


def handover_plan(case, *, on_date=None) -> HandoverPlan:
    """The default origin mission, the travellers and, per category a handover may share,
    whether every traveller's consent allows it (and who lacks it). Three queries at most
    (travellers, consents, the origin mission)."""
    members = case_travellers(case)
    purposes = valid_purposes([m.person_id for m in members], on_date=on_date)
    labels = dict(DataCategory.choices)
    states = []
    for code in HANDOVER_CATEGORIES:
        needed = _purposes_for(code)
        missing = [
            m.person.full_name
            for m in members
            if not all(p in purposes.get(m.person_id, set()) for p in needed)
        ]
        states.append(
            CategoryState(
                code=code,
                label=str(labels[code]),
                help=str(CATEGORY_HELP[code]),
                purposes=needed,
                allowed=bool(members) and not missing,
                missing=missing,
            )
        )
    return HandoverPlan(
        mission=default_origin_mission(case),
        travellers=members,
        categories=states,
        status_ok=case.status in HANDOVER_STATUSES,
        already=case.receiving_mission if case.handed_over_at else None,
    )


def handovers_for_case(case):
    """The case's handovers, newest first, with the mission, the user and the transfer (one
    query)."""
    return Handover.objects.filter(case=case).select_related(
        "mission", "handed_over_by", "transfer"
    )


def hidden_handover_categories(user, case) -> frozenset[str]:
    """Categories `user` may not see named on this case's handovers: health, unless they see
    the fitness-to-travel decision (what the handover shares of health) or medical records."""
    if can(user, "fitness.view", case) or can(user, "health.view", case):
        return frozenset()
    return frozenset({DataCategory.HEALTH.value})


# ---- service -------------------------------------------------------------------------------------


def _clean_categories(categories, plan: HandoverPlan) -> list[str]:
    if categories is None:
        return plan.allowed_codes if plan.possible else list(BASE_CATEGORIES)
    codes = []
    errors = []
    for c in categories:
        c = str(c)
        if c in OWN_PROCEDURE_CATEGORIES:
            errors.append(str(OWN_PROCEDURE_CATEGORIES[c]))
        elif c not in HANDOVER_CATEGORIES:
            errors.append(_("Unknown data category: %(code)s.") % {"code": c})
        elif c not in codes:
            codes.append(c)
    if not errors and DataCategory.IDENTITY not in codes:
        errors.append(_("A handover shares at least the identity of the travellers."))
    if errors:
        raise ValidationFailed(fields={"categories": errors})
    return [c for c in HANDOVER_CATEGORIES if c in codes]


def _clean_mission(case, mission):
    mission = mission or default_origin_mission(case)
    if mission is None:
        raise ValidationFailed(
            fields={
                "mission": [_("No origin mission is set up for the country of return: choose one.")]
            }
        )
    if not is_origin_mission(mission):
        raise ValidationFailed(
            fields={"mission": [_("A case is handed over to an active origin mission only.")]}
        )
    return mission


def case_handover(user, *, case, mission=None, categories=None, notes: str = "") -> Handover:
    """Hand the case over to `mission` (default: the origin mission of the country of return).

    `categories`: what is shared, among identity, contact, case, documents and health (identity
    required); by default every category the travellers' consent allows. Refused
    (ValidationFailed, nothing written) when the case is not between ready to travel and
    departed, when it was already handed over, or (code "consent_missing", naming who) when a
    traveller lacks the consent a category needs. In one transaction: the transfer log entry,
    the Handover row, the case's receiving mission, the audit event."""
    if not can(user, "handover.record", case):
        raise PermissionDenied()
    mission = _clean_mission(case, mission)
    with transaction.atomic():
        locked = lock_case(case, None)
        if locked.status not in HANDOVER_STATUSES:
            raise ValidationFailed(
                _(
                    "A case is handed over to the origin mission once it is ready to travel "
                    "and until it departs (status now: %(status)s)."
                )
                % {"status": locked.get_status_display()},
                code="handover_status",
            )
        if locked.handed_over_at:
            if locked.receiving_mission_id == mission.pk:
                message = _("The case was already handed over to %(mission)s.")
            else:
                message = _(
                    "The case was already handed over to another mission; it cannot be handed "
                    "over to %(mission)s as well."
                )
            raise ValidationFailed(message % {"mission": mission.name}, code="handed_over")
        plan = handover_plan(locked)
        if not plan.travellers:
            raise ValidationFailed(_("The case has no traveller."), code="no_traveller")
        shared = _clean_categories(categories, plan)
        withheld = [c for c in HANDOVER_CATEGORIES if c not in shared]
        notes = (notes or "").strip()
        transfer = transfer_record(
            user,
            case=locked,
            persons=[m.person_id for m in plan.travellers],
            recipient=mission.name,
            purpose=Purpose.ORIGIN_MISSION,
            categories=shared,
            notes=notes or _("Handover to the origin mission"),
        )
        handover = Handover.objects.create(
            case=locked,
            mission=mission,
            categories=shared,
            withheld=withheld,
            transfer=transfer,
            notes=notes,
            handed_over_by=user,
        )
        case_set_receiving_mission(
            user, case=case, mission=mission, handed_over_at=timezone.now(), categories=shared
        )
        restricted = any(c in RESTRICTED_CATEGORIES for c in shared)
        audit_record(
            user,
            action=HANDED_OVER,
            obj=handover,
            object_repr=mission.name,
            case_id=case.pk,
            office_id=case.office_id,
            # A restricted category is not named in the trail every role on the case reads.
            changes={
                "mission": mission.code,
                "members": [m.person_id for m in plan.travellers],
                "categories": [c for c in shared if c not in RESTRICTED_CATEGORIES],
                "withheld": [c for c in withheld if c not in RESTRICTED_CATEGORIES],
                **({"restricted_category": True} if restricted else {}),
                "transfer": transfer.pk,
            },
        )
    return handover


def handover_missions():
    """The missions a case can be handed over to (active origin missions)."""
    return origin_missions()


# ---- registration (MovementsConfig.ready) ------------------------------------------------------


def register() -> None:
    """The case page's "Handover" tab and the timeline label of the handover."""
    from awda.cases.views.detail import register_tab
    from awda.cases.views.timeline import register_actions, register_value_labels

    from .views.handover import tab_handover

    register_tab(
        "handover",
        gettext_lazy("Handover"),
        "bi-box-arrow-right",
        builder=tab_handover,
        template="movements/handover/tab.html",
        action="case.view",
        before="timeline",
    )
    labels = dict(DataCategory.choices)
    register_value_labels("withheld", gettext_lazy("data withheld"), lambda c: labels.get(c, c))
    register_actions(
        {HANDED_OVER: (gettext_lazy("Handed over to the origin mission"), "bi-send", "success")}
    )
