"""Value mapping for choice fields: what a file says -> the value Awda stores.

Every choice target has a kind (sex, country, relationship, document type, yes/no, languages).
The automatic reading compares the value folded (lower case, no accents or punctuation:
"Guinée-Conakry" -> "guinee conakry") with a table of names in French, English and the forms
seen in the field. The user's value mapping (Mapping.values[target], edited from
`distinct_values`) always wins over the automatic reading.
"""

import contextlib
import enum
import functools
import gettext
from collections import Counter
from dataclasses import dataclass

import pycountry
from django.utils import translation

from awda.cases.choices import Relationship
from awda.core import countries
from awda.core.text import fold
from awda.registry.choices import LANGUAGES, DocumentType, Sex

from .contract import Mapping, Table

# target -> kind of value
CHOICE_TARGETS = {
    "principal.sex": "sex",
    "member.sex": "sex",
    "principal.nationality": "country",
    "member.nationality": "country",
    "document.issuing_country": "country",
    "case.country_of_return": "country",
    "member.relationship": "relationship",
    "document.doc_type": "doc_type",
    "member.travels": "yesno",
    "principal.languages": "languages",
    "member.languages": "languages",
}

# Each table: Awda value -> comma-separated phrases, compared folded (case, accents and
# punctuation do not matter: "Féminin", "feminin" and "FEMININ." are the same phrase).
_SEX = {
    Sex.FEMALE: "f, female, femme, féminin, fem, fille, girl, woman, w, frau, weiblich, mujer, "
    "mulher, femenino, feminino, mme, madame, أنثى, انثى, امرأة",
    Sex.MALE: "m, male, homme, masculin, masc, garçon, boy, man, h, mann, männlich, hombre, "
    "homem, masculino, monsieur, mr, ذكر, رجل",
    Sex.OTHER: "other, autre, x, divers, otro, outro",
    Sex.UNKNOWN: "unknown, inconnu, inconnue, nsp, ne sait pas, don't know, non connu, "
    "non renseigné, not known, u",
}

_RELATIONSHIP = {
    # Recognised so that the message can say why it is refused for a household member.
    Relationship.PRINCIPAL: "principal, principal applicant, demandeur principal, chef de ménage, "
    "chef de famille, head of household, self, lui-même, elle-même",
    Relationship.SPOUSE: "spouse, wife, husband, partner, épouse, époux, mari, femme, conjoint, "
    "conjointe, concubin, concubine, partenaire, compagne, compagnon, زوجة, زوج",
    Relationship.CHILD: "child, children, son, daughter, kid, baby, infant, enfant, fils, fille, "
    "bébé, enfant mineur, stepchild, stepson, stepdaughter, adopted child, enfant adoptif, ابن, "
    "ابنة, بنت",
    Relationship.PARENT: "parent, father, mother, dad, mum, mom, père, mère, papa, maman, أب, أم",
    Relationship.SIBLING: "sibling, brother, sister, frère, sœur, soeur, demi-frère, demi-sœur, "
    "half brother, half sister, أخ, أخت",
    Relationship.OTHER_RELATIVE: "other relative, other_relative, relative, other family member, "
    "autre parent, autre membre de la famille, famille, oncle, tante, cousin, cousine, neveu, "
    "nièce, nephew, niece, uncle, aunt, grand-père, grand-mère, grandfather, grandmother, "
    "grandparent, grandchild, grandson, granddaughter, petit-fils, petite-fille, petit-enfant, "
    "beau-fils, belle-fille, beau-père, belle-mère, beau-frère, belle-sœur, son-in-law, "
    "daughter-in-law, brother-in-law, sister-in-law, father-in-law, mother-in-law, in-law",
    Relationship.NON_RELATIVE: "non relative, non_relative, non-relative, not related, unrelated, "
    "no relation, friend, ami, amie, aucun lien, sans lien, non apparenté, travel companion, "
    "compagnon de voyage, accompagnant, accompagnatrice",
}

