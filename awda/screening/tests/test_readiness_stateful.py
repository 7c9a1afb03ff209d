"""Stateful property: no sequence of actions brings a case that misses a required safeguard to
"ready to travel", "booked" or "departed" (issue 3 §6).

test_readiness_property.py writes one state straight to the tables and tries "Ready to travel"
once. This machine drives only the real services (the one write path), each as the role that
would use it, and interleaves them with the transitions, so it also reaches what happens *after*
"Ready to travel": a re-screening by someone who may not clear a flag, a member added or told to
travel, a best-interests determination reopened after booking, a fitness decision that expires
while the clock runs, a consent withdrawn, a hold and a resume, and the same person in a second
case (consents and trafficking records belong to the person).

The world of one run: case A (a principal who is an adult, a child, or 17 and turning 18 in three
days, and a 16-year-old who travels or not) and case B (an adult principal and one person of case
A), both in pre-departure, nobody screened. The rules draw single steps of every procedure with
random outcomes (most leave a safeguard missing), macros that run a whole procedure the right
way (or everything the checklist says is missing), disturbances (what breaks readiness after the
fact), the clock, and the moves: the next one towards departure as any role, put on hold,
no-show; a disturbance right before the next move, and a hold, a disturbance and a resume.

The oracle (`oracle`) is written again here from the rules (domain.md section 6, decisions
0009-0012) with plain queries: it calls neither the readiness providers nor the rules functions.
Checked:
- after every SUCCESSFUL move into ready_to_travel, booked or departed (mark_ready, book,
  confirm_departure, resume), whoever made it: the oracle finds nothing missing on that day;
- after every refusal by a safeguard gate: the oracle finds something missing (no over-blocking);
- before every move whose gate reads the checklist: the checklist (cases.readiness) and the
  oracle agree, per traveller, on which safeguards apply and which are missing.

AWDA_STATEFUL_EXAMPLES=<n> runs more examples (a deeper run), AWDA_STATEFUL_STATS=1 prints what
the runs did (with -s). In CI (CI set) the examples are the same every run.
"""

import datetime
import os
from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    rule,
    run_state_machine_as_test,
)

from awda.cases import services as case_services
from awda.cases.models import Case, CaseMember
from awda.cases.readiness import case_readiness
from awda.core.errors import ApplicationError, TransitionRefused
from awda.factories import (
    ProjectFactory,
    bring_case_to,
    document_travellers,
    person_data,
    register_case,
)
from awda.screening.children import services as child_services
from awda.screening.children.models import (
    BestInterestsAssessment,
    BestInterestsDetermination,
    CaregiverAssessment,
    ChildIdentification,
    EscortPlan,
    FamilyTracing,
    ReceptionArrangement,
)
from awda.screening.consent import services as consent_services
from awda.screening.consent.models import Consent
from awda.screening.health import services as health_services
from awda.screening.health.models import FitnessToTravel, MedicalNeed
from awda.screening.models import VulnerabilityScreening
from awda.screening.services import screening_record
from awda.screening.trafficking import services as vot_services
from awda.screening.trafficking.models import (
    OriginAcceptance,
    ReturnRiskAssessment,
    TraffickingDetermination,
    TraffickingInterview,
)

# The simulated clock starts here (local time, Africa/Casablanca is UTC+1).
START = datetime.datetime(2026, 6, 15, 8, 0, tzinfo=datetime.UTC)
TRAVEL_STATUSES = ("ready_to_travel", "booked", "departed")
SAFEGUARD_GATES = {"travel_safeguards", "travel_safeguards_on_resume"}
CATEGORIES = ("screening", "uasc", "vot", "health")
FACTORS = (
    "unaccompanied_child",
    "trafficking_indicators",
    "health_needs",
    "pregnancy",
    "disability",
    "no_income",
)


class Clock:
    """timezone.now() for the test: moves 1 ms per call (records get distinct, increasing
    timestamps, as in real life) and jumps whole days when the machine advances it. Every
    "today" of the services (timezone.localdate()) reads it."""

    def __init__(self):
        self.at = START

    def __call__(self) -> datetime.datetime:
        self.at += datetime.timedelta(milliseconds=1)
        return self.at

    def today(self) -> datetime.date:
        return timezone.localdate(self.at)


def _dob(kind: str) -> datetime.date:
    """Dates of birth relative to the first day of the run."""
    if kind == "adult":
        return datetime.date(1991, 1, 1)
    if kind == "child":  # 16
        return datetime.date(2010, 1, 1)
    if kind == "turning18":  # 17, 18 in three days
        return datetime.date(2008, 6, 18)
    raise ValueError(kind)


# ---- the oracle: the rules, written again from the docs, with plain queries ----------------


