"""Plans the demo cases: who the applicants are and what happens to each case, when.

Planning is pure (no database): `plan_cases(n, seed)` draws everything from `random.Random(seed)`,
so the same seed always gives the same people and the same stories. Each story is a list of steps
dated in minutes from the registration day; `seed.py` places the story so that it starts
`days_ago` days before the reference date and replays, through the services, the steps that fall
before that date. A case registered three years ago has therefore lived its whole story (closed),
one registered last week is still in counselling: older cases are further along.
"""

import datetime
import random
from dataclasses import dataclass, field

from awda.accounts.choices import Role
from awda.cases import workflow
from awda.cases.choices import ClosureReason, Priority, ReferralSource, Relationship, Status
from awda.registry.choices import DocumentType, OrganisationKind

from .names import NATIONALITIES, NATIONALITY_WEIGHTS, NEIGHBOURHOODS, POOLS

R = Role
S = Status
DAY = 1440  # minutes
HISTORY_DAYS = 3 * 365  # registrations are spread over the last three years

OFFICES = ("RBA", "CAS", "OUJ")
OFFICE_WEIGHTS = (52, 28, 20)


@dataclass
class Step:
    minute: int  # minutes since 00:00 on the registration day
    kind: str  # register, note, declaration, transition, task, task_done
    role: str  # the role of the acting user (in the case's office)
    name: str = ""  # transition name
    text: str = ""  # note body or task title
    reason: str = ""
    comment: str = ""
    closure_reason: str = ""
    key: str = ""  # task key (task, task_done)
    due_days: int = 0
    status: str = ""  # status of the case after this step


@dataclass
class CasePlan:
    index: int
    office: str
    nationality: str
    principal: dict
    documents: list[dict]
    members: list[dict]
    referral_source: str
    referral_kind: str  # organisation kind to pick the referring organisation from ("" = none)
    referral_details: str
    priority: int
    destination_area: str
    assigned: bool
    pick: float  # deterministic choice among the organisations / projects available later
    days_ago: int  # registered this many days before the reference date
    steps: list[Step] = field(default_factory=list)


# ---- texts -------------------------------------------------------------------------------------

LANGUAGE_NAMES = {
    "fr": "French", "en": "English", "ar": "Arabic", "ary": "Darija", "ff": "Pular",
    "sus": "Soussou", "man": "Malinké", "bm": "Bambara", "dyu": "Dioula", "wo": "Wolof",
    "ha": "Hausa", "yo": "Yoruba", "ig": "Igbo", "pcm": "Pidgin", "mos": "Mooré", "ln": "Lingala",
    "snk": "Soninké", "ewo": "Ewondo", "other": "Krio",
}  # fmt: skip

WITHDRAW_REASONS = (
    "Decided to stay in Morocco for now.",
    "Found seasonal work in the region; may come back later.",
    "Family in the country of origin advised against returning now.",
    "Wishes to try to continue the journey to Europe.",
    "No contact for three months despite calls and visits.",
    "Obtained a residence permit in Morocco.",
    "Returned on their own means.",
)
HOLD_REASONS = (
    "Awaiting identity confirmation by the consulate.",
    "Medical treatment ongoing at the hospital; return after stabilisation.",
    "Applicant asked for time to consult the family.",
    "Awaiting a travel document for a child born in Morocco.",
    "Applicant temporarily unreachable (moved to another city).",
)
NOT_ELIGIBLE_REASONS = (
    "Recognised as a refugee by UNHCR: voluntary repatriation falls under UNHCR's mandate.",
    "Already assisted to return from Morocco in the past three years.",
    "Holds a valid residence permit and a stable job in Morocco.",
    "Nationality not covered by any active project.",
    "Does not wish to return to the country of nationality but to a third country.",
)
NO_SHOW_REASONS = (
    "Did not come to the airport on the day of departure.",
    "Arrived at the airport after check-in had closed.",
    "Hospitalised the day before departure.",
    "Turned back at the border police check: exit authorisation not found.",
)
PLANS = (
    "a small shop selling clothes and underwear",
    "a corner bar",
    "tailoring",
    "poultry farming",
    "a motorcycle taxi",
    "a hairdressing salon",
    "selling phone credit and accessories",
    "a food stall",
    "vegetable farming",
    "resuming vocational training as an electrician",
    "a welding workshop",
)
ROUTES = (
    "Royal Air Maroc from Casablanca (CMN), direct flight.",
    "Royal Air Maroc from Rabat (RBA) via Casablanca (CMN).",
    "Royal Air Maroc from Oujda (OUD) via Casablanca (CMN).",
    "Group departure on the monthly charter flight from Casablanca (CMN).",
)
FINAL_CLOSURES = (
    (ClosureReason.SUPPORT_COMPLETED, 80),
    (ClosureReason.RE_MIGRATED, 5),
    (ClosureReason.LEFT_AREA, 5),
    (ClosureReason.RETURNEE_STOPPED, 5),
    (ClosureReason.FUNDING_ENDED, 4),
    (ClosureReason.DIED, 1),
)

