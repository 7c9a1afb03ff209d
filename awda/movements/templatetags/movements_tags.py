"""Navigation filters of the movements pages: who sees the "Operations board", "Departures" and
"Arrivals" links of the "Movements" menu."""

from django import template

from awda.cases.policies import can

register = template.Library()


@register.filter
def organises_departures(user) -> bool:
    """Movement officers and managers (movement.record in some office) organise departures."""
    from awda.movements.selectors import may_organise_departures

    return bool(getattr(user, "is_authenticated", False)) and may_organise_departures(user)


@register.filter
def confirms_arrivals(user) -> bool:
    """Staff of an origin mission who may confirm arrivals (arrival.confirm there)."""
    from awda.movements.selectors import may_confirm_arrivals

    return bool(getattr(user, "is_authenticated", False)) and may_confirm_arrivals(user)


@register.filter
def records_movements(user) -> bool:
    """Does `user` record movements in some office (sees the operations board)?"""
    return bool(getattr(user, "is_authenticated", False)) and can(user, "movement.record")
