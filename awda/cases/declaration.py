"""The printable declaration of voluntary return (domain.md section 3.2; issue 4 section 6): the
case's principal applicant and travellers filled in, the standard text, and boxes to sign.

Printed in French or English, whatever the interface language: the declaration is read to and
signed by the migrant in the language they understand. The text is therefore kept here in both
languages (a block per language, chosen by `language`) rather than through the message catalogue,
so that the document is complete in both languages whatever the state of the translations.
Generating it is audited (cases.services.case_declaration_printed): it contains personal data."""

from django.utils import timezone, translation
from django.utils.formats import date_format

from awda.core import countries
from awda.core.documents import PdfDocument

from .readiness import travellers

LANGUAGES = ("fr", "en")

TEXTS = {
    "en": {
        "title": "Declaration of voluntary return",
        "subtitle": "Assisted voluntary return and reintegration programme — case %(number)s",
        "case": "Case number",
        "office": "Office",
        "name": "Full name",
        "dob": "Date of birth",
        "born_about": "about %(year)s",
        "nationality": "Nationality",
        "country": "Country of return",
        "travellers": "Persons travelling",
        "relationship": "Relationship",
        "principal": "Principal applicant",
        "declaration": "Declaration",
        "body": [
            "I, the undersigned, %(name)s, declare that I wish to return voluntarily to "
            "%(country)s, with the assistance of the International Organization for Migration "
            "(IOM), together with the persons listed above.",
            "I have been informed, in a language I understand, of the assistance available to "
            "me before departure, for the journey and after my arrival, and of its conditions. "
            "My decision is free and informed: nobody has forced or pressured me to make it.",
            "I understand that I may withdraw from the return at any time before departure, "
            "and that withdrawing does not affect my rights.",
            "I have been informed of how my personal data are used for my return. They are "
            "shared with third parties, including the IOM mission in my country of origin, only "
            "with my consent.",
            "For the minors listed above, the parent or legal guardian signs this declaration "
            "on their behalf.",
        ],
        "sign_applicant": "Signature of the applicant",
        "sign_staff": "Name and signature of the IOM staff member",
        "sign_place": "Place and date",
        "sign_guardian": "Signature of the parent or guardian (minors)",
        "footer": "Declaration of voluntary return · %(number)s",
    },
    "fr": {
        "title": "Déclaration de retour volontaire",
        "subtitle": "Programme d'aide au retour volontaire et à la réintégration — dossier "
        "%(number)s",
        "case": "Numéro de dossier",
        "office": "Bureau",
        "name": "Nom complet",
        "dob": "Date de naissance",
        "born_about": "vers %(year)s",
        "nationality": "Nationalité",
        "country": "Pays de retour",
        "travellers": "Personnes qui voyagent",
        "relationship": "Lien de parenté",
        "principal": "Demandeur principal",
        "declaration": "Déclaration",
        "body": [
            "Je soussigné(e), %(name)s, déclare souhaiter retourner volontairement en/au "
            "%(country)s, avec l'aide de l'Organisation internationale pour les migrations "
            "(OIM), accompagné(e) des personnes mentionnées ci-dessus.",
            "J'ai été informé(e), dans une langue que je comprends, de l'aide qui m'est "
            "proposée avant le départ, pour le voyage et après mon arrivée, ainsi que de ses "
            "conditions. Ma décision est libre et éclairée : personne ne m'a forcé(e) ni fait "
            "pression sur moi pour la prendre.",
            "Je comprends que je peux renoncer au retour à tout moment avant le départ, et que "
            "ce renoncement ne porte pas atteinte à mes droits.",
            "J'ai été informé(e) de l'utilisation de mes données personnelles pour mon retour. "
            "Elles ne sont communiquées à des tiers, y compris à la mission de l'OIM dans mon "
            "pays d'origine, qu'avec mon consentement.",
            "Pour les mineurs mentionnés ci-dessus, le parent ou le tuteur légal signe la "
            "présente déclaration en leur nom.",
        ],
        "sign_applicant": "Signature du demandeur",
        "sign_staff": "Nom et signature de l'agent de l'OIM",
        "sign_place": "Lieu et date",
        "sign_guardian": "Signature du parent ou du tuteur (mineurs)",
        "footer": "Déclaration de retour volontaire · %(number)s",
    },
}


def language_for(requested: str | None, default: str | None) -> str:
    """The language asked for (fr or en), else the user's, else French."""
    for value in (requested, default):
        code = (value or "").split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return "fr"


def _born(person, t) -> str:
    if person.date_of_birth:
        return date_format(person.date_of_birth, "SHORT_DATE_FORMAT")
    if person.birth_year:
        return t["born_about"] % {"year": person.birth_year}
    return ""


def declaration_pdf(case, *, language: str) -> bytes:
    """The declaration of `case` in `language` ("fr" or "en"). One query for the travellers;
    the caller audits (case_declaration_printed)."""
    language = language if language in LANGUAGES else "fr"
    t = TEXTS[language]
    with translation.override(language):
        members = travellers(case)
        principal = next((m.person for m in members if m.is_principal), case.principal)
        country = countries.name(case.country_of_return)
        doc = PdfDocument(
            t["title"],
            subtitle=t["subtitle"] % {"number": case.number},
            organisation=f"IOM · {case.mission.name} · {case.office.name}",
            footer=t["footer"] % {"number": case.number},
        )
        doc.fields(
            [
                (t["case"], case.number),
                (t["office"], case.office.name),
                (t["name"], principal.full_name if principal else ""),
                (t["dob"], _born(principal, t) if principal else ""),
                (t["nationality"], countries.name(principal.nationality) if principal else ""),
                (t["country"], country),
            ]
        )
        doc.heading(t["travellers"])
        doc.table(
            [t["name"], t["relationship"], t["dob"], t["nationality"]],
            [
                (
                    m.person.full_name,
                    t["principal"] if m.is_principal else m.get_relationship_display(),
                    _born(m.person, t),
                    countries.name(m.person.nationality),
                )
                for m in members
            ],
            widths=[3, 2, 1.5, 1.5],
            numbered=True,
        )
        doc.heading(t["declaration"])
        values = {"name": principal.full_name if principal else "", "country": country}
        for paragraph in t["body"]:
            doc.paragraph(paragraph % values)
        doc.signature_block([t["sign_applicant"], t["sign_staff"], t["sign_place"]])
        today = timezone.localdate()
        ages = [m.person.age_on(today) for m in members]
        if any(age is not None and age < 18 for age in ages):
            doc.signature_block([t["sign_guardian"]])
        return doc.output()
