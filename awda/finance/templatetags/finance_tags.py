"""Template helpers of the finance pages: the navigation filter and the display of rates."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def sees_finance(user) -> bool:
    """Who sees the "Finance" menu: finance officers, managers and M&E officers (finance.view in
    some mission)."""
    from awda.finance import policies

    return bool(getattr(user, "is_authenticated", False)) and policies.may_view(user)


@register.simple_tag
def charge_rate(charge, project_currency: str) -> str:
    """The rate a charge was converted with, as recorded: "1 MAD = 0.0925 EUR", or for a rate
    of the reverse pair (the amount was divided by it) "1 EUR = 9300 GNF". "" for a charge in
    the project's currency or awaiting a rate."""
    if charge.rate is None or charge.currency == project_currency:
        return ""
    pair = (
        (project_currency, charge.currency)
        if charge.rate_inverted
        else (charge.currency, project_currency)
    )
    return f"1 {pair[0]} = {rate_text(charge.rate)} {pair[1]}"


@register.filter
def rate_text(value) -> str:
    """A rate without trailing zeros nor exponent (10.8500000000 -> 10.85)."""
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text
