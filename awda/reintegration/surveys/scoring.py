"""Scoring of a sustainability survey: a pure function of the instrument version's definition
and the answers (no database, no clock).

- indicator score = mean of the scores of its answered questions ("don't know / refused",
  score null, is left out);
- dimension score = weighted mean of its indicators' scores, the weights re-normalised over the
  indicators that have a score;
- composite = weighted mean of the dimension scores with the composite weights, re-normalised
  the same way.

Every score is a Decimal rounded half up to 4 places, in [0, 1]; a dimension none of whose
questions was answered has no score (None), and neither has the composite if no dimension has.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .instrument import DIMENSIONS, Definition, parse

PLACES = Decimal("0.0001")
ZERO, ONE = Decimal(0), Decimal(1)


class AnswerError(ValueError):
    """The answers do not fit the instrument: `missing` question codes not answered, `unknown`
    question codes that are not in it, `invalid` {question code: answer} not one of its
    options."""

    def __init__(self, *, missing=(), unknown=(), invalid=None):
        self.missing = list(missing)
        self.unknown = list(unknown)
        self.invalid = dict(invalid or {})
        parts = []
        if self.missing:
            parts.append("not answered: " + ", ".join(self.missing))
        if self.unknown:
            parts.append("not in the instrument: " + ", ".join(self.unknown))
        if self.invalid:
            parts.append(
                "not an option: " + ", ".join(f"{q}={a!r}" for q, a in self.invalid.items())
            )
        super().__init__("; ".join(parts))


@dataclass(frozen=True)
class Scores:
    economic: Decimal | None
    social: Decimal | None
    psychosocial: Decimal | None
    composite: Decimal | None

    def as_dict(self) -> dict:
        return {
            "economic": self.economic,
            "social": self.social,
            "psychosocial": self.psychosocial,
            "composite": self.composite,
        }

    @property
    def complete(self) -> bool:
        return None not in (self.economic, self.social, self.psychosocial, self.composite)


def _round(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return min(ONE, max(ZERO, value)).quantize(PLACES, rounding=ROUND_HALF_UP)


def _weighted_mean(pairs) -> Decimal | None:
    """Mean of the (weight, value) pairs whose value is not None, weights re-normalised."""
    kept = [(w, v) for w, v in pairs if v is not None]
    total = sum((w for w, _v in kept), ZERO)
    if not kept or total <= 0:
        return None
    return sum((w * v for w, v in kept), ZERO) / total


def option_scores(definition: Definition, answers: dict) -> dict[str, Decimal | None]:
    """{question code: score of the chosen option (None for don't know)}; AnswerError when a
    question is not answered, an answer is not one of the question's options or names a question
    the instrument does not have."""
    answers = answers or {}
    codes = [q.code for q in definition.questions]
    missing = [c for c in codes if answers.get(c) in (None, "")]
    unknown = sorted(str(c) for c in answers if c not in set(codes))
    invalid, out = {}, {}
    for q in definition.questions:
        chosen = answers.get(q.code)
        if chosen in (None, ""):
            continue
        option = q.option(chosen) if isinstance(chosen, str) else None
        if option is None:
            invalid[q.code] = chosen
            continue
        out[q.code] = option.score
    if missing or unknown or invalid:
        raise AnswerError(missing=missing, unknown=unknown, invalid=invalid)
    return out


def score(definition, answers: dict) -> Scores:
    """The scores of `answers` ({question code: option code}) under `definition` (a Definition,
    or the stored dict of an Instrument)."""
    if not isinstance(definition, Definition):
        definition = parse(definition)
    by_question = option_scores(definition, answers)
    dimension_scores: dict[str, Decimal | None] = {}
    for dim in DIMENSIONS:
        pairs = []
        for ind in definition.indicators_of(dim):
            values = [
                by_question[q.code]
                for q in definition.questions_of(ind.code)
                if by_question[q.code] is not None
            ]
            pairs.append((ind.weight, sum(values, ZERO) / len(values) if values else None))
        dimension_scores[dim] = _weighted_mean(pairs)
    composite = _weighted_mean((d.weight, dimension_scores[d.code]) for d in definition.dimensions)
    return Scores(
        economic=_round(dimension_scores["economic"]),
        social=_round(dimension_scores["social"]),
        psychosocial=_round(dimension_scores["psychosocial"]),
        composite=_round(composite),
    )