_DOC_TYPE = {
    DocumentType.PASSPORT: "passport, passeport, pp, passaporte, pasaporte",
    DocumentType.NATIONAL_ID: "national_id, national id, national identity card, id card, "
    "identity card, cni, carte nationale d'identité, carte d'identité, carte d identite, "
    "pièce d'identité, nin, cin, nid",
    DocumentType.CONSULAR_CARD: "consular_card, consular card, carte consulaire, consular id",
    DocumentType.BIRTH_CERTIFICATE: "birth_certificate, birth certificate, acte de naissance, "
    "extrait de naissance, extrait d'acte de naissance, certificat de naissance",
    DocumentType.LAISSEZ_PASSER: "laissez_passer, laissez-passer, laisser-passer, lp, "
    "emergency travel document, etd, sauf-conduit",
    DocumentType.UNHCR_DOCUMENT: "unhcr_document, unhcr, hcr, unhcr document, document hcr, "
    "attestation hcr, attestation unhcr, carte hcr, carte de réfugié, refugee card, "
    "asylum seeker certificate",
    DocumentType.RESIDENCE_PERMIT: "residence_permit, residence permit, titre de séjour, "
    "carte de séjour, permis de séjour, residence card",
    DocumentType.OTHER: "other, autre",
}

_YESNO = {
    True: "yes, y, oui, o, 1, true, vrai, x, si, sim, ja, ok, travels, voyage, نعم",
    False: "no, n, non, 0, false, faux, não, nao, nein, does not travel, ne voyage pas, لا",
}

# Country names and nationalities (masculine and feminine) that pycountry's names in English,
# French, Spanish, Portuguese, Arabic and German do not cover.
_COUNTRY_SYNONYMS = {
    "GN": "guinée conakry, guinée-conakry, guinea conakry, guinéen, guinéenne, guinean, "
    "rép. de guinée",
    "CI": "ivory coast, côte d'ivoire, cote d ivoire, rci, ivoirien, ivoirienne, ivorian",
    "GW": "guinée bissau, bissau-guinéen, bissau-guinéenne, bissau-guinean",
    "GQ": "guinée équatoriale, equatorial guinea, équato-guinéen, équato-guinéenne",
    "SN": "sénégalais, sénégalaise, senegalese",
    "ML": "malien, malienne, malian",
    "BF": "burkina, burkinabè, burkinabe, haute-volta",
    "NE": "nigérien, nigérienne",
    "NG": "nigérian, nigériane, nigerian, nigeriane",
    "CM": "camerounais, camerounaise, cameroonian",
    "CD": "rdc, rd congo, congo kinshasa, congo-kinshasa, drc, dr congo, "
    "democratic republic of congo, république démocratique du congo, zaïre",
    "CG": "congo brazzaville, congo-brazzaville, congo brazza, république du congo",
    "MA": "marocain, marocaine, moroccan, royaume du maroc",
    "DZ": "algérien, algérienne, algerian",
    "TN": "tunisien, tunisienne, tunisian",
    "LY": "libyen, libyenne, libyan",
    "EG": "égyptien, égyptienne, egyptian",
    "MR": "mauritanien, mauritanienne, mauritanian",
    "GM": "gambien, gambienne, gambian, the gambia",
    "SL": "sierra-léonais, sierra-léonaise, sierra leonean",
    "LR": "libérien, libérienne, liberian",
    "GH": "ghanéen, ghanéenne, ghanaian",
    "TG": "togolais, togolaise, togolese",
    "BJ": "béninois, béninoise, beninese",
    "TD": "tchadien, tchadienne, chadian",
    "CF": "centrafricain, centrafricaine, centrafrique, rca, central african",
    "GA": "gabonais, gabonaise, gabonese",
    "SD": "soudanais, soudanaise, sudanese",
    "SS": "sud-soudanais, sud-soudanaise, south sudanese",
    "ER": "érythréen, érythréenne, eritrean",
    "ET": "éthiopien, éthiopienne, ethiopian",
    "SO": "somalien, somalienne, somali, somalian",
    "SY": "syrie, syrien, syrienne, syrian",
    "YE": "yéménite, yemeni",
    "PS": "palestine, palestinien, palestinienne, palestinian",
    "IQ": "irakien, irakienne, iraqi",
    "AF": "afghan, afghane",
    "PK": "pakistanais, pakistanaise, pakistani",
    "BD": "bangladais, bangladaise, bangladeshi",
    "CV": "cap-vert, cap vert, cape verde, capverdien, capverdienne, cape verdean",
    "KM": "comorien, comorienne, comorian",
    "CN": "chinois, chinoise, chinese",
    "FR": "français, française, french",
    "ES": "espagnol, espagnole, spanish",
    "BE": "belge, belgian",
    "CH": "suisse, swiss",
    "DE": "allemand, allemande, german",
    "IT": "italien, italienne, italian",
    "GB": "uk, britannique, british, england, angleterre",
    "US": "usa, états-unis, américain, américaine, american",
    "TR": "turquie, turc, turque, turkish, turkey",
    "RU": "russie, russe, russian, russia",
    "VN": "vietnam, vietnamien, vietnamienne, vietnamese",
    "KR": "corée du sud, south korea",
    "KP": "corée du nord, north korea",
    "IR": "iran, iranien, iranienne, iranian",
    "LA": "laos",
    "VE": "venezuela",
    "BO": "bolivie, bolivia",
    "TZ": "tanzanie, tanzania",
    "MD": "moldavie, moldova",
    "PH": "philippin, philippine, filipino",
}

