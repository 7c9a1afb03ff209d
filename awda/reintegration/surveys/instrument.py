"""Survey instruments (domain.md section 8): the definition file, its validation, and loading a
version into the database.

A definition is a JSON document (format in docs/sustainability-survey.md):

    {
      "code": "rss", "version": "placeholder-1", "placeholder": true,
      "name": {"en": "...", "fr": "..."},
      "composite": {"weights": {"economic": "1", "social": "1", "psychosocial": "1"}, "sum": "3"},
      "dimensions": [
        {"code": "economic", "label": {"en": "...", "fr": "..."},
         "weights": {"income": "1", ...}, "sum": "5"}, ...],
      "indicators": [{"code": "income", "dimension": "economic", "label": {...}}, ...],
      "questions": [
        {"code": "q_income", "indicator": "income", "text": {...},
         "options": [{"code": "enough", "label": {...}, "score": "1"},
                     {"code": "dk", "label": {...}, "score": null}, ...]}, ...]
    }

Weights are relative (decimals > 0, given as strings or numbers) and each group declares their
sum: a weight mistyped in a file is caught because the sum no longer matches. Scores are in
[0, 1]; null marks "don't know / refused", which is left out of the scores.

`parse(data)` validates and returns a Definition (frozen, used by scoring); `normalise(data)`
also gives the canonical JSON kept in Instrument.definition and its SHA-256;
`instrument_load(user, ...)` stores a version (idempotent for identical content)."""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from awda.audit.services import audit_record
from awda.core.errors import ValidationFailed

from ..choices import Dimension

DIMENSIONS = tuple(Dimension.values)  # economic, social, psychosocial
LANGUAGES = ("en", "fr")  # labels every definition must give (others are allowed)
INSTRUMENT_LOADED = "reintegration.instrument.loaded"
DEFAULT_CODE = "rss"
PLACEHOLDER_PATH = Path(__file__).parent / "instruments" / "placeholder.json"


class InstrumentInvalid(ValidationFailed):
    """The definition file is refused; `errors` lists every problem found, one sentence each."""

    code = "instrument_invalid"

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__(
            _("The instrument definition is not valid: %(errors)s")
            % {"errors": "; ".join(self.errors)},
            fields={"definition": self.errors},
        )


@dataclass(frozen=True)
class Option:
    code: str
    label: dict
    score: Decimal | None  # None: don't know / refused, left out of the scores


@dataclass(frozen=True)
class Question:
    code: str
    indicator: str
    text: dict
    options: tuple[Option, ...]

    def option(self, code) -> Option | None:
        return next((o for o in self.options if o.code == code), None)


@dataclass(frozen=True)
class Indicator:
    code: str
    dimension: str
    label: dict
    weight: Decimal


@dataclass(frozen=True)
class DimensionDef:
    code: str
    label: dict
    weight: Decimal  # in the composite


@dataclass(frozen=True)
class Definition:
    code: str
    version: str
    name: dict
    placeholder: bool
    description: dict
    dimensions: tuple[DimensionDef, ...]
    indicators: tuple[Indicator, ...]
    questions: tuple[Question, ...]

    def indicators_of(self, dimension: str) -> list[Indicator]:
        return [i for i in self.indicators if i.dimension == dimension]

    def questions_of(self, indicator: str) -> list[Question]:
        return [q for q in self.questions if q.indicator == indicator]


def label(labels: dict, language: str | None) -> str:
    """The label in `language` (its base language, e.g. fr for fr-ca), else English."""
    labels = labels or {}
    lang = (language or "en").split("-")[0]
    return labels.get(lang) or labels.get("en") or next(iter(labels.values()), "")


def decimal_text(value: Decimal) -> str:
    """A decimal as plain text without trailing zeros (1.50 -> 1.5, 1E+1 -> 10)."""
    return format(value.normalize(), "f")


# ---- validation ---------------------------------------------------------------------------------


