from django.db.models import Q

from awda.core.text import compact, digits, fold

from .models import IdentityDocument, Organisation, Person


def matching_person_ids(query: str):
    """Ids of the persons matching every word of the query accent- and case-blind against names
    and aliases ("traore" finds "TRAORÉ"), or a phone number, or a document number.

    Built as a UNION of parts that each use an index on PostgreSQL (trigram indexes on the folded
    search text and on the phone digits, a b-tree on the compact document number): an OR of the
    same conditions would make PostgreSQL scan every person (bench/README.md). A person merged
    into another (duplicates review) is left out: the survivor holds the names as aliases."""
    parts = []
    words = fold(query).split()
    if words:
        q = Q()
        for word in words:
            q &= Q(search_text__contains=word)
        parts.append(Person.objects.filter(q, merged_into__isnull=True).order_by().values("pk"))
    d = digits(query)
    if len(d) >= 6 and d == compact(query):
        # Compare the national significant number (last 9 digits), so a local "0661 12 34 56"
        # finds a stored "+212 661 12 34 56" and the other way round.
        parts.append(
            Person.objects.filter(phone_digits__contains=d[-9:], merged_into__isnull=True)
            .order_by()
            .values("pk")
        )
    c = compact(query)
    if len(c) >= 4:
        parts.append(
            IdentityDocument.objects.filter(number_compact=c).order_by().values("person_id")
        )
    if not parts:
        return Person.objects.none().values("pk")
    return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]


def search_q(query: str) -> Q:
    """A Q over Person for matching_person_ids (a query of only punctuation matches nobody)."""
    return Q(pk__in=matching_person_ids(query))


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
