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

from django.utils import translation

from awda.accounts.choices import Role
from awda.cases import workflow
from awda.cases.choices import ClosureReason, Priority, ReferralSource, Relationship, Status
from awda.core import countries
from awda.registry.choices import DocumentType, OrganisationKind

from .names import NATIONALITIES, NATIONALITY_WEIGHTS, NEIGHBOURHOODS, POOLS
from .reference import ORIGIN_MISSIONS

R = Role
S = Status
ORIGIN_MISSION_CODES = frozenset(m[0] for m in ORIGIN_MISSIONS)
DAY = 1440  # minutes
HISTORY_DAYS = 3 * 365  # registrations are spread over the last three years

OFFICES = ("RBA", "CAS", "OUJ")
OFFICE_WEIGHTS = (52, 28, 20)


@dataclass
class Step:
    minute: int  # minutes since 00:00 on the registration day
    kind: str  # register, note, declaration, transition, task, task_done, task_cancel
    role: str  # the role of the acting user (in the case's office)
    name: str = ""  # transition name
    text: str = ""  # note body or task title (in French, as the caseworkers write them)
    reason: str = ""
    comment: str = ""
    closure_reason: str = ""
    key: str = ""  # task key (task, task_done)
    due_days: int = 0
    status: str = ""  # status of the case after this step
    factors: tuple = ()  # screening: the principal's vulnerability factors
    days: int = 0  # booking: days from the booking to the flight


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
# The demo content is written in French, as the caseworkers of IOM Morocco write it. "{e}" marks
# the feminine ending of a word about the principal applicant ("Orienté{e}"), resolved once the
# applicant is known (see `_inflect`).

LANGUAGE_NAMES = {
    "fr": "français", "en": "anglais", "ar": "arabe", "ary": "darija", "ff": "pular",
    "sus": "soussou", "man": "malinké", "bm": "bambara", "dyu": "dioula", "wo": "wolof",
    "ha": "haoussa", "yo": "yoruba", "ig": "igbo", "pcm": "pidgin", "mos": "mooré", "ln": "lingala",
    "snk": "soninké", "ewo": "ewondo", "other": "krio",
}  # fmt: skip

# Country of return, in French: "le consulat de Guinée / du Sénégal", "l'OIM en Guinée / au Mali".
COUNTRY_FR = {
    "GN": ("de Guinée", "en Guinée"),
    "CI": ("de Côte d'Ivoire", "en Côte d'Ivoire"),
    "SN": ("du Sénégal", "au Sénégal"),
    "CM": ("du Cameroun", "au Cameroun"),
    "ML": ("du Mali", "au Mali"),
    "NG": ("du Nigeria", "au Nigeria"),
    "BF": ("du Burkina Faso", "au Burkina Faso"),
    "SL": ("de Sierra Leone", "en Sierra Leone"),
    "SD": ("du Soudan", "au Soudan"),
    "GM": ("de Gambie", "en Gambie"),
    "CD": ("de la République démocratique du Congo", "en République démocratique du Congo"),
    "CG": ("de la République du Congo", "en République du Congo"),
    "NE": ("du Niger", "au Niger"),
    "LR": ("du Liberia", "au Liberia"),
    "TD": ("du Tchad", "au Tchad"),
}

