from django import template

from .. import selectors

register = template.Library()


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key, 0)


@register.filter
def pair_persons(pair):
    return [pair.person_a, pair.person_b]


@register.filter
def reason_texts(pair, limit=None):
    """The pair's reasons as translated sentences, strongest first (the first `limit`)."""
    texts = [r["text"] for r in selectors.pair_reasons(pair)]
    return texts[: int(limit)] if limit else texts
