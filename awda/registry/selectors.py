from django.db.models import Q

from awda.core.text import compact, digits, fold

from .models import IdentityDocument, Organisation, Person


def search_q(query: str) -> Q:
    """A Q over Person matching every word of the query accent- and case-blind against names,
    aliases, phones and document numbers ("traore" finds "TRAORÉ")."""
    q = Q()
    for word in fold(query).split():
        q &= Q(search_text__contains=word)
    d = digits(query)
    if len(d) >= 6 and d == compact(query):
        # Compare the national significant number (last 9 digits), so a local "0661 12 34 56"
        # finds a stored "+212 661 12 34 56" and the other way round.
        q |= Q(phone_digits__contains=d[-9:] if len(d) >= 9 else d)
    c = compact(query)
    if len(c) >= 4:
        q |= Q(pk__in=IdentityDocument.objects.filter(number_compact=c).values("person_id"))
    return q


def organisation_list(*, kind=None, country=None, query=None, active_only=True):
    qs = Organisation.objects.all()
    if active_only:
        qs = qs.filter(is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    if country:
        qs = qs.filter(country=country)
    if query:
        qs = qs.filter(name__icontains=query)
    return qs.order_by("name")


def person_documents(person: Person):
    return person.documents.all()