def _age(dob: datetime.date, day: datetime.date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _newest(qs):
    return qs.order_by("-created_at", "-id").first()


def oracle(case_pk: int, day: datetime.date) -> dict[int, dict[str, set[str]]]:
    """member id -> {"applies": categories, "missing": categories} for every traveller of the
    case on `day`, from the rules as stated:

    - every traveller (the principal, and members who travel) is screened in this case;
    - UASC applies when the newest identification in this case says separated or unaccompanied
      and under 18; without one, when the current (newest) screening in this case flags
      "unaccompanied child", or when the person is under 18 and no traveller is 18 or over. It
      needs an identification, an assessment, the newest tracing "located", the newest
      caregiver assessment suitable (with support or not), the newest determination not reopened
      and "return", a valid AVRR consent (any case) given by a named guardian, the newest escort
      plan with a trained escort and a reception arrangement;
    - VoT applies when the current screening flags trafficking indicators, or the person's newest
      screening in any case does, or the person has an interview or a determination in ANY case. It needs an interview and a determination (any
      case) and, unless the newest determination is "not a victim", a completed risk assessment
      and the newest acceptance "accepted", both in this case;
    - health applies when the current screening flags health needs, pregnancy or disability, a
      medical need in this case is not resolved, or there is any fitness decision in this case.
      It needs the newest decision in this case fit (with escort or not) and valid on the day
      (decided on or before it, valid_until on or after it)."""
    travellers = list(
        CaseMember.objects.filter(case_id=case_pk)
        .filter(Q(is_principal=True) | Q(travels=True))
        .select_related("person")
    )
    ages = {m.pk: _age(m.person.date_of_birth, day) for m in travellers}
    adult_travels = any(a >= 18 for a in ages.values())
    out = {}
    for m in travellers:
        pid = m.person_id
        here = {"case_id": case_pk, "person_id": pid}
        applies, missing = {"screening"}, set()
        current = _newest(VulnerabilityScreening.objects.filter(**here))
        if current is None:
            missing.add("screening")

        ident = _newest(ChildIdentification.objects.filter(**here))
        if ident is not None:
            uasc = ident.care_status in ("separated", "unaccompanied") and ident.age_years < 18
        elif current is not None and current.unaccompanied_child:
            uasc = True
        else:
            uasc = ages[m.pk] < 18 and not adult_travels
        if uasc:
            applies.add("uasc")
            tracing = _newest(FamilyTracing.objects.filter(**here))
            caregiver = _newest(CaregiverAssessment.objects.filter(**here))
            bid = _newest(BestInterestsDetermination.objects.filter(**here))
            escort = _newest(EscortPlan.objects.filter(**here))
            guardian_consent = any(
                (c.guardian_name or "").strip()
                for c in Consent.objects.filter(
                    person_id=pid, purpose="avrr", given=True, given_on__lte=day
                ).filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))
            )
            done = (
                ident is not None
                and BestInterestsAssessment.objects.filter(**here).exists()
                and tracing is not None
                and tracing.status == "located"
                and caregiver is not None
                and caregiver.outcome in ("suitable", "suitable_with_support")
                and bid is not None
                and bid.reopened_on is None
                and bid.outcome == "return"
                and guardian_consent
                and escort is not None
                and escort.escort_trained
                and ReceptionArrangement.objects.filter(**here).exists()
            )
            if not done:
                missing.add("uasc")

        interviewed = TraffickingInterview.objects.filter(person_id=pid).exists()
        determination = _newest(TraffickingDetermination.objects.filter(person_id=pid))
        anywhere = _newest(VulnerabilityScreening.objects.filter(person_id=pid))
        flagged = (current is not None and current.trafficking_indicators) or (
            anywhere is not None and anywhere.trafficking_indicators
        )
        if flagged or interviewed or determination is not None:
            applies.add("vot")
            if not interviewed or determination is None:
                missing.add("vot")
            elif determination.outcome != "not_victim":
                acceptance = _newest(OriginAcceptance.objects.filter(**here))
                completed = ReturnRiskAssessment.objects.filter(**here, status="completed")
                if not (completed.exists() and acceptance is not None and acceptance.accepted):
                    missing.add("vot")

        fitness = _newest(FitnessToTravel.objects.filter(**here))
        health_flag = current is not None and (
            current.health_needs or current.pregnancy or current.disability
        )
        open_need = MedicalNeed.objects.filter(**here, status__in=("open", "stabilised")).exists()
        if health_flag or open_need or fitness is not None:
            applies.add("health")
            if not (
                fitness is not None
                and fitness.outcome in ("fit", "fit_with_escort")
                and fitness.decided_on <= day <= fitness.valid_until
            ):
                missing.add("health")
        out[m.pk] = {"applies": applies, "missing": missing}
    return out


def implementation(case: Case, day: datetime.date) -> dict[int, dict[str, set[str]]]:
    """The same shape from the one readiness checklist (what the gates read); checks of other
    providers (e.g. travel documents, added later) are left out."""
    out = {}
    for row in case_readiness(case, on_date=day):
        prefixes = [(c.code.split(".")[0], c.ok) for c in row.checks]
        out[row.member.pk] = {
            "applies": {p for p, _ok in prefixes if p in CATEGORIES},
            "missing": {p for p, ok in prefixes if p in CATEGORIES and not ok},
        }
    return out


