"""The engine's value types."""

import datetime
from dataclasses import dataclass, field

# Scores are 0.5 at 13 bits of evidence and 0.8 at 17 (score.py, docs/duplicates.md).
LIKELY_THRESHOLD = 0.8
REVIEW_THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class Record:
    """One registration as the engine sees it. Strings are raw (as entered); the engine folds
    case, accents and punctuation itself."""

    id: int | str
    given_name: str = ""
    family_name: str = ""
    other_names: str = ""  # aliases, comma-separated
    sex: str = ""  # "male" / "female" / "other" / "unknown" / ""
    date_of_birth: datetime.date | None = None
    birth_year: int | None = None  # known or estimated year when no full date
    dob_estimated: bool = False
    nationality: str = ""  # ISO 3166 alpha-2 (callers convert alpha-3)
    phone: str = ""  # any usual format
    documents: tuple[str, ...] = ()  # document numbers, any format
    # Ids of the households (cases) the person is a member of: two members of one case are
    # different people (siblings, twins, parent and child), never duplicates.
    households: frozenset = field(default_factory=frozenset)


# Every reason code the engine may produce, with the params its message uses. The UI translates
# them (awda/registry/reasons.py); the engine never produces a code outside this list.
REASON_CODES = {
    "same_document": ("number",),  # same document number
    "document_typo": ("a", "b"),  # numbers one typing mistake apart: RX6017360 ~ RX6071360
    "different_document": (),  # both have documents of one type and the numbers differ
    "same_phone": ("phone",),
    "different_phone": (),
    "same_name": (),  # same full name once folded (case, accents, punctuation)
    "name_variant": ("a", "b"),  # "Jallow ~ Diallo": spelling or transliteration variant
    "names_swapped": (),  # given and family names swapped
    "name_shortened": ("a", "b"),  # compound name shortened: "Mamadou Aliou" ~ "Mamadou"
    "name_typo": ("a", "b"),  # a typing mistake
    "different_name": (),
    "common_name": (),  # the name is shared by many people: weighs less
    "same_date_of_birth": (),
    "date_of_birth_close": ("days",),  # e.g. day and month swapped, a digit wrong
    "same_birth_year": (),  # only the year is known (or 1 January) on one side, and it agrees
    "birth_year_differs": ("years",),
    "date_of_birth_differs": (),
    "same_nationality": (),
    "different_nationality": (),
    "different_sex": (),
    "same_household": (),  # members of one case: different people
}


@dataclass(frozen=True, slots=True)
class Reason:
    """Why two records look alike or different. `code` is stable (translated by the UI);
    `params` fill the message, e.g. {"a": "Jallow", "b": "Diallo"} or {"years": 1}.
    `weight` > 0 speaks for a match, < 0 against."""

    code: str
    params: dict = field(default_factory=dict)
    weight: float = 0.0


@dataclass(frozen=True, slots=True)
class Match:
    score: float  # in [0, 1]
    reasons: tuple[Reason, ...] = ()

    @property
    def likely(self) -> bool:
        return self.score >= LIKELY_THRESHOLD