class _Checker:
    def __init__(self):
        self.errors: list[str] = []

    def add(self, message, **params):
        self.errors.append(message % params if params else message)

    def text(self, obj, key, where) -> str:
        value = obj.get(key) if isinstance(obj, dict) else None
        if not isinstance(value, str) or not value.strip():
            self.add(_("%(where)s: %(key)s is missing."), where=where, key=key)
            return ""
        return value.strip()

    def labels(self, obj, key, where) -> dict:
        value = obj.get(key) if isinstance(obj, dict) else None
        if not isinstance(value, dict):
            self.add(
                _("%(where)s: %(key)s is missing (a text per language: %(langs)s)."),
                where=where,
                key=key,
                langs=", ".join(LANGUAGES),
            )
            return {}
        out = {}
        for lang in LANGUAGES:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                self.add(
                    _("%(where)s: %(key)s has no text in %(lang)s."),
                    where=where,
                    key=key,
                    lang=lang,
                )
        for lang, text in value.items():
            if isinstance(text, str) and text.strip():
                out[str(lang)] = text.strip()
        return out

    def number(self, value, where) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            self.add(_("%(where)s: %(value)s is not a number."), where=where, value=repr(value))
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self.add(_("%(where)s: %(value)s is not a number."), where=where, value=repr(value))
            return None
        if not number.is_finite():
            self.add(_("%(where)s: %(value)s is not a number."), where=where, value=repr(value))
            return None
        return number

    def weights(self, obj, where, expected_keys, key_kind) -> dict[str, Decimal]:
        """The group's weights (each > 0), every expected key present, no other, and their sum
        equal to the declared `sum`."""
        raw = obj.get("weights") if isinstance(obj, dict) else None
        if not isinstance(raw, dict) or not raw:
            self.add(_("%(where)s: weights are missing."), where=where)
            return {}
        out = {}
        for key, value in raw.items():
            if key not in expected_keys:
                self.add(
                    _("%(where)s: weight for unknown %(kind)s %(key)s."),
                    where=where,
                    kind=key_kind,
                    key=key,
                )
                continue
            weight = self.number(value, f"{where}, weight of {key}")
            if weight is None:
                continue
            if weight <= 0:
                self.add(
                    _("%(where)s: the weight of %(key)s must be greater than 0 (it is %(w)s)."),
                    where=where,
                    key=key,
                    w=decimal_text(weight),
                )
                continue
            out[key] = weight
        for key in expected_keys:
            if key not in raw:
                self.add(
                    _("%(where)s: no weight for %(kind)s %(key)s."),
                    where=where,
                    kind=key_kind,
                    key=key,
                )
        if "sum" not in obj:
            self.add(_("%(where)s: the declared sum of the weights is missing."), where=where)
            return out
        declared = self.number(obj.get("sum"), f"{where}, sum")
        if declared is not None and len(out) == len(raw) and out:
            actual = sum(out.values(), Decimal(0))
            if actual != declared:
                self.add(
                    _(
                        "%(where)s: the weights add up to %(actual)s, not to the declared "
                        "sum %(declared)s."
                    ),
                    where=where,
                    actual=decimal_text(actual),
                    declared=decimal_text(declared),
                )
        return out


def _unique(check, items, where):
    """The codes of `items` (dicts with "code"); duplicates reported."""
    seen = []
    for i, item in enumerate(items):
        code = check.text(item, "code", f"{where} #{i + 1}")
        if not code:
            continue
        if code in seen:
            check.add(_("%(where)s: the code %(code)s is used twice."), where=where, code=code)
        seen.append(code)
    return seen


def _list(check, data, key) -> list:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        check.add(_("%(key)s: the list is missing or empty."), key=key)
        return []
    bad = [i + 1 for i, item in enumerate(value) if not isinstance(item, dict)]
    if bad:
        check.add(
            _("%(key)s: items %(items)s are not objects."),
            key=key,
            items=", ".join(map(str, bad)),
        )
    return [item for item in value if isinstance(item, dict)]