def _missing(state: dict) -> dict[int, set[str]]:
    return {pk: s["missing"] for pk, s in state.items() if s["missing"]}


# ---- the machine -----------------------------------------------------------------------------


class _Rollback(Exception):
    pass


CASE = st.sampled_from(["A", "B"])
WHO = st.integers(min_value=0, max_value=4)  # a member of the case, by position (modulo)
# The next move towards departure from each status (None: nothing to do).
FORWARD = {
    "pre_departure": "mark_ready",
    "ready_to_travel": "book",
    "booked": "confirm_departure",
    "on_hold": "resume",
    "no_show": "rebook",
    "departed": None,
}
# The moves whose gates read the checklist, from the statuses where they apply.
GATED = {
    "mark_ready": ("pre_departure",),
    "book": ("ready_to_travel",),
    "confirm_departure": ("booked",),
    "resume": ("on_hold",),
}


SEAT_FOR = {"book": "confirmed", "confirm_departure": "departed"}


def _seat_travellers(case, status, day):
    """Every traveller of the case holds a booking in `status` for `day` (replacing any)."""
    from awda.cases.readiness import travellers
    from awda.movements.models import Booking

    Booking.objects.filter(case=case).delete()
    for member in travellers(case):
        Booking.objects.create(
            case=case,
            person=member.person,
            status=status,
            travel_date=day,
            created_by=case.created_by,
        )


