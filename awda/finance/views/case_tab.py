"""The case page's "Costs" tab (registered by FinanceConfig.ready)."""

from .. import cost_selectors

# ---- the case page's Costs tab ------------------------------------------------------------------


def tab_costs(request, case, perms, bound):
    """Per person and per cost category, committed and spent in the original currencies and in
    the project's; each person's costs across the cases the user may see; the charges. Four
    queries whatever the number of charges."""
    members = list(case.members.select_related("person").order_by("-is_principal", "id"))
    costs = cost_selectors.case_costs(case, members=members)
    across = cost_selectors.person_costs_across(
        request.user, [p.person.pk for p in costs.persons if p.person is not None]
    )
    for entry in costs.persons:
        if entry.person is not None:
            other = across.get(entry.person.pk)
            entry.all_cases = other if other and other["cases"] > 1 else None
    return {"costs": costs}
