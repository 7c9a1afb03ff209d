from awda.reintegration.plans import services

SHOP = {
    "kind": "micro_business",
    "description": "Shop stock (underwear)",
    "quantity": "2",
    "unit": "lot",
    "unit_cost": "150.00",
}


def draft(user, case, *, items=None, assistances=None, **fields):
    """A draft plan of `case` with a micro-business assistance and `items` (default: SHOP)."""
    plan = services.plan_create(user, case=case)
    return services.plan_update(
        user,
        plan=plan,
        expected_version=plan.version,
        economic_summary=fields.pop("economic_summary", "Corner shop near home"),
        assistances=assistances
        if assistances is not None
        else [{"kind": "micro_business", "description": "Shop", "referral": False}],
        items=items if items is not None else [SHOP],
        **fields,
    )


def submitted(user, case, **kwargs):
    plan = draft(user, case, **kwargs)
    return services.plan_submit(user, plan=plan, expected_version=plan.version)