class ReadinessMachine(RuleBasedStateMachine):
    def __init__(self, world: dict, clock: Clock, stats: Counter):
        super().__init__()
        self.w = world
        self.u = world["users"]
        self.clock = clock
        self.stats = stats
        self.cases: dict[str, int] = {}
        clock.at = START
        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def teardown(self):
        # Roll back everything this run wrote (the savepoint opened in __init__).
        self._atomic.__exit__(_Rollback, _Rollback(), None)

    # ---- helpers ----

    def case(self, key: str) -> Case:
        return Case.objects.get(pk=self.cases[key])

    def member(self, key: str, who: int) -> CaseMember:
        members = list(
            CaseMember.objects.filter(case_id=self.cases[key])
            .select_related("person")
            .order_by("-is_principal", "id")
        )
        return members[who % len(members)]

    def today(self) -> datetime.date:
        return self.clock.today()

    def attempt(self, label: str, fn, *args, **kwargs):
        """Run a service; a refusal (domain error) is a normal outcome of a random step."""
        try:
            result = fn(*args, **kwargs)
        except ApplicationError as refused:
            self.stats[f"{label}: refused ({refused.code})"] += 1
            return None
        self.stats[f"{label}: done"] += 1
        return result

    # ---- the world ----

    @initialize(
        principal=st.sampled_from(["adult", "child", "turning18"]),
        child_travels=st.booleans(),
        shared=st.sampled_from(["principal", "child"]),
        shared_travels=st.booleans(),
    )
    def setup(self, principal, child_travels, shared, shared_travels):
        """Case A: Awa (adult, 16, or 17 and 18 in three days) and Bintou (16, travels or
        not); case B: Cheick (adult) and one person of case A. Both in pre-departure, nobody
        screened."""
        cw, manager, rabat = self.u["caseworker"], self.u["manager"], self.w["office"]
        project = ProjectFactory(mission=rabat.mission)
        a = register_case(
            cw,
            rabat,
            principal=person_data(given_name="Awa", date_of_birth=_dob(principal)),
            members=[
                {
                    "relationship": "sibling",
                    "person": person_data(given_name="Bintou", date_of_birth=_dob("child")),
                    "travels": child_travels,
                }
            ],
        )
        shared_person = a.members.get(is_principal=(shared == "principal")).person_id
        b = register_case(
            cw,
            rabat,
            principal=person_data(given_name="Cheick", date_of_birth=_dob("adult")),
            members=[
                {
                    "relationship": "other_relative",
                    "person_id": shared_person,
                    "travels": shared_travels,
                }
            ],
        )
        for key, case in (("A", a), ("B", b)):
            case = bring_case_to(
                case, "pre_departure", caseworker=cw, manager=manager, project=project
            )
            self.cases[key] = case.pk

    # ---- the rapid screening ----

    @rule(
        key=CASE,
        who=WHO,
        by=st.sampled_from(["caseworker", "protection", "medical"]),
        factors=st.sets(st.sampled_from(FACTORS)),
    )
    def screen(self, key, who, by, factors):
        """A (re-)screening; the flags `by` may not clear stay (screening.services.sticky_for)."""
        case, member = self.case(key), self.member(key, who)
        self.attempt(
            "screen",
            screening_record,
            self.u[by],
            case=case,
            member=member,
            factors={f: True for f in factors},
            expected_version=case.version,
        )

    def _screen_unscreened(self, case):
        screened = set(
            VulnerabilityScreening.objects.filter(case=case).values_list("person_id", flat=True)
        )
        for m in case.members.filter(Q(is_principal=True) | Q(travels=True)).order_by("id"):
            if m.person_id not in screened:
                case.refresh_from_db()
                self.attempt(
                    "screen",
                    screening_record,
                    self.u["caseworker"],
                    case=case,
                    member=m,
                    factors={},
                    expected_version=case.version,
                )

    # ---- members (caseworker) ----

    @rule(
        key=CASE,
        who=WHO,
        change=st.sampled_from(["add new", "add from other case", "travels", "stays"]),
        age=st.sampled_from(["child", "turning18", "adult"]),
        travels=st.booleans(),
    )
    def members(self, key, who, change, age, travels):
        case = self.case(key)
        if change in ("travels", "stays"):
            member = self.member(key, who)
            if not member.is_principal:
                self.attempt(
                    "member travels",
                    case_services.case_member_update,
                    self.u["caseworker"],
                    case=case,
                    member=member,
                    travels=change == "travels",
                    expected_version=case.version,
                )
            return
        if change == "add from other case":
            extra = {"person_id": self.member("B" if key == "A" else "A", who).person_id}
        else:
            extra = {"person": person_data(given_name="Dalanda", date_of_birth=_dob(age))}
        self.attempt(
            "member added",
            case_services.case_member_add,
            self.u["caseworker"],
            case=case,
            relationship="other_relative",
            travels=travels,
            expected_version=case.version,
            **extra,
        )

    # ---- consent (caseworker) ----

    @rule(
        key=CASE,
        who=WHO,
        action=st.sampled_from(["record", "withdraw"]),
        purpose=st.sampled_from(["avrr", "origin_mission"]),
        given=st.booleans(),
        guardian=st.booleans(),
        pick=st.integers(min_value=0, max_value=3),
    )
    def consent(self, key, who, action, purpose, given, guardian, pick):
        """Record a consent (or refusal), with a guardian or not (refused for a minor without
        one), or withdraw one of the person's consents (taken in any case)."""
        case, member = self.case(key), self.member(key, who)
        if action == "record":
            self.attempt(
                "consent",
                consent_services.consent_record,
                self.u["caseworker"],
                case=case,
                person=member.person,
                purpose=purpose,
                given=given,
                language="fr",
                guardian_name="Mariama" if guardian else "",
                guardian_relationship="aunt" if guardian else "",
            )
            return
        consents = list(
            Consent.objects.filter(
                person_id=member.person_id, given=True, withdrawn_on__isnull=True
            ).order_by("id")
        )
        if consents:
            self.attempt(
                "consent withdrawn",
                consent_services.consent_withdraw,
                self.u["caseworker"],
                consent=consents[pick % len(consents)],
                reason="Changed their mind",
                case=case,
            )

    # ---- child protection (protection officer) ----

    CHILD_STEPS = (
        "identification",
        "assessment",
        "guardian consent",
        "tracing request",
        "tracing outcome",
        "caregiver assessment",
        "determination",
        "reopen determination",
        "escort plan",
        "reception",
    )

    @rule(key=CASE, who=WHO, step=st.sampled_from(CHILD_STEPS), data=st.data())
    def child_step(self, key, who, step, data):
        """One step of the UASC procedure with a drawn outcome."""
        case, member = self.case(key), self.member(key, who)
        here = {"case_id": case.pk, "person_id": member.person_id}
        if step == "identification":
            self._identify(
                case,
                member,
                data.draw(st.sampled_from(["accompanied", "separated", "unaccompanied"])),
                data.draw(st.sampled_from([10, 16, 17, 18, 25])),
            )
        elif step == "assessment":
            self._assess(case, member)
        elif step == "guardian consent":
            self._guardian_consent(case, member, origin_mission=data.draw(st.booleans()))
        elif step == "tracing request":
            self._tracing(case, member)
        elif step == "tracing outcome":
            tracings = list(
                FamilyTracing.objects.filter(**here)
                .select_related("case", "person")
                .order_by("-created_at", "-id")
            )
            if tracings:
                tracing = tracings[data.draw(st.integers(0, 2)) % len(tracings)]
                status = data.draw(
                    st.sampled_from(["in_progress", "located", "not_located", "closed"])
                )
                self._tracing_outcome(tracing, status)
        elif step == "caregiver assessment":
            self._caregiver(
                case,
                member,
                data.draw(st.sampled_from(["suitable", "suitable_with_support", "not_suitable"])),
            )
        elif step == "determination":
            self._determination(
                case, member, data.draw(st.sampled_from(["return", "no_return", "deferred"]))
            )
        elif step == "reopen determination":
            newest = _newest(
                BestInterestsDetermination.objects.filter(**here).select_related("case", "person")
            )
            if newest is not None:
                self.attempt(
                    step,
                    child_services.determination_reopen,
                    self.u["protection"],
                    determination=newest,
                    reason="New facts about the family",
                )
        elif step == "escort plan":
            self._escort(case, member, data.draw(st.booleans()))
        else:
            self._reception(case, member)

    @rule(key=CASE, who=WHO)
    def child_procedure_complete(self, key, who):
        """The whole UASC procedure done right, in one go."""
        self._child_complete(self.case(key), self.member(key, who))

    def _child_complete(self, case, member):
        age = _age(member.person.date_of_birth, self.today())
        self._identify(case, member, "unaccompanied", age)
        self._assess(case, member)
        self._guardian_consent(case, member)
        tracing = self._tracing(case, member)
        if tracing is not None:
            self._tracing_outcome(tracing, "located")
        self._caregiver(case, member, "suitable")
        self._determination(case, member, "return")
        self._escort(case, member, True)
        self._reception(case, member)

    def _identify(self, case, member, care_status, age):
        return self.attempt(
            "identification",
            child_services.child_identification_record,
            self.u["protection"],
            case=case,
            person=member.person,
            identified_on=self.today(),
            age_years=age,
            age_basis="declared",
            care_status=care_status,
        )

    def _assess(self, case, member):
        return self.attempt(
            "assessment",
            child_services.best_interests_assessment_record,
            self.u["protection"],
            case=case,
            person=member.person,
            assessed_on=self.today(),
            child_views="Wants to go home",
            family_situation="Aunt in Conakry",
            safety_and_risks="None known",
            recommendation="return",
        )

    def _guardian_consent(self, case, member, *, origin_mission=True):
        return self.attempt(
            "guardian consent",
            child_services.guardian_consent_record,
            self.u["protection"],
            case=case,
            person=member.person,
            guardian_name="Mariama",
            guardian_relationship="aunt",
            language="fr",
            origin_mission=origin_mission,
        )

    def _tracing(self, case, member):
        return self.attempt(
            "tracing request",
            child_services.family_tracing_request,
            self.u["protection"],
            case=case,
            person=member.person,
            requested_on=self.today(),
            information_shared="Name, photo, village",
            origin_mission=self.w["origin"],
        )

    def _tracing_outcome(self, tracing, status):
        return self.attempt(
            "tracing outcome",
            child_services.tracing_outcome_record,
            self.u["protection"],
            tracing=tracing,
            status=status,
            outcome_on=self.today() if status != "in_progress" else None,
            expected_version=tracing.version,
        )

    def _caregiver(self, case, member, outcome):
        return self.attempt(
            "caregiver assessment",
            child_services.caregiver_assessment_record,
            self.u["protection"],
            case=case,
            person=member.person,
            assessed_on=self.today(),
            caregiver_name="Mariama",
            relationship="aunt",
            location="Conakry",
            conducted_by="IOM Guinea",
            outcome=outcome,
            findings="Home visit",
        )

    def _determination(self, case, member, outcome):
        return self.attempt(
            "determination",
            child_services.determination_record,
            self.u["protection"],
            case=case,
            person=member.person,
            panel="BID panel",
            decided_on=self.today(),
            outcome=outcome,
            reasons="Reasons",
        )

    def _escort(self, case, member, trained):
        return self.attempt(
            "escort plan",
            child_services.escort_plan_record,
            self.u["protection"],
            case=case,
            person=member.person,
            escort_name="Fatou",
            escort_role="iom_staff",
            escort_trained=trained,
            planned_on=self.today(),
        )

    def _reception(self, case, member):
        return self.attempt(
            "reception",
            child_services.reception_arrangement_record,
            self.u["protection"],
            case=case,
            person=member.person,
            arranged_on=self.today(),
            received_by_name="Mariama",
            relationship_or_organisation="aunt",
            place="Conakry airport",
        )

    # ---- trafficking (protection officer) ----

    VOT_STEPS = ("interview", "determination", "risk assessment", "complete", "acceptance")

    @rule(key=CASE, who=WHO, step=st.sampled_from(VOT_STEPS), data=st.data())
    def vot_step(self, key, who, step, data):
        """One step of the VoT procedure with a drawn outcome."""
        case, member = self.case(key), self.member(key, who)
        if step == "interview":
            self._interview(case, member)
        elif step == "determination":
            outcome = data.draw(
                st.sampled_from(["victim", "presumed_victim", "not_victim", "inconclusive"])
            )
            self._vot_determination(case, member, outcome)
        elif step == "risk assessment":
            self._risk(case, member, complete_fields=data.draw(st.booleans()))
        elif step == "complete":
            draft = ReturnRiskAssessment.objects.filter(
                case_id=case.pk, person_id=member.person_id, status="draft"
            ).first()
            if draft is not None:
                self._complete(draft)
        else:
            self._acceptance(case, member, data.draw(st.booleans()))

    @rule(key=CASE, who=WHO, outcome=st.sampled_from(["victim", "not_victim"]))
    def vot_procedure_complete(self, key, who, outcome):
        """The whole VoT procedure done right."""
        self._vot_complete(self.case(key), self.member(key, who), outcome)

    def _vot_complete(self, case, member, outcome="victim"):
        # consent to sharing with the origin mission (the guardian's for a minor)
        self.attempt(
            "consent",
            consent_services.consent_record,
            self.u["caseworker"],
            case=case,
            person=member.person,
            purpose="origin_mission",
            language="fr",
            guardian_name="Mariama",
            guardian_relationship="aunt",
        )
        self._interview(case, member)
        self._vot_determination(case, member, outcome)
        if outcome == "not_victim":
            return
        assessment = self._risk(case, member)
        if assessment is not None:
            self._complete(assessment)
        self._acceptance(case, member, True)

    def _interview(self, case, member):
        return self.attempt(
            "vot interview",
            vot_services.interview_record,
            self.u["protection"],
            case=case,
            member=member,
            indicators={"documents_confiscated": True},
        )

    def _vot_determination(self, case, member, outcome):
        return self.attempt(
            "vot determination",
            vot_services.determination_record,
            self.u["protection"],
            case=case,
            member=member,
            outcome=outcome,
            reasons="Interview findings",
        )

    def _risk(self, case, member, complete_fields=True):
        fields = {"risk_level": "medium", "mitigation": "Escort on arrival"}
        if complete_fields:
            fields["security_plan"] = "Shelter for two weeks"
        return self.attempt(
            "vot risk assessment",
            vot_services.risk_assessment_create,
            self.u["protection"],
            case=case,
            member=member,
            origin_mission=self.w["origin"],
            **fields,
        )

    def _complete(self, assessment):
        return self.attempt(
            "vot risk completed",
            vot_services.risk_assessment_complete,
            self.u["protection"],
            assessment=assessment,
            expected_version=assessment.version,
        )

    def _acceptance(self, case, member, accepted):
        return self.attempt(
            "vot acceptance",
            vot_services.acceptance_record,
            self.u["protection"],
            case=case,
            member=member,
            accepted=accepted,
            decided_by_name="Focal point",
        )

    # ---- health (medical officer) ----

    @rule(
        key=CASE,
        who=WHO,
        step=st.sampled_from(["fitness", "fit today", "medical need", "need status"]),
        data=st.data(),
    )
    def health_step(self, key, who, step, data):
        """A fitness decision of any outcome, possibly backdated (so already expired), a fit
        decision today, a medical need, or a change of a need's status."""
        case, member = self.case(key), self.member(key, who)
        if step == "fitness":
            self._fitness(
                case,
                member,
                data.draw(st.sampled_from(["fit", "fit_with_escort", "unfit", "pending"])),
                days_ago=data.draw(st.integers(0, 9)),
                valid_days=data.draw(st.integers(1, 7)),
            )
        elif step == "fit today":
            self._fitness(case, member, "fit")
        elif step == "medical need":
            self.attempt(
                "medical need",
                health_services.medical_need_record,
                self.u["medical"],
                case=case,
                person=member.person,
                category="chronic_condition",
                description="Diabetes",
                severity="moderate",
                status=data.draw(st.sampled_from(["open", "stabilised", "resolved"])),
            )
        else:
            need = (
                MedicalNeed.objects.filter(case_id=case.pk, person_id=member.person_id)
                .select_related("case")
                .first()
            )
            if need is not None:
                self.attempt(
                    "medical need status",
                    health_services.medical_need_update,
                    self.u["medical"],
                    need=need,
                    expected_version=need.version,
                    status=data.draw(st.sampled_from(["open", "stabilised", "resolved"])),
                )

    def _fitness(self, case, member, outcome, days_ago=0, valid_days=7):
        return self.attempt(
            "fitness",
            health_services.fitness_record,
            self.u["medical"],
            case=case,
            person=member.person,
            outcome=outcome,
            decided_on=self.today() - datetime.timedelta(days=days_ago),
            valid_days=valid_days,
            escort="medical" if outcome == "fit_with_escort" else "none",
        )

    # ---- getting a case ready (driven by what the checklist says is missing) ----

    @rule(key=CASE)
    def complete_what_is_missing(self, key):
        """Do, the right way, every procedure the case's checklist says is missing. If the
        checklist forgets something, "Ready to travel" may then pass: the oracle catches it."""
        case = self.case(key)
        self._screen_unscreened(case)
        for row in case_readiness(self.case(key), on_date=self.today()):
            missing = {c.code.split(".")[0] for c in row.missing}
            member = row.member
            if "uasc" in missing:
                self._child_complete(self.case(key), member)
            if "vot" in missing:
                self._vot_complete(self.case(key), member)
            if "health" in missing:
                self._fitness(self.case(key), member, "fit")
            if missing & {"travel_document", "exit_authorisation"}:
                # the movement team's part (awda.movements.traveldocs), not in the oracle
                document_travellers(self.case(key), self.u["movement"])

    # ---- what breaks readiness after the fact ----

    DISTURBANCES = (
        "reopen determination",
        "guardian consent withdrawn",
        "tracing not located",
        "escort not trained",
        "caregiver not suitable",
        "flags by caseworker",
        "trafficking determination",
        "acceptance refused",
        "fitness unfit",
        "open medical need",
        "child added who travels",
        "member travels",
        "week passes",
    )

    @rule(key=CASE, who=WHO, how=st.sampled_from(DISTURBANCES), data=st.data())
    def disturb(self, key, who, how, data):
        """One of the things that, after "Ready to travel" or a booking, make a safeguard
        missing again (or not: e.g. a re-screening that tries to clear a flag it may not)."""
        case, member = self.case(key), self.member(key, who)
        here = {"case_id": case.pk, "person_id": member.person_id}
        if how == "reopen determination":
            newest = _newest(
                BestInterestsDetermination.objects.filter(**here).select_related("case", "person")
            )
            if newest is not None:
                self.attempt(
                    how,
                    child_services.determination_reopen,
                    self.u["protection"],
                    determination=newest,
                    reason="New facts about the family",
                )
        elif how == "guardian consent withdrawn":
            consent = Consent.objects.filter(
                person_id=member.person_id, purpose="avrr", given=True, withdrawn_on__isnull=True
            ).first()
            if consent is not None:
                self.attempt(
                    how,
                    consent_services.consent_withdraw,
                    self.u["caseworker"],
                    consent=consent,
                    reason="The guardian changed their mind",
                    case=case,
                )
        elif how == "tracing not located":
            tracing = _newest(FamilyTracing.objects.filter(**here).select_related("case", "person"))
            if tracing is not None:
                self._tracing_outcome(tracing, "not_located")
        elif how == "escort not trained":
            self._escort(case, member, False)
        elif how == "caregiver not suitable":
            self._caregiver(case, member, "not_suitable")
        elif how == "flags by caseworker":
            self.screen(key, who, "caseworker", data.draw(st.sets(st.sampled_from(FACTORS))))
        elif how == "trafficking determination":
            other = data.draw(st.booleans())  # recorded in the other case of the same person
            if other:
                others = CaseMember.objects.filter(person_id=member.person_id).exclude(
                    case_id=case.pk
                )
                target = others.select_related("case", "person").first()
                if target is not None:
                    case, member = target.case, target
            self._interview(case, member)
            self._vot_determination(
                case, member, data.draw(st.sampled_from(["victim", "inconclusive", "not_victim"]))
            )
        elif how == "acceptance refused":
            self._acceptance(case, member, False)
        elif how == "fitness unfit":
            self._fitness(case, member, data.draw(st.sampled_from(["unfit", "pending"])))
        elif how == "open medical need":
            self.attempt(
                how,
                health_services.medical_need_record,
                self.u["medical"],
                case=case,
                person=member.person,
                category="pregnancy",
                description="Pregnant",
                severity="low",
            )
        elif how == "child added who travels":
            self.members(key, who, "add new", "child", True)
        elif how == "member travels":
            self.members(key, who, "travels", "child", True)
        else:
            self.days_pass(8)

    @rule(key=CASE, who=WHO, how=st.sampled_from(DISTURBANCES), data=st.data())
    def disturb_and_forward(self, key, who, how, data):
        """A disturbance right before the next move (the gate must see it)."""
        self.disturb(key, who, how, data)
        self.move(key, FORWARD.get(self.case(key).status), "manager")

    @rule(key=CASE, who=WHO, how=st.sampled_from(DISTURBANCES), data=st.data())
    def hold_disturb_resume(self, key, who, how, data):
        """Put on hold (from ready to travel, say), a disturbance during the hold, resume."""
        self.move(key, "put_on_hold", "caseworker", reason="Waiting for news")
        self.disturb(key, who, how, data)
        self.move(key, "resume", "caseworker")

    # ---- the clock ----

    @rule(days=st.sampled_from([1, 3, 8]))
    def days_pass(self, days):
        """Time passes: a fitness decision expires, a 17-year-old turns 18."""
        self.clock.at += datetime.timedelta(days=days)

    # ---- transitions ----

    def move(self, key, name, by, **inputs):
        case = self.case(key)
        if name is None:
            return
        before = case.status
        if name in GATED and before in GATED[name]:
            self.check_agreement(key)
        # Movements: "book" needs every traveller's booking confirmed, "confirm_departure" every
        # traveller's departure confirmed (gates bookings_confirmed, departures_confirmed).
        if name in SEAT_FOR and before in GATED[name]:
            _seat_travellers(case, SEAT_FOR[name], self.today())
        try:
            moved = case_services.case_transition(
                self.u[by], case=case, name=name, expected_version=case.version, **inputs
            )
        except TransitionRefused as refused:
            self.stats[f"{name}: refused ({refused.code})"] += 1
            gates = {g["gate"] for g in refused.details.get("failed_gates", [])}
            for g in refused.details.get("failed_gates", []):
                for m in g["messages"]:
                    self.stats[f"   {name} gate {g['gate']}: {m}"] += 1
            if gates & SAFEGUARD_GATES:
                self.stats[f"{name}: refused by a safeguard gate"] += 1
                self.check_refusal(key, name, gates)
            return
        except ApplicationError as refused:  # role, inputs
            self.stats[f"{name}: refused ({refused.code})"] += 1
            return
        self.stats[f"{name}: done"] += 1
        if moved.status in TRAVEL_STATUSES:
            self.check_nothing_missing(key, name, before, moved.status)

    def check_nothing_missing(self, key, name, before, after):
        """THE property: a case that reached ready/booked/departed misses nothing."""
        day = self.today()
        state = oracle(self.cases[key], day)
        missing = _missing(state)
        assert not missing, (
            f"case {key} moved {before} -> {after} ({name}) on {day} though the rules say "
            f"missing: {missing}"
        )
        applied = sorted({c for s in state.values() for c in s["applies"]} - {"screening"})
        for category in applied or ["no safeguard"]:
            event(f"{after} with {category}")
            self.stats[f"reached {after} with {category}"] += 1
        self.stats[f"reached {after} by {name} from {before}"] += 1

    def check_refusal(self, key, name, gates):
        """A safeguard gate refused: the rules must find something missing (or a check of a
        provider the oracle does not cover, e.g. travel documents, is missing)."""
        day = self.today()
        if _missing(oracle(self.cases[key], day)):
            return
        other = [
            c.code
            for row in case_readiness(self.case(key), on_date=day)
            for c in row.missing
            if c.code.split(".")[0] not in CATEGORIES
        ]
        assert other, f"{name} of case {key} refused by {gates} on {day} though nothing is missing"

    def check_agreement(self, key):
        """Before a gated move: the checklist and the rules agree, per traveller, on which
        safeguards apply and which are missing."""
        day = self.today()
        expected = oracle(self.cases[key], day)
        actual = implementation(self.case(key), day)
        assert actual == expected, (
            f"case {key} on {day}: the checklist says {actual} but the rules say {expected}"
        )

    @rule(key=CASE, by=st.sampled_from(["manager", "movement", "caseworker", "protection"]))
    def forward(self, key, by):
        """The next move on the way to departure, as `by` (who may not always make it):
        mark_ready, book, confirm_departure, resume after a hold, rebook after a no-show."""
        self.move(key, FORWARD.get(self.case(key).status), by)

    @rule(key=CASE)
    def complete_and_forward(self, key):
        """Complete what the checklist says is missing, then make the next move (manager)."""
        self.complete_what_is_missing(key)
        self.move(key, FORWARD.get(self.case(key).status), "manager")

    @rule(key=CASE, by=st.sampled_from(["caseworker", "manager"]))
    def put_on_hold(self, key, by):
        self.move(key, "put_on_hold", by, reason="Waiting for news")

    @rule(key=CASE)
    def no_show(self, key):
        self.move(key, "no_show", "movement", reason="Did not come to the airport")