# ---- stories -----------------------------------------------------------------------------------

FATES = (
    ("return", 60),
    ("avr", 8),  # return without reintegration assistance
    ("withdraw", 12),
    ("not_eligible", 6),
    ("no_show", 3.5),  # a missed flight, then rebooked
    ("no_show_withdraw", 1.5),
    ("hold", 6),  # put on hold, then resumed
    ("hold_stuck", 3),  # put on hold and never resumed
)
HOLD_POINTS = (S.REGISTERED, S.COUNSELLING, S.SCREENING, S.ELIGIBLE, S.PRE_DEPARTURE,
               S.READY_TO_TRAVEL)  # fmt: skip
WITHDRAW_POINTS = HOLD_POINTS + (S.BOOKED,)
WITHDRAW_WEIGHTS = (3, 4, 2, 1, 2, 1, 1)


def _weighted(rng: random.Random, pairs):
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights=weights)[0]


class _Timeline:
    """Builds a story step by step, tracking the status through the workflow table."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.minute = rng.randint(8 * 60 + 30, 16 * 60)
        self.status = S.REGISTERED
        self.before_hold = ""
        self.steps = [Step(self.minute, "register", R.CASEWORKER, status=S.REGISTERED)]

    def wait(self, lo: int, hi: int) -> None:
        days = self.rng.randint(lo, hi)
        if days == 0:
            self.minute += self.rng.randint(5, 90)
        else:
            day = self.minute // DAY + days
            self.minute = day * DAY + self.rng.randint(8 * 60 + 30, 17 * 60)

    def add(self, kind: str, role: str, **kw) -> None:
        self.minute += 1  # strictly after the previous step
        self.steps.append(Step(self.minute, kind, role, status=self.status, **kw))

    def move(self, name: str, role: str, **kw) -> None:
        t = workflow.BY_NAME[name]
        if self.status not in t.sources or role not in t.roles:
            raise AssertionError(f"demo story: {name} by {role} from {self.status}")
        target = t.target or self.before_hold
        if target == S.ON_HOLD:
            self.before_hold = self.status
        self.status = target
        self.add("transition", role, name=name, **kw)


def build_story(rng: random.Random, fate: str, *, context: dict) -> list[Step]:
    tl = _Timeline(rng)
    hold_at = rng.choice(HOLD_POINTS) if fate in ("hold", "hold_stuck") else None
    withdraw_at = (
        rng.choices(WITHDRAW_POINTS, weights=WITHDRAW_WEIGHTS)[0] if fate == "withdraw" else None
    )
    cw, mgr, mov = R.CASEWORKER, R.MANAGER, R.MOVEMENT

    def withdraw(lo, hi):
        tl.wait(lo, hi)
        tl.move("withdraw", cw, reason=rng.choice(WITHDRAW_REASONS))
        if rng.random() < 0.7:
            tl.wait(20, 90)
            tl.move("close", mgr, closure_reason=ClosureReason.WITHDRAWN)

    def checkpoint(point) -> bool:
        """Side exits at this point of the story; True when the story ends here."""
        if point == hold_at:
            tl.wait(0, 5)
            tl.move("put_on_hold", cw, reason=rng.choice(HOLD_REASONS))
            if fate == "hold_stuck":
                if rng.random() < 0.5:
                    withdraw(60, 200)
                return True
            tl.wait(7, 60)
            tl.move("resume", cw, comment="The reason for the hold has been resolved.")
        if point == withdraw_at:
            withdraw(1, 20)
            return True
        return False

    if context["intake_note"]:
        tl.add("note", cw, text=context["intake_note"])
    if checkpoint(S.REGISTERED):
        return tl.steps
    tl.wait(0, 4)
    tl.move("start_counselling", cw)
    tl.add("note", cw, text=context["counselling_note"])
    if checkpoint(S.COUNSELLING):
        return tl.steps
    tl.wait(0, 10)
    tl.add("declaration", cw)
    tl.wait(0, 3)
    tl.move("start_screening", cw)
    if context["screening_note"]:
        tl.add("note", cw, text=context["screening_note"])
    if checkpoint(S.SCREENING):
        return tl.steps
    tl.wait(2, 20)
    if fate == "not_eligible":
        tl.move("reject_eligibility", mgr, reason=rng.choice(NOT_ELIGIBLE_REASONS))
        if rng.random() < 0.9:
            tl.wait(3, 30)
            tl.move("close", mgr, closure_reason=ClosureReason.NOT_ELIGIBLE)
        return tl.steps
    tl.move("approve_eligibility", mgr)
    tl.add(
        "task",
        cw,
        key="lp",
        text=f"Request the laissez-passer from the consulate of {context['country']}",
        due_days=14,
    )
    if checkpoint(S.ELIGIBLE):
        return tl.steps
    tl.wait(0, 3)
    tl.move("start_pre_departure", cw)
    medical = context["medical"]
    if medical:
        tl.add("task", R.MEDICAL, key="ftt", text="Fitness-to-travel check", due_days=10)
    if checkpoint(S.PRE_DEPARTURE):
        return tl.steps
    tl.wait(10, 45)
    tl.add("task_done", cw, key="lp")
    if medical:
        tl.add("task_done", R.MEDICAL, key="ftt")
    tl.move("mark_ready", cw)
    tl.add("task", mov, key="flight", text="Book the flight and inform the applicant", due_days=7)
    if checkpoint(S.READY_TO_TRAVEL):
        return tl.steps
    tl.wait(2, 14)
    tl.add("task_done", mov, key="flight")
    tl.move("book", mov, comment=rng.choice(ROUTES))
    if checkpoint(S.BOOKED):
        return tl.steps
    if fate in ("no_show", "no_show_withdraw"):
        tl.wait(3, 15)
        tl.move("no_show", mov, reason=rng.choice(NO_SHOW_REASONS))
        if fate == "no_show_withdraw":
            withdraw(2, 30)
            return tl.steps
        tl.wait(1, 10)
        tl.move("rebook", cw, comment="The applicant confirmed the wish to return.")
        tl.wait(3, 20)
        tl.move("mark_ready", cw)
        tl.wait(2, 10)
        tl.move("book", mov)
    tl.wait(3, 15)
    tl.move("confirm_departure", mov)
    tl.wait(0, 1)
    tl.move("confirm_arrival", mov, comment=f"Arrival confirmed by IOM {context['country']}.")
    if fate == "avr":
        tl.wait(1, 10)
        tl.move("close", mgr, closure_reason=ClosureReason.NO_REINTEGRATION)
        return tl.steps
    tl.wait(5, 30)
    tl.move("start_reintegration", mgr)
    tl.add("note", mgr, text=f"Reintegration plan discussed: {rng.choice(PLANS)}.")
    tl.wait(60, 150)
    tl.move("start_monitoring", mgr)
    tl.wait(150, 400)
    tl.move("close", mgr, closure_reason=_weighted(rng, FINAL_CLOSURES))
    return tl.steps


def _days_ago_for(rng: random.Random, steps: list[Step], target: str | None) -> int:
    """How long ago the case was registered. For a showcase case (`target` set) the registration
    is placed so that the case stands in `target` on the reference date."""
    if target is None:
        return 1 + int((HISTORY_DAYS - 1) * rng.random() ** 1.15)  # a little more recent than old
    k = next(i for i, s in enumerate(steps) if s.status == target)
    later = [s for s in steps[k + 1 :] if s.status != target]
    day_k = steps[k].minute // DAY
    if not later:
        return day_k + 1 + rng.randint(0, 60)
    if later[0].minute // DAY == day_k:  # the next move is the same day: push it to later days
        shift = DAY * rng.randint(1, 4)
        for s in steps[k + 1 :]:
            if s.minute >= later[0].minute:
                s.minute += shift
    day_next = later[0].minute // DAY
    return day_k + 1 + rng.randint(0, min(day_next - day_k - 1, 20))


# ---- people ------------------------------------------------------------------------------------

HOUSEHOLDS = (
    ("single_man", 68),
    ("single_woman", 9),
    ("mother_children", 8),
    ("couple", 9),
    ("father_children", 1.5),
    ("siblings", 3),
    ("uasc", 1.5),  # unaccompanied child
)
REFERRALS = (
    (ReferralSource.WALK_IN, "", 45),
    (ReferralSource.NGO, OrganisationKind.NGO, 25),
    (ReferralSource.UNHCR, OrganisationKind.UN_AGENCY, 10),
    (ReferralSource.HOSPITAL, OrganisationKind.HOSPITAL, 8),
    (ReferralSource.AUTHORITIES, OrganisationKind.AUTHORITY, 7),
    (ReferralSource.OTHER, "", 5),
)


class _People:
    def __init__(self, rng: random.Random, nationality: str, registered: datetime.date):
        self.rng = rng
        self.nationality = nationality
        self.pool = POOLS[nationality]
        self.registered = registered

    def person(self, sex: str, age: int, *, family: str | None = None, adult=True) -> dict:
        rng, pool = self.rng, self.pool
        given = rng.choice(pool.male if sex == "male" else pool.female)
        family = family or rng.choice(pool.family)
        data = {
            "given_name": given,
            "family_name": family,
            "sex": sex,
            "nationality": self.nationality,
        }
        known_dob = rng.random() < (0.6 if adult else 0.75)
        birth = self.registered - datetime.timedelta(days=365 * age + rng.randint(0, 364))
        if known_dob:
            data["date_of_birth"] = birth
        else:
            data["birth_year"] = birth.year  # estimated from the declared age
        if pool.arabic and given in pool.arabic and family in pool.arabic:
            data["name_arabic"] = f"{pool.arabic[given]} {pool.arabic[family]}"
        if adult and rng.random() < 0.12:
            data["other_names"] = _variant(family, rng)
        langs = [pool.languages[0]] + rng.sample(
            pool.languages[1:], k=min(len(pool.languages) - 1, rng.randint(0, 2))
        )
        if adult and rng.random() < 0.15:
            langs.append("ary")
        data["languages"] = langs
        return data

    def documents(self, *, adult: bool, unhcr: bool) -> list[dict]:
        rng, nat, reg = self.rng, self.nationality, self.registered
        docs = []
        if adult:
            roll = rng.random()
            if roll < 0.30:
                issued = reg - datetime.timedelta(days=rng.randint(200, 2500))
                docs.append(
                    {
                        "doc_type": DocumentType.PASSPORT,
                        "number": f"{rng.choice('ABCDEFGHJKLMNPRSTUVW')}{rng.randint(0, 9_999_999):07d}",
                        "issuing_country": nat,
                        "issue_date": issued,
                        "expiry_date": issued + datetime.timedelta(days=5 * 365),
                    }
                )
            elif roll < 0.55:
                docs.append(
                    {
                        "doc_type": DocumentType.CONSULAR_CARD,
                        "number": f"{nat}-RBT-{reg.year}-{rng.randint(1, 99_999):05d}",
                        "issuing_country": nat,
                    }
                )
            elif roll < 0.65:
                docs.append(
                    {
                        "doc_type": DocumentType.NATIONAL_ID,
                        "number": f"{rng.randint(10**8, 10**9 - 1)}",
                        "issuing_country": nat,
                    }
                )
            if unhcr and rng.random() < 0.6:
                docs.append(
                    {
                        "doc_type": DocumentType.UNHCR_DOCUMENT,
                        "number": f"UNHCR-RBA-{rng.randint(10, 99)}C{rng.randint(10_000, 99_999)}",
                        "issuing_country": "MA",
                        "notes": "Asylum-seeker certificate",
                    }
                )
        elif rng.random() < 0.3:
            docs.append(
                {
                    "doc_type": DocumentType.BIRTH_CERTIFICATE,
                    "number": f"{rng.randint(1, 9999)}/{reg.year - rng.randint(1, 10)}",
                    "issuing_country": rng.choice([nat, "MA"]),
                }
            )
        return docs


def _variant(name: str, rng: random.Random) -> str:
    from awda.core.text import fold

    plain = fold(name).title()
    if plain != name:
        return plain
    return f"{name[:-1]}{rng.choice('eiay')}"


def _household(people: _People, kind: str):
    """The principal applicant and the other members for a household type."""
    rng = people.rng
    members = []

    def child(family, parent_age):
        age = rng.randint(0, min(14, parent_age - 17))
        sex = rng.choice(("male", "female"))
        return {
            "relationship": Relationship.CHILD,
            "person": people.person(sex, age, family=family, adult=False),
            "documents": people.documents(adult=False, unhcr=False),
        }

    if kind == "uasc":
        age = rng.randint(15, 17)
        principal = people.person(rng.choice(("male", "male", "female")), age, adult=False)
        return principal, members, age
    if kind in ("single_man", "father_children", "couple", "siblings"):
        age = int(rng.triangular(18, 58, 28))
        principal = people.person("male", age)
    else:
        age = int(rng.triangular(18, 48, 27))
        principal = people.person("female", age)
    family = principal["family_name"]
    if kind == "couple":
        spouse = people.person("female", max(18, age - rng.randint(0, 8)))
        members.append(
            {
                "relationship": Relationship.SPOUSE,
                "person": spouse,
                "documents": people.documents(adult=True, unhcr=False),
            }
        )
        members += [child(family, age) for _ in range(rng.choice((0, 1, 1, 2, 2, 3)))]
    elif kind in ("mother_children", "father_children"):
        members += [child(family, age) for _ in range(rng.choice((1, 1, 2, 2, 3)))]
    elif kind == "siblings":
        sibling = people.person(rng.choice(("male", "female")), max(18, age + rng.randint(-6, 6)))
        sibling["family_name"] = family
        members.append(
            {
                "relationship": Relationship.SIBLING,
                "person": sibling,
                "documents": people.documents(adult=True, unhcr=False),
            }
        )
    return principal, members, age


def _phone(rng: random.Random) -> str:
    return (
        f"+212 {rng.choice('67')}{rng.randint(0, 99):02d} {rng.randint(0, 99):02d} "
        f"{rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"
    )


def plan_cases(n: int, seed: int, reference_date: datetime.date) -> list[CasePlan]:
    """Plan `n` cases. The first cases (one per status, when n allows) are placed so that every
    status of the workflow is represented on the reference date; the others are random."""
    rng = random.Random(seed)
    showcase = list(Status.values) if n >= len(Status.values) else []
    plans = []
    for index in range(n):
        target = showcase[index] if index < len(showcase) else None
        plans.append(_plan_case(rng, index, target, reference_date))
    return plans


_SHOWCASE_FATES = {
    S.NOT_ELIGIBLE: "not_eligible",
    S.NO_SHOW: "no_show",
    S.ON_HOLD: "hold",
    S.WITHDRAWN: "withdraw",
}


def _plan_case(rng, index, target, reference_date) -> CasePlan:
    nationality = rng.choices(NATIONALITIES, weights=NATIONALITY_WEIGHTS)[0]
    office = rng.choices(OFFICES, weights=OFFICE_WEIGHTS)[0]
    fate = _SHOWCASE_FATES.get(target, "return") if target else _weighted(rng, FATES)
    source, org_kind, _w = rng.choices(REFERRALS, weights=[r[2] for r in REFERRALS])[0]
    household = _weighted(rng, HOUSEHOLDS)
    pool = POOLS[nationality]
    context = _notes(rng, source, household, pool)
    context["country"] = _country_name(nationality)

    # The story first: it decides when the case was registered (and so the ages).
    story_rng = random.Random(rng.random())
    steps = build_story(story_rng, fate, context=context)
    days_ago = _days_ago_for(story_rng, steps, target)
    registered = reference_date - datetime.timedelta(days=days_ago)

    people = _People(rng, nationality, registered)
    principal, members, age = _household(people, household)
    documents = people.documents(adult=age >= 18, unhcr=source == ReferralSource.UNHCR)
    city, area = rng.choice(NEIGHBOURHOODS[office])
    principal["address"] = f"{area}, {city}"
    principal["city"] = city
    if rng.random() < 0.85:
        principal["phone"] = _phone(rng)
    spouse = next((m for m in members if m["relationship"] == Relationship.SPOUSE), None)
    if spouse and rng.random() < 0.1:  # a spouse of a neighbouring nationality
        spouse["person"]["nationality"] = rng.choice(("CI", "SN", "ML", "GN"))
    for m in members:
        m["person"]["address"] = principal["address"]
        m["person"]["city"] = city

    young_children = any(
        m["relationship"] == Relationship.CHILD and _birth_year(m["person"]) > registered.year - 5
        for m in members
    )
    if household == "uasc" or rng.random() < 0.02:
        priority = Priority.URGENT
    elif young_children or source == ReferralSource.HOSPITAL or household == "mother_children":
        priority = Priority.HIGH
    else:
        priority = Priority.NORMAL
    details = ""
    if source == ReferralSource.OTHER:
        details = rng.choice(
            (
                "Referred by a community leader.",
                "Referred by a religious community.",
                "Heard about the programme from a returnee.",
            )
        )
    return CasePlan(
        index=index,
        office=office,
        nationality=nationality,
        principal=principal,
        documents=documents,
        members=members,
        referral_source=source,
        referral_kind=org_kind,
        referral_details=details,
        priority=priority,
        destination_area=rng.choice(pool.areas),
        assigned=rng.random() < 0.95,
        pick=rng.random(),
        days_ago=days_ago,
        steps=steps,
    )


def _birth_year(person: dict) -> int:
    return person.get("birth_year") or person["date_of_birth"].year


def _notes(rng, source, household, pool) -> dict:
    intake = ""
    if source == ReferralSource.WALK_IN and rng.random() < 0.5:
        intake = "Came to the office on their own after hearing about the programme from friends."
    elif source == ReferralSource.HOSPITAL:
        intake = (
            "Referred by the hospital after treatment; medical follow-up to be arranged by the "
            "medical officer."
        )
    if household == "uasc":
        screening = (
            "Unaccompanied child: referred to the protection officer for a best-interests "
            "assessment."
        )
    elif household in ("couple", "mother_children", "father_children", "siblings"):
        screening = "Rapid vulnerability screening completed for every member of the family."
    elif rng.random() < 0.4:
        screening = "Rapid vulnerability screening completed; no specific need identified."
    else:
        screening = ""
    counselling = (
        f"Counselling session in {LANGUAGE_NAMES[pool.languages[0]]}: the return process, the "
        "assistance available and the right to withdraw at any time were explained."
    )
    return {
        "intake_note": intake,
        "screening_note": screening,
        "counselling_note": counselling,
        "medical": source == ReferralSource.HOSPITAL or rng.random() < 0.2,
    }


def _country_name(code: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name