_LANGUAGE_SYNONYMS = {
    "fr": "français, french",
    "en": "anglais, english",
    "ar": "arabe, arabic",
    "ary": "darija, arabe marocain, moroccan arabic",
    "ber": "tamazight, berbère, amazigh, tachelhit, tarifit",
    "ff": "pular, peul, poular, fula, fulfulde, pulaar, peulh",
    "sus": "soussou, susu, sosso",
    "man": "malinké, maninka, mandinka",
    "bm": "bambara, bamanankan",
    "dyu": "dioula, dyula, jula",
    "wo": "wolof, ouolof",
    "ha": "haoussa, hausa",
    "yo": "yoruba",
    "ig": "igbo, ibo",
    "pcm": "pidgin, nigerian pidgin",
    "mos": "mooré, moore, mossi",
    "ln": "lingala",
    "kr": "kanuri, kanouri",
    "snk": "soninké, sarakolé",
    "ewo": "ewondo",
    "pt": "portugais, portuguese",
    "es": "espagnol, spanish",
}


def _index(table: dict) -> dict:
    out = {}
    for choice, phrases in table.items():
        value = choice.value if isinstance(choice, enum.Enum) else choice  # plain str / bool
        for p in phrases.split(","):
            key = fold(p)
            if key:
                out.setdefault(key, value)
    return out


@functools.cache
def _sex_index() -> dict:
    return _index(_SEX)


@functools.cache
def _relationship_index() -> dict:
    return _index(_RELATIONSHIP)


@functools.cache
def _doc_index() -> dict:
    return _index(_DOC_TYPE)


@functools.cache
def _yesno_index() -> dict:
    return _index(_YESNO)


@functools.cache
def _country_index() -> dict:
    """Folded names (English, French, Spanish, Portuguese, Arabic, German), alpha-2, alpha-3 and
    numeric codes, and nationalities -> alpha-2. A folded name two countries share is left out:
    nothing is guessed."""
    seen: dict[str, set] = {}

    def add(key, code):
        key = fold(key)
        if key:
            seen.setdefault(key, set()).add(code)

    translators = []
    for lang in ("fr", "es", "pt", "ar", "de"):
        with contextlib.suppress(OSError):
            translators.append(
                gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
            )
    for c in pycountry.countries:
        code = c.alpha_2
        add(c.alpha_2, code)
        add(c.alpha_3, code)
        names = [n for n in (c.name, getattr(c, "official_name", ""), c_common(c)) if n]
        names += [tr.gettext(n) for n in list(names) for tr in translators]
        for n in names:
            add(n, code)
            if ", " in n:  # "Congo, The Democratic Republic of the" as people write it
                a, b = n.split(", ", 1)
                add(f"{b} {a}", code)
    out = {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}
    for c in pycountry.countries:
        out[c.numeric] = c.alpha_2
        out[str(int(c.numeric))] = c.alpha_2
    out.update(_index(_COUNTRY_SYNONYMS))
    return out


def c_common(country) -> str:
    return getattr(country, "common_name", "")


@functools.cache
def _language_index() -> dict:
    out = {}
    for code, label in LANGUAGES:
        if code == "other":
            continue
        out[fold(code)] = code
        for lang in ("en", "fr"):
            with translation.override(lang):
                out.setdefault(fold(str(label)), code)
    for key, code in _index(_LANGUAGE_SYNONYMS).items():
        out.setdefault(key, code)
    return out


def _text(value) -> str:
    if value is None:
        return ""
    if value.__class__ is float and value.is_integer():
        return str(int(value))
    return str(value).strip()