@pytest.fixture
def world(
    caseworker, manager, movement_officer, medical_officer, protection_officer, rabat, guinea
):
    return {
        "users": {
            "caseworker": caseworker,
            "manager": manager,
            "movement": movement_officer,
            "medical": medical_officer,
            "protection": protection_officer,
        },
        "office": rabat,
        "origin": guinea,
    }


@pytest.mark.django_db
def test_no_sequence_of_actions_brings_a_case_missing_a_safeguard_to_travel(world, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock)
    stats: Counter = Counter()
    run_state_machine_as_test(
        lambda: ReadinessMachine(world, clock, stats),
        settings=settings(
            # about 30 s on SQLite, 60 s on PostgreSQL (2 cores)
            max_examples=int(os.environ.get("AWDA_STATEFUL_EXAMPLES", 30)),
            stateful_step_count=40,
            deadline=None,
            # No example database in the tree; the same examples every run (a failure is
            # reproducible, and the coverage asserted below holds every time); set
            # AWDA_STATEFUL_RANDOM=1 to explore new ones.
            database=None,
            derandomize=not os.environ.get("AWDA_STATEFUL_RANDOM"),
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
    if os.environ.get("AWDA_STATEFUL_STATS"):
        for line, n in sorted(stats.items()):
            print(f"{n:6d}  {line}")
    # The runs must have exercised what the property is about, or it proved nothing: cases
    # reached every travel status, with each kind of safeguard in play, and a safeguard gate
    # after "ready to travel" refused a case that something broke.
    for status in TRAVEL_STATUSES:
        assert any(k.startswith(f"reached {status} by") for k in stats), status
    for category in ("uasc", "vot", "health"):
        assert stats[f"reached ready_to_travel with {category}"], category
    assert sum(
        stats[f"{name}: refused by a safeguard gate"] for name in GATED if name != "mark_ready"
    )