WITHDRAW_REASONS = (
    "A décidé de rester au Maroc pour le moment.",
    "A trouvé un travail saisonnier dans la région ; reviendra peut-être plus tard.",
    "La famille au pays lui a déconseillé de rentrer maintenant.",
    "Souhaite tenter de poursuivre la route vers l'Europe.",
    "Injoignable depuis trois mois malgré les appels et les visites à domicile.",
    "A obtenu un titre de séjour au Maroc.",
    "Rentré{e} au pays par ses propres moyens.",
)
HOLD_REASONS = (
    "En attente de la confirmation d'identité par le consulat.",
    "Traitement médical en cours à l'hôpital ; départ après stabilisation.",
    "L'intéressé{e} a demandé un délai pour consulter sa famille.",
    "En attente d'un document de voyage pour un enfant né au Maroc.",
    "L'intéressé{e} est temporairement injoignable (parti{e} dans une autre ville).",
)
NOT_ELIGIBLE_REASONS = (
    "Reconnu{e} réfugié{e} par le HCR : le rapatriement librement consenti relève du mandat du "
    "HCR.",
    "A déjà bénéficié d'une aide au retour depuis le Maroc au cours des trois dernières années.",
    "Titulaire d'un titre de séjour valide et d'un emploi stable au Maroc.",
    "Nationalité non couverte par un projet en cours.",
    "Ne souhaite pas rentrer dans son pays de nationalité mais partir vers un pays tiers.",
)
NO_SHOW_REASONS = (
    "Ne s'est pas présenté{e} à l'aéroport le jour du départ.",
    "Arrivé{e} à l'aéroport après la clôture de l'enregistrement.",
    "Hospitalisé{e} la veille du départ.",
    "Refoulé{e} au contrôle de la police des frontières : autorisation de sortie introuvable.",
)
PLANS = (
    "une petite boutique de vêtements et de sous-vêtements",
    "une buvette de quartier",
    "un atelier de couture",
    "un élevage de volailles",
    "une activité de taxi-moto",
    "un salon de coiffure",
    "la vente de crédit téléphonique et d'accessoires",
    "un petit restaurant de rue",
    "du maraîchage",
    "la reprise d'une formation professionnelle d'électricien",
    "un atelier de soudure",
)
OTHER_REFERRALS = (
    "Orienté{e} par un leader communautaire.",
    "Orienté{e} par une paroisse.",
    "A entendu parler du programme par une personne déjà rentrée au pays.",
)
# Task titles (the lp title takes the country: "consulat de Guinée").
TASK_DECLARATION = "Faire signer la déclaration de retour volontaire"
TASK_LAISSEZ_PASSER = "Demander le laissez-passer au consulat {country_de}"
TASK_EXIT = "Demander l'autorisation de sortie du territoire"
TASK_FIT_TO_TRAVEL = "Visite médicale d'aptitude au voyage"
TASK_FLIGHT = "Réserver le vol et informer l'intéressé{e}"
TASK_NEW_FLIGHT = "Réserver un nouveau vol et informer l'intéressé{e}"
FINAL_CLOSURES = (
    (ClosureReason.SUPPORT_COMPLETED, 80),
    (ClosureReason.RE_MIGRATED, 5),
    (ClosureReason.LEFT_AREA, 5),
    (ClosureReason.RETURNEE_STOPPED, 5),
    (ClosureReason.FUNDING_ENDED, 4),
    (ClosureReason.UNREACHABLE, 3),
    (ClosureReason.NO_LONGER_WANTS_HELP, 2),
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


# A case in these statuses has no work left: the case services cancel its open tasks.
TERMINAL = (S.CLOSED, S.WITHDRAWN, S.NOT_ELIGIBLE)


def _weighted(rng: random.Random, pairs):
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights=weights)[0]