def auto_value(kind: str, value):
    """The automatic reading of `value` for a kind, or None when it is not recognised.
    sex/relationship/doc_type -> the choice value; country -> alpha-2; yesno -> bool;
    languages -> a list of codes (unknown names kept as written)."""
    text = _text(value)
    if not text:
        return None
    if kind == "languages":
        return parse_languages(text)
    key = fold(text)
    if kind == "sex":
        return _sex_index().get(key)
    if kind == "country":
        return _country_index().get(key)
    if kind == "relationship":
        return _relationship_index().get(key)
    if kind == "doc_type":
        return _doc_index().get(key)
    if kind == "yesno":
        return _yesno_index().get(key)
    raise ValueError(kind)


def parse_languages(text: str) -> list:
    index = _language_index()
    out = []
    for part in text.replace(";", ",").replace("/", ",").replace(" et ", ",").split(","):
        part = part.strip()
        if not part:
            continue
        folded = fold(part)
        code = index.get(folded)
        if code is None and " " in folded:  # Kobo select_multiple: "fr ff ar"
            codes = [index.get(w) for w in folded.split()]
            if all(codes):
                out.extend(codes)
                continue
        out.append(code or part)
    return list(dict.fromkeys(out))


def user_lookup(mapping: Mapping, target: str) -> dict:
    """The user's value mapping for a target, keyed by the source value as text and folded."""
    given = (mapping.values or {}).get(target) or {}
    out = {}
    for source, awda in given.items():
        text = _text(source)
        out[text] = awda
        out.setdefault("\0" + fold(text), awda)
    return out


def map_value(target: str, value, user: dict | None = None):
    """User mapping first (exact text, then folded), then the automatic reading; None if neither
    knows the value."""
    kind = CHOICE_TARGETS[target]
    if user:
        text = _text(value)
        if text in user:
            return user[text]
        key = "\0" + fold(text)
        if key in user:
            return user[key]
    return auto_value(kind, value)


def valid_choice(kind: str, value):
    """A value given by the user (a value mapping or a default) checked as the services would:
    the Awda value, or None when it is not valid for the kind. Country names and codes are
    resolved to alpha-2; yes/no accept booleans and the words auto_value knows."""
    if kind == "sex":
        return value if value in Sex.values else None
    if kind == "relationship":
        ok = value in Relationship.values and value != Relationship.PRINCIPAL
        return value if ok else None
    if kind == "doc_type":
        return value if value in DocumentType.values else None
    if kind == "country":
        if not isinstance(value, str):
            return None
        return countries.resolve(value) or auto_value("country", value)
    if kind == "yesno":
        return value if isinstance(value, bool) else auto_value("yesno", value)
    if kind == "languages":
        if isinstance(value, list):
            return [str(v) for v in value]
        return auto_value("languages", value) if isinstance(value, str) else None
    return None


@dataclass(slots=True)
class DistinctValue:
    value: str  # as written in the file
    count: int  # rows (or member rows) holding it
    auto: object  # automatic reading, None if not recognised
    mapped: object  # the user's mapping for it, None if none
    result: object  # what the import will use (mapped, else auto), None = invalid


def distinct_values(table: Table, mapping: Mapping, target: str) -> list[DistinctValue]:
    """Distinct non-empty values of the column mapped to `target` with counts and readings, most
    frequent first: what the value-mapping editor shows."""
    column = mapping.columns.get(target)
    if not column:
        return []
    counts: Counter = Counter()
    if target.startswith("member."):
        group = mapping.member_group
        for row in table.rows:
            for child in row.children.get(group, ()):
                counts[_text(child.get(column))] += 1
    else:
        for row in table.rows:
            counts[_text(row.values.get(column))] += 1
    counts.pop("", None)
    user = user_lookup(mapping, target)
    kind = CHOICE_TARGETS.get(target)
    out = []
    for text, n in counts.most_common():
        auto = auto_value(kind, text) if kind else None
        mapped = None
        if user:
            mapped = user.get(text, user.get("\0" + fold(text)))
        out.append(DistinctValue(text, n, auto, mapped, auto if mapped is None else mapped))
    return out


def choices_for(target: str) -> list[tuple]:
    """(value, label) pairs the value-mapping editor offers for a choice target."""
    kind = CHOICE_TARGETS.get(target)
    if kind == "sex":
        return list(Sex.choices)
    if kind == "relationship":
        return [c for c in Relationship.choices if c[0] != Relationship.PRINCIPAL]
    if kind == "doc_type":
        return list(DocumentType.choices)
    if kind == "country":
        return countries.choices()
    if kind == "yesno":
        from django.utils.translation import gettext as _

        return [(True, _("Yes")), (False, _("No"))]
    if kind == "languages":
        return list(LANGUAGES)
    return []
