"""The rules of the UASC procedure, as pure functions of what is recorded (no database access):
when the procedure applies to a traveller, and the state of each of its steps. The selectors
gather the records; the readiness provider, the case tab and the API present these results.

The details given for a step that is not done are neutral ("missing", "reopened: a new
determination is needed", "family not yet located", "escort not trained"): the readiness checklist
and the refusal of "Ready to travel" are seen by every role on the case, and never reveal findings,
outcomes or reasons. In particular a caregiver assessment or a determination that is recorded but
not positive reads "missing", exactly as when there is none: a different word would tell everyone
that the family was found unsuitable or that the panel decided against the return."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .choices import (
    CAREGIVER_POSITIVE,
    UASC_STATUSES,
    DeterminationOutcome,
    Step,
    TracingStatus,
)

ADULT_AGE = 18


def uasc_applies(
    *,
    identification=None,
    flagged_unaccompanied: bool = False,
    age: int | None = None,
    adult_travelling: bool = False,
) -> bool:
    """Does the UASC procedure apply to this person?

    - `identification` (the current ChildIdentification, or None) decides when there is one: it
      applies to a separated or unaccompanied child under 18; an identification saying
      "accompanied", or an assessed age of 18 or more, lifts it.
    - Without an identification, it applies when the current rapid screening says
      "unaccompanied child" (`flagged_unaccompanied`), or when the person is under 18 on the day
      (`age`) and no traveller of the case is 18 or over (`adult_travelling`)."""
    if identification is not None:
        return identification.care_status in UASC_STATUSES and identification.age_years < ADULT_AGE
    if flagged_unaccompanied:
        return True
    return age is not None and age < ADULT_AGE and not adult_travelling


def is_adult(age: int | None) -> bool:
    """An unknown age does not count as an adult: a child cannot be presumed accompanied."""
    return age is not None and age >= ADULT_AGE


def current_determination(determinations):
    """The determination that counts, from a newest-first list: the newest one unless it was
    reopened (then a new determination is needed: there is none)."""
    if not determinations:
        return None
    newest = determinations[0]
    return None if newest.reopened_on is not None else newest


@dataclass(frozen=True)
class StepState:
    step: str
    ok: bool
    detail: str = ""  # neutral: why it is not done yet

    @property
    def label(self):
        return Step(self.step).label


def _exists(step, records) -> StepState:
    return StepState(step, bool(records), "" if records else _("missing"))


def step_states(
    *,
    identifications=(),
    assessments=(),
    tracings=(),
    caregivers=(),
    determinations=(),
    guardian_consents=(),
    escorts=(),
    receptions=(),
) -> list[StepState]:
    """The state of each step of the procedure, in order, from the records of one child in one
    case, each list newest first (guardian_consents: the valid AVRR consents given by a
    guardian)."""
    states = [
        _exists(Step.IDENTIFICATION, identifications),
        _exists(Step.ASSESSMENT, assessments),
    ]

    if not tracings:
        states.append(StepState(Step.TRACING, False, _("missing")))
    elif tracings[0].status != TracingStatus.LOCATED:
        states.append(StepState(Step.TRACING, False, _("family not yet located")))
    else:
        states.append(StepState(Step.TRACING, True))

    # no record and a record that is not positive read the same (see the module docstring)
    if caregivers and caregivers[0].outcome in CAREGIVER_POSITIVE:
        states.append(StepState(Step.CAREGIVER, True))
    else:
        states.append(StepState(Step.CAREGIVER, False, _("missing")))

    current = current_determination(list(determinations))
    if determinations and current is None:
        states.append(
            StepState(Step.DETERMINATION, False, _("reopened: a new determination is needed"))
        )
    elif current is not None and current.outcome == DeterminationOutcome.RETURN:
        states.append(StepState(Step.DETERMINATION, True))
    else:
        states.append(StepState(Step.DETERMINATION, False, _("missing")))

    states.append(_exists(Step.GUARDIAN_CONSENT, guardian_consents))

    if not escorts:
        states.append(StepState(Step.ESCORT, False, _("missing")))
    elif not escorts[0].escort_trained:
        states.append(StepState(Step.ESCORT, False, _("escort not trained")))
    else:
        states.append(StepState(Step.ESCORT, True))

    states.append(_exists(Step.RECEPTION, receptions))
    return states