def parse(data) -> Definition:
    """Validate a definition (a dict, as read from the JSON file) and return it as a Definition.
    Raises InstrumentInvalid listing every problem."""
    check = _Checker()
    if not isinstance(data, dict):
        raise InstrumentInvalid([_("The definition must be a JSON object.")])
    code = check.text(data, "code", "instrument")
    version = check.text(data, "version", "instrument")
    name = check.labels(data, "name", "instrument")
    placeholder = data.get("placeholder", False)
    if not isinstance(placeholder, bool):
        check.add(_("instrument: placeholder must be true or false."))
        placeholder = False
    description = data.get("description") or {}
    if not isinstance(description, dict) or not all(
        isinstance(v, str) for v in description.values()
    ):
        check.add(_("instrument: description must be a text per language."))
        description = {}
    if len(code) > 40 or len(version) > 40:
        check.add(_("instrument: code and version have at most 40 characters."))

    dims = _list(check, data, "dimensions")
    indicators = _list(check, data, "indicators")
    questions = _list(check, data, "questions")
    dim_codes = _unique(check, dims, "dimensions")
    ind_codes = _unique(check, indicators, "indicators")
    _unique(check, questions, "questions")

    for c in dim_codes:
        if c not in DIMENSIONS:
            check.add(
                _("dimensions: unknown dimension %(code)s (expected %(known)s)."),
                code=c,
                known=", ".join(DIMENSIONS),
            )
    for c in DIMENSIONS:
        if c not in dim_codes:
            check.add(_("dimensions: the %(code)s dimension is missing."), code=c)

    composite = data.get("composite")
    if not isinstance(composite, dict):
        check.add(_("composite: the composite weights are missing."))
        composite_weights = {}
    else:
        composite_weights = check.weights(
            composite, _("composite weights"), DIMENSIONS, _("dimension")
        )

    # indicators: dimension known
    ind_dimension, ind_labels = {}, {}
    for i, ind in enumerate(indicators):
        where = f"indicator {ind.get('code') or '#' + str(i + 1)}"
        ind_labels[ind.get("code")] = check.labels(ind, "label", where)
        dim = check.text(ind, "dimension", where)
        if dim and dim not in DIMENSIONS:
            check.add(_("%(where)s: unknown dimension %(dim)s."), where=where, dim=dim)
        ind_dimension[ind.get("code")] = dim

    # dimension weights over their own indicators
    dim_defs, ind_weights = [], {}
    for i, dim in enumerate(dims):
        dcode = dim.get("code")
        where = f"dimension {dcode or '#' + str(i + 1)}"
        labels = check.labels(dim, "label", where)
        own = [c for c in ind_codes if ind_dimension.get(c) == dcode]
        if dcode in DIMENSIONS and not own:
            check.add(_("%(where)s: it has no indicator."), where=where)
        weights = check.weights(
            dim, _("weights of the %(dim)s dimension") % {"dim": dcode}, own, _("indicator")
        )
        ind_weights.update(weights)
        if dcode in DIMENSIONS:
            dim_defs.append(DimensionDef(dcode, labels, composite_weights.get(dcode, Decimal(0))))

    # questions: indicator known, options valid
    q_defs, asked = [], set()
    for i, q in enumerate(questions):
        qcode = q.get("code")
        where = f"question {qcode or '#' + str(i + 1)}"
        ind = check.text(q, "indicator", where)
        if ind and ind not in ind_codes:
            check.add(_("%(where)s: unknown indicator %(ind)s."), where=where, ind=ind)
        asked.add(ind)
        text = check.labels(q, "text", where)
        options = q.get("options")
        if not isinstance(options, list) or not options:
            check.add(_("%(where)s: it has no options."), where=where)
            options = []
        opt_defs, opt_codes = [], []
        for j, opt in enumerate(options):
            owhere = f"{where}, option {(opt.get('code') if isinstance(opt, dict) else None) or '#' + str(j + 1)}"
            if not isinstance(opt, dict):
                check.add(_("%(where)s: not an object."), where=owhere)
                continue
            ocode = check.text(opt, "code", owhere)
            if ocode in opt_codes:
                check.add(_("%(where)s: the code %(code)s is used twice."), where=where, code=ocode)
            opt_codes.append(ocode)
            olabel = check.labels(opt, "label", owhere)
            if "score" not in opt:
                check.add(
                    _(
                        "%(where)s: score is missing (a number from 0 to 1, or null for "
                        '"don\'t know / refused").'
                    ),
                    where=owhere,
                )
                continue
            score = None
            if opt["score"] is not None:
                score = check.number(opt["score"], owhere)
                if score is None:
                    continue
                if not Decimal(0) <= score <= Decimal(1):
                    check.add(
                        _("%(where)s: the score %(score)s is outside 0 to 1."),
                        where=owhere,
                        score=decimal_text(score),
                    )
                    continue
            opt_defs.append(Option(ocode, olabel, score))
        if options and not any(o.score is not None for o in opt_defs):
            check.add(_("%(where)s: no option has a score."), where=where)
        q_defs.append(Question(qcode, ind, text, tuple(opt_defs)))
    for c in ind_codes:
        if c not in asked:
            check.add(_("indicator %(code)s: no question measures it."), code=c)

    if check.errors:
        raise InstrumentInvalid(check.errors)
    ind_defs = tuple(
        Indicator(ind["code"], ind["dimension"], ind_labels[ind["code"]], ind_weights[ind["code"]])
        for ind in indicators
    )
    order = {c: n for n, c in enumerate(DIMENSIONS)}
    return Definition(
        code=code,
        version=version,
        name=name,
        placeholder=placeholder,
        description={str(k): v.strip() for k, v in description.items() if v.strip()},
        dimensions=tuple(sorted(dim_defs, key=lambda d: order[d.code])),
        indicators=ind_defs,
        questions=tuple(q_defs),
    )