class _Timeline:
    """Builds a story step by step, tracking the status through the workflow table.

    Tasks are created with the day they will be done (`task(..., done_in=...)`); those completions
    (and the tasks they lead to) wait in `pending` and are written into the story, at their minute,
    as time passes. So a laissez-passer request is marked done the day the consulate delivers, not
    left open: on the reference date, only the tasks of the cases' current steps are open, and a
    few of them late, as on a real dashboard."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.minute = rng.randint(8 * 60 + 30, 16 * 60)
        self.status = S.REGISTERED
        self.before_hold = ""
        self.steps = [Step(self.minute, "register", R.CASEWORKER, status=S.REGISTERED)]
        self.open_tasks: dict[str, str] = {}  # task key -> role of the assignee
        self.pending: list[tuple[int, int, str, str, dict]] = []  # (minute, seq, kind, role, kw)

    def later(self, lo: int, hi: int, *, after: int | None = None) -> int:
        """A minute `lo` to `hi` days after `after` (default: now), in office hours."""
        start = self.minute if after is None else after
        days = self.rng.randint(lo, hi)
        if days == 0:
            return start + self.rng.randint(5, 90)
        return (start // DAY + days) * DAY + self.rng.randint(8 * 60 + 30, 17 * 60)

    def wait_days(self, days: int) -> None:
        """To the flight: `days` days after today, in the evening (flights leave late)."""
        target = (self.minute // DAY + days) * DAY + self.rng.randint(18 * 60, 22 * 60)
        self._run_pending(until=target)
        self.minute = max(self.minute, target)

    def wait(self, lo: int, hi: int) -> None:
        target = self.later(lo, hi)
        self._run_pending(until=target)
        self.minute = max(self.minute, target)

    def _run_pending(self, *, until: int) -> None:
        """Write the scheduled steps that happen before `until` into the story."""
        while self.pending and self.pending[0][0] < until:
            minute, _seq, kind, role, kw = self.pending.pop(0)
            self.minute = max(self.minute, minute - 1)
            self.add(kind, role, **kw)

    def schedule(self, minute: int, kind: str, role: str, **kw) -> None:
        self.pending.append((minute, len(self.steps) * 100 + len(self.pending), kind, role, kw))
        self.pending.sort(key=lambda p: p[:2])

    def add(self, kind: str, role: str, **kw) -> None:
        self.minute += 1  # strictly after the previous step
        self.steps.append(Step(self.minute, kind, role, status=self.status, **kw))
        if kind == "task":
            self.open_tasks[kw["key"]] = role
        elif kind in ("task_done", "task_cancel"):
            self.open_tasks.pop(kw["key"], None)

    def task(self, key, role, text, *, due_days, done_in=None, at=None) -> int | None:
        """Create a task now (or at minute `at`); with `done_in` (lo, hi days), schedule its
        completion and return its minute."""
        if at is None:
            self.add("task", role, key=key, text=text, due_days=due_days)
            start = self.minute
        else:
            self.schedule(at, "task", role, key=key, text=text, due_days=due_days)
            start = at
        if done_in is None:
            return None
        done = self.later(*done_in, after=start)
        self.schedule(done, "task_done", role, key=key)
        return done

    def screen(self, role: str, factors, *, tasks: dict) -> None:
        """Record the rapid screening; the screening service creates the tasks of the assessments
        it requires (`tasks`: key -> (role, done_in)), to be done like the others."""
        self.add("screening", role, factors=tuple(factors))
        for key, (task_role, done_in) in tasks.items():
            self.open_tasks[key] = task_role
            self.schedule(self.later(*done_in), "task_done", task_role, key=key)

    def finish(self, *keys: str) -> None:
        """Complete these tasks: wait for their scheduled completion if it is still to come, or
        mark them done now."""
        mine = [p[0] for p in self.pending if p[4].get("key") in keys]
        if mine:
            self._run_pending(until=max(mine) + 1)
        for key in keys:
            if key in self.open_tasks:
                self.add("task_done", self.open_tasks[key], key=key)

    def cancel_open_tasks(self, role: str) -> None:
        """The caseworker cancels what is left to do (a case that stays on hold)."""
        self.pending.clear()
        for key in list(self.open_tasks):
            self.add("task_cancel", role, key=key)

    def effect(self, kind: str, role: str, status: str, **kw) -> None:
        """A step whose service moves the case itself (the last seat confirmed books the case,
        the last departure confirmed makes it departed, ...)."""
        self.status = status
        self.add(kind, role, **kw)

    def close_by_effect(self, kind: str, role: str, closure_reason: str) -> None:
        """A step whose service closes the case (the services cancel its open tasks)."""
        self.effect(kind, role, S.CLOSED, closure_reason=closure_reason)
        self.open_tasks.clear()
        self.pending.clear()

    def move(self, name: str, role: str, **kw) -> None:
        t = workflow.BY_NAME[name]
        if self.status not in t.sources or role not in t.roles:
            raise AssertionError(f"demo story: {name} by {role} from {self.status}")
        target = t.target or self.before_hold
        if target == S.ON_HOLD:
            self.before_hold = self.status
        self.status = target
        self.add("transition", role, name=name, **kw)
        if target in TERMINAL:  # the services cancel the open tasks
            self.open_tasks.clear()
            self.pending.clear()


def build_story(rng: random.Random, fate: str, *, context: dict) -> list[Step]:
    tl = _Timeline(rng)
    hold_at = rng.choice(HOLD_POINTS) if fate in ("hold", "hold_stuck") else None
    withdraw_at = (
        rng.choices(WITHDRAW_POINTS, weights=WITHDRAW_WEIGHTS)[0] if fate == "withdraw" else None
    )
    cw, mgr, mov, med, prot = R.CASEWORKER, R.MANAGER, R.MOVEMENT, R.MEDICAL, R.PROTECTION

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
                # Nothing moves: after a few weeks the caseworker cancels the pending tasks.
                tl.wait(7, 30)
                tl.cancel_open_tasks(cw)
                if rng.random() < 0.5:
                    withdraw(30, 170)
                return True
            tl.wait(7, 60)
            if context["medical"] and point in (S.READY_TO_TRAVEL, S.BOOKED):
                tl.add("fitness", med)  # back to "ready": a fitness decision of the day
            tl.move("resume", cw, comment="Le motif de la mise en attente est levé.")
        if point == withdraw_at:
            withdraw(1, 20)
            return True
        return False

    # Consent to the processing of their data for the return, and to sharing it with the origin
    # mission, taken at registration (a guardian signs for a child).
    tl.add("consent", cw)
    if context["intake_note"]:
        tl.add("note", cw, text=context["intake_note"])
    if checkpoint(S.REGISTERED):
        return tl.steps
    tl.wait(0, 4)
    tl.move("start_counselling", cw)
    tl.add("note", cw, text=context["counselling_note"])
    tl.task("decl", cw, TASK_DECLARATION, due_days=7)
    if checkpoint(S.COUNSELLING):
        return tl.steps
    tl.wait(0, 10)
    tl.finish("decl")
    tl.add("declaration", cw)
    tl.wait(0, 3)
    tl.move("start_screening", cw)
    tasks = {}
    if context["child"]:
        tasks["bia"] = (prot, (3, 18))
    if context["trafficking"]:
        tasks["vot"] = (prot, (2, 10))
    if context["medical"]:
        tasks["medass"] = (med, (1, 10))
    tl.screen(cw, context["factors"], tasks=tasks)
    if context["screening_note"]:
        tl.add("note", cw, text=context["screening_note"])
    if checkpoint(S.SCREENING):
        return tl.steps
    tl.wait(2, 20)
    tl.finish("bia", "vot", "medass")
    if context["child"]:  # identification, assessment, guardian consent, tracing request
        tl.add("uasc_assess", prot)
    if context["trafficking"]:  # interview and determination
        tl.add("vot_interview", prot)
    if fate == "not_eligible":
        tl.move("reject_eligibility", mgr, reason=rng.choice(NOT_ELIGIBLE_REASONS))
        if rng.random() < 0.9:
            tl.wait(3, 30)
            tl.move("close", mgr, closure_reason=ClosureReason.NOT_ELIGIBLE)
        return tl.steps
    tl.move("approve_eligibility", mgr)
    tl.add("lp_request", cw)  # sent to the consulate the day of the decision
    # The consulate takes one to five weeks for the laissez-passer; the exit authorisation (and
    # the fitness-to-travel check, close to departure) are asked for once it is there.
    text = TASK_LAISSEZ_PASSER.format(country_de=context["country_de"])
    issued = tl.task("lp", cw, text, due_days=14, done_in=(5, 35))
    asked = tl.later(0, 2, after=issued)
    tl.task("exit", mov, TASK_EXIT, due_days=10, done_in=(2, 10), at=asked)
    if context["medical"]:
        tl.task("ftt", med, TASK_FIT_TO_TRAVEL, due_days=7, done_in=(1, 7), at=asked + 1)
    if checkpoint(S.ELIGIBLE):
        return tl.steps
    tl.wait(0, 3)
    tl.move("start_pre_departure", cw)
    tl.add("assistance", cw)
    if context["child"]:  # the family is located and assessed in the origin country
        tl.wait(5, 30)
        tl.add("uasc_traced", prot)
    if context["trafficking"]:  # the return-risk assessment, done with the origin mission
        tl.wait(3, 20)
        tl.add("vot_risk", prot)
    if checkpoint(S.PRE_DEPARTURE):
        return tl.steps
    tl.finish("lp", "exit", "ftt")
    tl.add("docs_ready", mov)  # laissez-passer issued, exit authorisation granted
    if context["child"]:  # the determination, then the escort and the reception
        tl.wait(1, 10)
        tl.add("uasc_decide", prot)
    if context["trafficking"]:
        tl.wait(1, 7)
        tl.add("vot_accept", prot)
    if context["medical"]:  # fitness to travel, dated close to departure
        tl.add("fitness", med)
    tl.wait(0, 3)
    tl.move("mark_ready", cw, comment="Laissez-passer délivré et autorisation de sortie obtenue.")
    tl.task("flight", mov, TASK_FLIGHT, due_days=7)
    if checkpoint(S.READY_TO_TRAVEL):
        return tl.steps
    tl.wait(2, 14)
    tl.finish("flight")
    if context["medical"]:
        tl.add("fitness", med)
    flight_in = rng.randint(2, 6)  # within the validity of a fitness decision of the day
    tl.effect("booking", mov, S.BOOKED, days=flight_in)
    tl.add("handover", cw)
    if checkpoint(S.BOOKED):
        return tl.steps
    if fate in ("no_show", "no_show_withdraw"):
        tl.wait_days(flight_in)
        tl.effect("no_show", mov, S.NO_SHOW, reason=rng.choice(NO_SHOW_REASONS))
        if fate == "no_show_withdraw":
            withdraw(2, 30)
            return tl.steps
        tl.wait(1, 10)
        tl.move("rebook", cw, comment="L'intéressé{e} a confirmé sa volonté de rentrer.")
        tl.wait(3, 20)
        if context["medical"]:
            tl.add("fitness", med)
        tl.move("mark_ready", cw)
        tl.task("flight2", mov, TASK_NEW_FLIGHT, due_days=7)
        tl.wait(2, 10)
        tl.finish("flight2")
        if context["medical"]:
            tl.add("fitness", med)
        flight_in = rng.randint(2, 6)
        tl.effect("booking", mov, S.BOOKED, days=flight_in)
    tl.wait_days(flight_in)
    if context["medical"]:  # fitness to travel dated close to the flight
        tl.add("fitness", med)
    tl.effect("depart", mov, S.DEPARTED)
    tl.wait(0, 1)
    tl.effect("arrive", mov, S.ARRIVED)
    if fate == "avr" or not context["origin_mission"]:
        # Without reintegration assistance, or returning to a country whose IOM mission does not
        # work in this instance: the host mission closes the case once the arrival is confirmed.
        tl.wait(1, 10)
        tl.move("close", mgr, closure_reason=ClosureReason.NO_REINTEGRATION)
        return tl.steps
    reintegration_story(tl, rng)
    return tl.steps


def reintegration_story(tl: "_Timeline", rng: random.Random) -> None:
    """The origin mission's part (awda.demo.reintegration replays it as the mission's
    reintegration officer and manager): the handover accepted, the reception, assessments and
    the baseline survey, a plan within the cap approved, the purchase delivered (and a second
    cash tranche for some), monitoring at 3, 6 and 12 months with follow-up surveys, closure."""
    ro, om = R.REINTEGRATION, R.MANAGER
    tl.wait(0, 1)
    tl.add("reint_accept", ro)
    tl.wait(0, 2)
    tl.effect("reint_reception", ro, S.REINTEGRATION)
    tl.wait(2, 10)
    tl.add("reint_assess", ro)
    tl.add("reint_baseline", ro)
    tl.wait(5, 20)
    tl.add("reint_plan", ro, text=rng.choice(PLANS))
    tl.wait(1, 6)
    tl.add("reint_approve", om)
    tl.wait(5, 25)
    tl.add("reint_purchase", ro)
    tl.wait(3, 15)
    tl.add("reint_deliver", ro)
    tl.wait(0, 5)
    tl.effect("reint_monitor", ro, S.MONITORING)
    for months in (3, 6, 12):
        tl.wait(70 if months == 3 else 80, 95 if months == 3 else 180)
        tl.add("reint_visit", ro, days=months)
        if months == 6 and rng.random() < 0.08:
            tl.wait(1, 20)
            tl.close_by_effect("reint_close", ro, ClosureReason.RE_MIGRATED)
            return
    tl.wait(5, 40)
    tl.close_by_effect("reint_close", ro, _weighted(rng, FINAL_CLOSURES))


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
        shift, threshold = DAY * rng.randint(1, 4), later[0].minute
        for s in steps[k + 1 :]:
            if s.minute >= threshold:
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
                        "notes": "Attestation de demandeur d'asile",
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
    if nationality not in ORIGIN_MISSION_CODES:
        # Family tracing and the return-risk assessment go through an origin mission: the demo
        # has none in some countries, so their children and possible victims are not alone.
        household = "single_man" if household == "uasc" else household
    if target in (S.REINTEGRATION, S.MONITORING) and nationality not in ORIGIN_MISSION_CODES:
        nationality = "GN"  # reintegration needs an origin mission in the demo
    pool = POOLS[nationality]
    context = _notes(rng, source, household, pool, with_mission=nationality in ORIGIN_MISSION_CODES)
    context["country_de"], context["country_en"] = _country_fr(nationality)
    context["origin_mission"] = nationality in ORIGIN_MISSION_CODES

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
        details = _inflect(rng.choice(OTHER_REFERRALS), principal["sex"])
    for step in steps:
        step.text = _inflect(step.text, principal["sex"])
        step.reason = _inflect(step.reason, principal["sex"])
        step.comment = _inflect(step.comment, principal["sex"])
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


def _inflect(text: str, sex: str) -> str:
    """Agree the words about the principal applicant: "Orienté{e}" -> "Orientée" for a woman."""
    return text.replace("{e}", "e" if sex == "female" else "")


def _notes(rng, source, household, pool, *, with_mission=True) -> dict:
    intake = ""
    if source == ReferralSource.WALK_IN and rng.random() < 0.5:
        intake = (
            "Venu{e} au bureau de sa propre initiative, après avoir entendu parler du programme "
            "par des amis."
        )
    elif source == ReferralSource.HOSPITAL:
        intake = (
            "Orienté{e} par l'hôpital à la fin de son traitement ; suivi médical à organiser par "
            "l'unité médicale de l'OIM."
        )
    if household == "uasc":
        screening = (
            "Enfant non accompagné{e} : orienté{e} vers l'équipe protection pour une évaluation "
            "de l'intérêt supérieur de l'enfant."
        )
    elif household in ("couple", "mother_children", "father_children", "siblings"):
        screening = (
            "Évaluation rapide de la vulnérabilité réalisée pour chaque membre de la famille."
        )
    elif rng.random() < 0.4:
        screening = (
            "Évaluation rapide de la vulnérabilité réalisée ; aucun besoin spécifique relevé."
        )
    else:
        screening = ""
    # Counselling in the lingua franca, or in a local language with a community interpreter.
    # (Staff speak French, English and Arabic; "other" is not a language one can name.)
    language = pool.languages[0]
    local = [code for code in pool.languages[1:] if code != "other"]
    if local and rng.random() < 0.35:
        language = rng.choice(local)
    language = f"en {LANGUAGE_NAMES[language]}" + (
        "" if language in ("fr", "en", "ar") else ", avec un interprète communautaire"
    )
    counselling = (
        f"Entretien de conseil {language} : le processus de retour, l'assistance disponible et le "
        "droit de se désister à tout moment ont été expliqués."
    )
    child = household == "uasc"
    medical = source == ReferralSource.HOSPITAL or rng.random() < 0.2
    # Indicators of trafficking come up in a few screenings, of women travelling alone mostly.
    trafficking = rng.random() < {"single_woman": 0.08, "single_man": 0.015}.get(household, 0)
    trafficking = trafficking and with_mission
    factors = [
        code
        for code, present in (
            ("unaccompanied_child", child),
            ("trafficking_indicators", trafficking),
            ("health_needs", medical),
            ("single_parent", household in ("mother_children", "father_children")),
            ("no_income", rng.random() < 0.35),
            ("no_shelter", rng.random() < 0.1),
            ("no_support_network", rng.random() < 0.2),
            ("no_documents", rng.random() < 0.3),
        )
        if present
    ]
    return {
        "intake_note": intake,
        "screening_note": screening,
        "counselling_note": counselling,
        "child": child,
        "medical": medical,
        "trafficking": trafficking,
        "factors": factors,
    }


def _country_fr(code: str) -> tuple[str, str]:
    """("de Guinée", "en Guinée"): the country of return after "consulat" and after "OIM"."""
    if code in COUNTRY_FR:
        return COUNTRY_FR[code]
    with translation.override("fr"):  # a nationality added to names.py without a French form
        name = countries.name(code)
    return f"de {name}", f"en {name}"
