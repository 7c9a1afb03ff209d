"""The duplicate check while registering, scoped to a user: registry.duplicate_check finds and
scores the candidates; this module restricts them to the persons the user may see
(cases.selectors.person_queryset_for, the same scope as the person search) and loads the chosen
ones with the documents and case history the user may see, for the "possible existing persons"
panel of the registration form and the API (POST /api/v1/persons/duplicates/).

Possible matches outside the user's scope are not mentioned at all, not even as a count ("1
possible match in another office"): the check would otherwise answer, for any phone or document
number typed, whether that person is registered in another office or mission, which is exactly what
the scoping (docs/decisions/0002) and the restricted categories (trafficking, child protection)
keep from users who do not work on those cases. Duplicates across offices are found by the batch
detection and handled in the duplicates review queue by those whose scope covers both records.
"""

from collections.abc import Iterable

from awda.registry.duplicate_check import (
    Candidate,
    enough_to_check,
    find_duplicates,
    record_from_data,
)
from awda.registry.models import Person

from . import selectors

__all__ = ["Candidate", "likely_duplicates"]


def likely_duplicates(
    user,
    data: dict,
    *,
    documents: Iterable = (),
    households: Iterable = (),
    exclude_ids: Iterable = (),
    limit: int = 5,
) -> list[Candidate]:
    """Persons the user may see who may be the person being typed (`data`: given_name,
    family_name, other_names, sex, date_of_birth or birth_year or estimated_age, nationality,
    phone; `documents`: document numbers or {"number": ...}), best first, at most `limit`;
    `households`: ids of the cases the person being typed is already a member of (members of one
    case are different people). Each Candidate has the person (with `documents` and
    `visible_memberships` prefetched, as the person cards expect), the engine's Match and
    `likely` (score >= matching.LIKELY_THRESHOLD). A fixed number of queries."""
    record = record_from_data(data, documents=documents, households=households)
    if not enough_to_check(record):
        return []
    visible = selectors.person_queryset_for(user)

    def load(ids):  # ids found within `visible`: no need to apply the scope again
        return selectors.with_case_history(user, Person.objects.filter(pk__in=ids))

    return find_duplicates(record, within=visible, exclude_ids=exclude_ids, limit=limit, load=load)