def canonical(definition: Definition) -> dict:
    """The definition as stored (Instrument.definition): decimals as text, a stable layout."""
    dims = {d.code: d for d in definition.dimensions}
    return {
        "code": definition.code,
        "version": definition.version,
        "name": definition.name,
        "placeholder": definition.placeholder,
        "description": definition.description,
        "composite": {
            "weights": {c: decimal_text(dims[c].weight) for c in DIMENSIONS},
            "sum": decimal_text(sum((d.weight for d in definition.dimensions), Decimal(0))),
        },
        "dimensions": [
            {
                "code": d.code,
                "label": d.label,
                "weights": {
                    i.code: decimal_text(i.weight) for i in definition.indicators_of(d.code)
                },
                "sum": decimal_text(
                    sum((i.weight for i in definition.indicators_of(d.code)), Decimal(0))
                ),
            }
            for d in definition.dimensions
        ],
        "indicators": [
            {"code": i.code, "dimension": i.dimension, "label": i.label}
            for i in definition.indicators
        ],
        "questions": [
            {
                "code": q.code,
                "indicator": q.indicator,
                "text": q.text,
                "options": [
                    {
                        "code": o.code,
                        "label": o.label,
                        "score": None if o.score is None else decimal_text(o.score),
                    }
                    for o in q.options
                ],
            }
            for q in definition.questions
        ],
    }


def checksum(stored: dict) -> str:
    text = json.dumps(stored, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise(data) -> tuple[Definition, dict, str]:
    """(Definition, the canonical dict to store, its SHA-256) of a definition; InstrumentInvalid
    when it is not valid."""
    definition = parse(data)
    stored = canonical(definition)
    return definition, stored, checksum(stored)


def read_file(path) -> dict:
    """The JSON of a definition file (numbers read as decimals)."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle, parse_float=Decimal)
    except FileNotFoundError:
        raise InstrumentInvalid([_("%(path)s: no such file.") % {"path": path}]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InstrumentInvalid(
            [_("%(path)s is not valid JSON: %(error)s") % {"path": path, "error": exc}]
        ) from None


# ---- loading ------------------------------------------------------------------------------------


def instrument_load(user, *, data=None, path=None, activate: bool = True):
    """Store a version of an instrument from `data` (a dict) or the JSON file at `path`.

    Loading the same code and version again with identical content does nothing and returns the
    stored row; with other content it is refused (a changed file needs a new version). Older
    versions stay: surveys keep the version they were scored with. With `activate` the new
    version is used for new surveys (the newest active version of a code is). Run by the
    `load_instrument` command (operators) and by the data migration (the placeholder); audited
    as reintegration.instrument.loaded."""
    from ..models import Instrument

    if (data is None) == (path is None):
        raise ValueError("instrument_load needs data or path (one of them)")
    if path is not None:
        data = read_file(path)
    definition, stored, digest = normalise(data)
    with transaction.atomic():
        existing = (
            Instrument.objects.select_for_update()
            .filter(code=definition.code, version=definition.version)
            .first()
        )
        if existing is not None:
            if existing.checksum == digest:
                return existing
            raise ValidationFailed(
                _(
                    "Version %(version)s of %(code)s is already loaded with other content: "
                    "give the new file a new version."
                )
                % {"version": definition.version, "code": definition.code},
                code="instrument_version_taken",
                fields={"version": [_("This version is already loaded with other content.")]},
            )
        instrument = Instrument.objects.create(
            code=definition.code,
            version=definition.version,
            name=label(definition.name, "en")[:200],
            is_placeholder=definition.placeholder,
            is_active=activate,
            definition=stored,
            checksum=digest,
            source=str(path)[-300:] if path is not None else "",
            loaded_by=user if getattr(user, "is_authenticated", False) else None,
        )
        audit_record(
            user,
            action=INSTRUMENT_LOADED,
            obj=instrument,
            changes={
                "code": instrument.code,
                "version": instrument.version,
                "checksum": digest,
                "placeholder": instrument.is_placeholder,
                "active": instrument.is_active,
                "questions": len(definition.questions),
            },
        )
    return instrument


def active_instrument(code: str = DEFAULT_CODE):
    """The version of `code` used for new surveys: the newest active one (None if none)."""
    from ..models import Instrument

    return (
        Instrument.objects.filter(code=code, is_active=True).order_by("-created_at", "-id").first()
    )
