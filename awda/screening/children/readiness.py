"""The UASC procedure's part of the readiness checklist (cases.readiness): for each traveller the
procedure applies to (rules.uasc_applies), one check per step. The details are neutral
("missing", "family not yet located", ...) and shown to every role on the case, so the checks
carry no restricted `action`: the refusal of "Ready to travel" says what is missing, never why
(a caregiver assessment or a determination that is not positive reads "missing" too)."""

from awda.cases.readiness import Check

from .selectors import child_files, child_files_many


def collect(case, travellers, on_date):
    """A fixed number of queries: two when no traveller is concerned, nine otherwise."""
    files = child_files(case, travellers, on_date=on_date, only_applicable=True)
    by_person = {m.person_id: m.pk for m in travellers}
    return {
        by_person[pid]: [
            Check(f"uasc.{s.step}", str(s.label), s.ok, str(s.detail)) for s in f.steps
        ]
        for pid, f in files.items()
    }


def collect_many(items, on_date):
    """`collect` for many (case, travellers) pairs at once (the same fixed number of queries)."""
    files = child_files_many(items, on_date=on_date, only_applicable=True)
    return {
        f.member.pk: [Check(f"uasc.{s.step}", str(s.label), s.ok, str(s.detail)) for s in f.steps]
        for f in files.values()
    }
