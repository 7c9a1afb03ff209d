from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National identity card")
    CONSULAR_CARD = "consular_card", _("Consular card")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    LAISSEZ_PASSER = "laissez_passer", _("Laissez-passer")
    UNHCR_DOCUMENT = "unhcr_document", _("UNHCR document")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    OTHER = "other", _("Other")


class OrganisationKind(models.TextChoices):
    HOSPITAL = "hospital", _("Hospital")
    NGO = "ngo", _("NGO")
    UN_AGENCY = "un_agency", _("UN agency")
    CONSULATE = "consulate", _("Consulate")
    AUTHORITY = "authority", _("Authority")
    SUPPLIER = "supplier", _("Supplier")
    CARRIER = "carrier", _("Carrier")
    OTHER = "other", _("Other")


LANGUAGES = [
    ("fr", _("French")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("ary", _("Moroccan Arabic (Darija)")),
    ("ber", _("Tamazight")),
    ("ff", _("Fula (Pular)")),
    ("sus", _("Soussou")),
    ("man", _("Malinké")),
    ("bm", _("Bambara")),
    ("dyu", _("Dioula")),
    ("wo", _("Wolof")),
    ("ha", _("Hausa")),
    ("yo", _("Yoruba")),
    ("ig", _("Igbo")),
    ("pcm", _("Nigerian Pidgin")),
    ("mos", _("Mooré")),
    ("ln", _("Lingala")),
    ("kr", _("Kanuri")),
    ("snk", _("Soninké")),
    ("ewo", _("Ewondo")),
    ("pt", _("Portuguese")),
    ("es", _("Spanish")),
    ("other", _("Other")),
]
