"""Reference data of the demo: missions and offices, demo users, donors, projects and partner
organisations. Everything here is created idempotently (looked up by its natural key first).

Missions, offices, users, memberships, donors and projects are reference data that administrators
manage in the Django admin (there is no service for them); the demo writes them directly and records
an audit event for each creation, as the admin does. Partner organisations go through the registry
service.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from awda.accounts.choices import MissionKind, Role
from awda.accounts.models import Membership, Mission, Office, User
from awda.audit.services import audit_record, snapshot
from awda.core import countries
from awda.core.text import fold
from awda.finance.models import Donor, Project
from awda.registry import services as registry_services
from awda.registry.choices import OrganisationKind
from awda.registry.models import Organisation

from .names import HOST_STAFF, POOLS

# Names are the French ones people use in Morocco (IOM Morocco works in French).
HOST = ("MA", "Maroc")
HOST_OFFICES = (("RBA", "Rabat"), ("CAS", "Casablanca"), ("OUJ", "Oujda"))
# Origin missions with their capital (or main) office.
ORIGIN_MISSIONS = (
    ("GN", "Guinée", "CKY", "Conakry"),
    ("CI", "Côte d'Ivoire", "ABJ", "Abidjan"),
    ("SN", "Sénégal", "DKR", "Dakar"),
    ("CM", "Cameroun", "YAO", "Yaoundé"),
    ("ML", "Mali", "BKO", "Bamako"),
    ("BF", "Burkina Faso", "OUA", "Ouagadougou"),
    ("NG", "Nigeria", "LOS", "Lagos"),
)

HOST_ROLES = (
    Role.CASEWORKER,
    Role.MANAGER,
    Role.PROTECTION,
    Role.MEDICAL,
    Role.MOVEMENT,
    Role.FINANCE,
    Role.ME,
    Role.ADMIN,
)
ORIGIN_ROLES = (Role.REINTEGRATION, Role.MANAGER, Role.CASEWORKER, Role.ME)

ADMIN_GROUP = "Reference data administrators"
# Models an administrator manages in the Django admin (and nothing about cases or persons).
ADMIN_MODELS = (
    ("accounts", "mission"),
    ("accounts", "office"),
    ("accounts", "user"),
    ("accounts", "membership"),
    ("registry", "organisation"),
    ("finance", "donor"),
    ("finance", "project"),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    office_code: str
    office_name: str
    mission_code: str


def username_for(role: str, office_name: str) -> str:
    """`<role>.<office>` in lower-case ASCII: ('manager', 'Yaoundé') -> 'manager.yaounde'."""
    return f"{role}.{fold(office_name).replace(' ', '')}"


def demo_logins() -> list[DemoLogin]:
    """Every demo account, host offices first, in role order."""
    out = []
    for code, name in HOST_OFFICES:
        out += [DemoLogin(username_for(r, name), r, code, name, HOST[0]) for r in HOST_ROLES]
    for mission_code, _mission, code, name in ORIGIN_MISSIONS:
        out += [DemoLogin(username_for(r, name), r, code, name, mission_code) for r in ORIGIN_ROLES]
    return out


def _created(obj, fields):
    audit_record(
        None, action=f"{obj._meta.label_lower}.created", obj=obj, changes=snapshot(obj, fields)
    )


def ensure_missions() -> dict[str, Office]:
    """Create the host and origin missions and their offices; return offices by code."""
    offices = {}
    specs = [(HOST[0], HOST[1], MissionKind.HOST, HOST_OFFICES)]
    specs += [(c, n, MissionKind.ORIGIN, ((oc, on),)) for c, n, oc, on in ORIGIN_MISSIONS]
    for code, name, kind, office_specs in specs:
        mission = Mission.objects.filter(code=code).first()
        if mission is None:
            mission = Mission.objects.create(
                code=code, name=name, country_alpha3=countries.alpha3(code), kind=kind
            )
            _created(mission, ["code", "name", "country_alpha3", "kind"])
        for office_code, office_name in office_specs:
            office = Office.objects.filter(mission=mission, code=office_code).first()
            if office is None:
                office = Office.objects.create(
                    mission=mission, code=office_code, name=office_name, city=office_name
                )
                _created(office, ["mission", "code", "name", "city"])
            offices[office_code] = office
    return offices


def _admin_group() -> Group:
    group, _created_now = Group.objects.get_or_create(name=ADMIN_GROUP)
    wanted = Q()
    for app_label, model in ADMIN_MODELS:
        wanted |= Q(content_type__app_label=app_label, content_type__model=model)
    perms = Permission.objects.filter(wanted)
    group.permissions.add(*perms)
    return group


def ensure_users(offices: dict[str, Office], password: str) -> dict[tuple[str, str], User]:
    """One user per role and office, `<role>.<office>`, all with the demo password.

    Returns users by (office code, role). Administrators are staff members of the reference-data
    group: they use the Django admin and hold no role that opens cases."""
    hashed = make_password(password)  # one hash for all: the demo accounts share the password
    group = _admin_group()
    staff_names = iter(HOST_STAFF * 2)
    users = {}
    for login in demo_logins():
        office = offices[login.office_code]
        if login.mission_code == HOST[0]:
            first, last = next(staff_names)
        else:
            pool = POOLS[login.mission_code]
            index = len(users)
            first = (
                pool.female[index % len(pool.female)]
                if index % 2
                else pool.male[index % len(pool.male)]
            )
            last = pool.family[(index * 7) % len(pool.family)]
        user = User.objects.filter(username=login.username).first()
        if user is None:
            user = User.objects.create(
                username=login.username,
                first_name=first,
                last_name=last,
                email=f"{login.username}@demo.awda.invalid",
                password=hashed,
                is_staff=login.role == Role.ADMIN,
                preferred_language="fr",
            )
            _created(user, ["username", "first_name", "last_name", "email", "is_staff"])
        else:  # the demo password may have changed since the account was created
            User.objects.filter(pk=user.pk).update(password=hashed)
        if login.role == Role.ADMIN:
            user.groups.add(group)
        membership, created = Membership.objects.get_or_create(
            user=user, office=office, role=login.role
        )
        if created:
            _created(membership, ["user", "office", "role"])
        users[(login.office_code, login.role)] = user
    # The mission's movement unit sits in Casablanca, by the airport, and runs the group
    # departures of every office: its officer holds the movement role in each host office.
    unit = users.get(("CAS", Role.MOVEMENT))
    for code in (c for c, _name in HOST_OFFICES if c != "CAS"):
        if unit is not None and code in offices:
            membership, created = Membership.objects.get_or_create(
                user=unit, office=offices[code], role=Role.MOVEMENT
            )
            if created:
                _created(membership, ["user", "office", "role"])
    return users


def sync_demo_passwords(password: str) -> int:
    """Give the existing demo users the current demo password (when AWDA_DEMO_PASSWORD changed).
    Returns the number of accounts updated (0 when the password already matches)."""
    usernames = [d.username for d in demo_logins()]
    sample = User.objects.filter(username__in=usernames).first()
    if sample is None or sample.check_password(password):
        return 0
    return User.objects.filter(username__in=usernames).update(password=make_password(password))


# ---- donors and projects -----------------------------------------------------------------------

DONORS = (  # official names and acronyms, in French
    ("Secrétariat d'État aux migrations (SEM)", "SEM", "CH"),
    ("Union européenne", "UE", ""),
    ("Royaume de Belgique", "Belgique", "BE"),
    ("Royaume de Norvège", "Norvège", "NO"),
)


@dataclass(frozen=True)
class ProjectSpec:
    code: str
    name: str
    donor: str  # short name
    start: datetime.date
    end: datetime.date
    currency: str
    offices: tuple[str, ...] = ()  # empty: every office of the mission
    nationalities: tuple[str, ...] = ()  # empty: every nationality
    vulnerabilities: tuple[str, ...] = ()  # screening flags; empty: every case
    min_age: int | None = None  # of the principal applicant
    max_age: int | None = None


def project_specs(year: int) -> list[ProjectSpec]:
    """Projects relative to the reference year: a yearly SEM project (all nationalities, all
    offices) for this year and the three before, an EU project limited to some nationalities and
    offices, a past Belgian project for vulnerable migrants (a member flagged at screening) and
    a current Norwegian one for adult applicants."""
    d = datetime.date
    specs = [
        ProjectSpec(f"MA-SEM-{y}", f"AVRR Maroc - SEM {y}", "SEM", d(y, 1, 1), d(y, 12, 31), "CHF")
        for y in range(year - 3, year + 1)
    ]
    specs += [
        ProjectSpec(
            f"MA-EU-RR-{year - 1}",
            "Initiative conjointe UE-OIM pour la protection et la réintégration des migrants - Maroc",
            "UE",
            d(year - 1, 4, 1),
            d(year + 1, 3, 31),
            "EUR",
            offices=("RBA", "OUJ"),
            nationalities=("GN", "CI", "SN", "ML", "BF", "NE", "GM"),
        ),
        ProjectSpec(
            f"MA-BE-VUL-{year - 2}",
            "Belgique - Retour volontaire assisté des migrants vulnérables au départ du Maroc",
            "Belgique",
            d(year - 2, 3, 1),
            d(year - 1, 2, 28),
            "EUR",
            offices=("RBA", "CAS"),
            vulnerabilities=("uasc", "vot", "health", "disability"),
        ),
        ProjectSpec(
            f"MA-NO-AVRR-{year}",
            "Norvège - AVRR du Maroc vers le Nigeria, le Cameroun et la Sierra Leone",
            "Norvège",
            d(year - 1, 7, 1),
            d(year + 1, 6, 30),
            "NOK",
            nationalities=("NG", "CM", "SL"),
            min_age=18,
        ),
    ]
    return specs


# Reintegration caps per returnee, in each project's currency (configuration, as a mission sets
# them in the admin): a general cap, and a higher one for returnees with health needs.
REINTEGRATION_CAPS = {"CHF": ("1500.00", "2200.00"), "EUR": ("1500.00", "2200.00"),
                      "NOK": ("16000.00", "24000.00")}  # fmt: skip


def ensure_reintegration_caps(projects: list[Project]) -> None:
    from awda.reintegration.models import ReintegrationCap

    for project in projects:
        general, health = REINTEGRATION_CAPS.get(project.currency, ("1500.00", "2200.00"))
        for vulnerability, amount in (("", general), ("health", health)):
            cap, created = ReintegrationCap.objects.get_or_create(
                project=project,
                nationality="",
                vulnerability=vulnerability,
                defaults={"amount": Decimal(amount), "currency": project.currency},
            )
            if created:
                _created(cap, ["project", "vulnerability", "amount", "currency", "basis"])


def ensure_projects(offices: dict[str, Office], year: int) -> list[Project]:
    donors = {}
    for name, short, country in DONORS:
        donor = Donor.objects.filter(name=name).first()
        if donor is None:
            donor = Donor.objects.create(name=name, short_name=short, country=country)
            _created(donor, ["name", "short_name", "country"])
        donors[short] = donor
    morocco = offices["RBA"].mission
    projects = []
    for spec in project_specs(year):
        project = Project.objects.filter(code=spec.code).first()
        if project is None:
            with transaction.atomic():
                project = Project.objects.create(
                    code=spec.code,
                    name=spec.name,
                    mission=morocco,
                    start_date=spec.start,
                    end_date=spec.end,
                    currency=spec.currency,
                    eligible_nationalities=list(spec.nationalities),
                    eligible_vulnerabilities=list(spec.vulnerabilities),
                    min_age=spec.min_age,
                    max_age=spec.max_age,
                )
                project.donors.add(donors[spec.donor])
                project.eligible_offices.add(*(offices[c] for c in spec.offices))
                changes = snapshot(
                    project,
                    ["code", "name", "mission", "start_date", "end_date", "currency"],
                )
                changes.update(
                    donors=[donors[spec.donor].pk],
                    eligible_offices=[offices[c].pk for c in spec.offices],
                    eligible_nationalities=list(spec.nationalities),
                    eligible_vulnerabilities=list(spec.vulnerabilities),
                    min_age=spec.min_age,
                    max_age=spec.max_age,
                )
                audit_record(None, action="finance.project.created", obj=project, changes=changes)
        projects.append(project)
    return projects


# ---- partner organisations ---------------------------------------------------------------------

K = OrganisationKind
ORGANISATIONS = (
    # name (as it is used in Morocco), kind, country, city
    ("HCR Rabat", K.UN_AGENCY, "MA", "Rabat"),
    ("Caritas Maroc - Centre d'accueil des migrants de Rabat", K.NGO, "MA", "Rabat"),
    ("Caritas Maroc - Casablanca", K.NGO, "MA", "Casablanca"),
    ("Fondation Orient-Occident", K.NGO, "MA", "Rabat"),
    ("Association Oujda Aïn Ghazal 2000", K.NGO, "MA", "Oujda"),
    ("Médecins du Monde - Maroc", K.NGO, "MA", "Rabat"),
    ("Hôpital Ibn Sina (Avicenne) - CHU Ibn Sina de Rabat", K.HOSPITAL, "MA", "Rabat"),
    ("CHU Ibn Rochd de Casablanca", K.HOSPITAL, "MA", "Casablanca"),
    ("CHU Mohammed VI d'Oujda", K.HOSPITAL, "MA", "Oujda"),
    ("Ambassade de la République de Guinée - service consulaire", K.CONSULATE, "MA", "Rabat"),
    ("Consulat général de la République de Guinée", K.CONSULATE, "MA", "Casablanca"),
    ("Ambassade de Côte d'Ivoire - service consulaire", K.CONSULATE, "MA", "Rabat"),
    ("Ambassade du Sénégal - service consulaire", K.CONSULATE, "MA", "Rabat"),
    ("Consulat général du Sénégal à Casablanca", K.CONSULATE, "MA", "Casablanca"),
    ("Ambassade du Cameroun - service consulaire", K.CONSULATE, "MA", "Rabat"),
    ("Ambassade du Mali - service consulaire", K.CONSULATE, "MA", "Rabat"),
    ("Ambassade du Burkina Faso - service consulaire", K.CONSULATE, "MA", "Rabat"),
    ("Ambassade du Nigeria - service consulaire", K.CONSULATE, "MA", "Rabat"),
    ("Ambassade de Sierra Leone - service consulaire", K.CONSULATE, "MA", "Rabat"),
    ("Ambassade du Soudan - service consulaire", K.CONSULATE, "MA", "Rabat"),
    ("Ambassade de la République de Gambie - service consulaire", K.CONSULATE, "MA", "Rabat"),
    ("Ambassade de la République démocratique du Congo", K.CONSULATE, "MA", "Rabat"),
    ("Ambassade de la République du Congo - service consulaire", K.CONSULATE, "MA", "Rabat"),
    ("Ambassade du Niger - service consulaire", K.CONSULATE, "MA", "Rabat"),
    ("Ambassade du Libéria - service consulaire", K.CONSULATE, "MA", "Rabat"),
    ("Ambassade du Tchad - service consulaire", K.CONSULATE, "MA", "Rabat"),
    ("Ministère de l'Intérieur - Direction de la Migration et de la Surveillance des Frontières", K.AUTHORITY, "MA", "Rabat"),
    ("Direction Générale de la Sûreté Nationale (DGSN)", K.AUTHORITY, "MA", "Rabat"),
    ("Royal Air Maroc", K.CARRIER, "MA", "Casablanca"),
    ("Air Côte d'Ivoire", K.CARRIER, "CI", "Abidjan"),
    ("Air Sénégal", K.CARRIER, "SN", "Dakar"),
    ("Quincaillerie Bah et Frères", K.SUPPLIER, "GN", "Conakry"),
    # suppliers and services in the countries of return (reintegration)
    ("Établissements Diallo Commerce Général", K.SUPPLIER, "GN", "Conakry"),
    ("Boutique Keur Serigne - fournitures", K.SUPPLIER, "SN", "Dakar"),
    ("Ets Kouassi & Fils - commerce général", K.SUPPLIER, "CI", "Abidjan"),
    ("Ets Traoré Équipements", K.SUPPLIER, "ML", "Bamako"),
    ("Quincaillerie Mbarga", K.SUPPLIER, "CM", "Yaoundé"),
    ("Comptoir Ouédraogo", K.SUPPLIER, "BF", "Ouagadougou"),
    ("Adeyemi Trading Ltd", K.SUPPLIER, "NG", "Lagos"),
    ("Centre de formation professionnelle de Matoto", K.NGO, "GN", "Conakry"),
    ("Hôpital national Donka", K.HOSPITAL, "GN", "Conakry"),
    ("Association Guinéenne d'Aide aux Migrants Rapatriés", K.NGO, "GN", "Conakry"),
)  # fmt: skip


def ensure_organisations() -> dict[str, list[Organisation]]:
    """Create the partner organisations through the registry service; return them by kind."""
    by_kind: dict[str, list[Organisation]] = {}
    for name, kind, country, city in ORGANISATIONS:
        org = Organisation.objects.filter(name=name).first()
        if org is None:
            org = registry_services.organisation_create(
                None, data={"name": name, "kind": kind, "country": country, "city": city}
            )
        by_kind.setdefault(kind, []).append(org)
    return by_kind
