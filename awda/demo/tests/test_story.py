"""The demo stories, planned without a database."""

import datetime

from awda.cases.choices import Status
from awda.demo.names import POOLS
from awda.demo.story import COUNTRY_FR, DAY, _inflect, plan_cases

REFERENCE = datetime.date(2026, 6, 15)
TERMINAL = (Status.CLOSED, Status.WITHDRAWN, Status.NOT_ELIGIBLE)


def _open_tasks_on_reference_date(plan):
    """(status of the case, {task key: days late}) once the steps before the reference date ran."""
    status, open_tasks = Status.REGISTERED, {}
    for step in plan.steps:
        if step.minute // DAY >= plan.days_ago:
            break
        status = step.status
        if step.kind == "task":
            open_tasks[step.key] = plan.days_ago - (step.minute // DAY + step.due_days)
        elif step.kind in ("task_done", "task_cancel"):
            open_tasks.pop(step.key, None)
        elif step.kind == "transition" and status in TERMINAL:
            open_tasks.clear()  # the case services cancel them
    return status, open_tasks


def test_steps_of_a_story_are_in_order():
    for plan in plan_cases(300, 5, REFERENCE):
        minutes = [step.minute for step in plan.steps]
        assert minutes == sorted(minutes) and len(set(minutes)) == len(minutes), plan.index


def test_old_cases_leave_no_task_open_and_recent_ones_only_a_few_late():
    plans = plan_cases(600, 3, REFERENCE)
    open_count, late = 0, []
    for plan in plans:
        status, open_tasks = _open_tasks_on_reference_date(plan)
        open_count += len(open_tasks)
        late += [days for days in open_tasks.values() if days > 0]
        if status in (Status.READY_TO_TRAVEL, Status.BOOKED):
            assert "lp" not in open_tasks and "exit" not in open_tasks
    assert 5 <= open_count <= 0.1 * len(plans)  # a handful, on the cases under way
    assert late and max(late) <= 90 and len(late) < open_count  # a few late, by days or weeks


def test_texts_agree_with_the_applicant():
    assert _inflect("Orienté{e} par l'hôpital.", "female") == "Orientée par l'hôpital."
    assert _inflect("Orienté{e} par l'hôpital.", "male") == "Orienté par l'hôpital."
    for plan in plan_cases(200, 9, REFERENCE):
        for step in plan.steps:
            assert "{" not in step.text + step.reason + step.comment
        assert "{" not in plan.referral_details


def test_every_nationality_has_its_french_country_name():
    assert set(POOLS) <= set(COUNTRY_FR)
