"""Base settings: everything is read from the environment (see .env.example and README)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("AWDA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    # Embedded mode: a random key generated once and kept under var/ (never in git).
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    from django.core.management.utils import get_random_secret_key

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = get_random_secret_key()
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Demo mode: seed_demo only runs (and demo users only exist) when this is on.
AWDA_DEMO_MODE = env_bool("AWDA_DEMO_MODE", False)
AWDA_DEMO_PASSWORD = os.environ.get("AWDA_DEMO_PASSWORD", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "django_htmx",
    "axes",
    "awda.core",
    "awda.accounts",
    "awda.audit",
    "awda.registry",
    "awda.registry.duplicates",
    "awda.finance",
    "awda.cases",
    "awda.screening",
    "awda.screening.consent",
    "awda.screening.children",
    "awda.screening.trafficking",
    "awda.screening.health",
    "awda.movements.traveldocs",
    "awda.assistance",
    "awda.movements",
    "awda.reintegration",
    "awda.imports",
    "awda.reports",
    "awda.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "awda.core.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "awda.core.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "awda.core.context_processors.awda",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "") or f"sqlite:///{VAR_DIR / 'awda.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL + a busy timeout let the WSGI workers share the file; IMMEDIATE transactions
        # take the write lock up front so concurrent writers queue instead of failing.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation costs more than it saves on Awda's short OLTP queries (bench/README.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cases:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failed logins (django-axes), per username and IP.
AXES_FAILURE_LIMIT = env_int("AWDA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AWDA_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Number of reverse proxies in front of the app that append to X-Forwarded-For (0: none, use the
# connection's address). The same client address feeds the audit trail and the lockout.
AWDA_TRUSTED_PROXIES = env_int("AWDA_TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "awda.core.middleware.client_ip"

# Inactivity timeout: the session expires after N minutes without a request.
SESSION_COOKIE_AGE = env_int("AWDA_SESSION_TIMEOUT_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Africa/Casablanca")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: attachments go through a scoped view
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Attachments
AWDA_MAX_UPLOAD_MB = env_int("AWDA_MAX_UPLOAD_MB", 10)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Protection: how long a fitness-to-travel decision stays valid by default (a mission may set its
# own in the admin, "Mission health settings").
AWDA_FITNESS_VALIDITY_DAYS = env_int("AWDA_FITNESS_VALIDITY_DAYS", 7)

# Movements: the departure-day pocket money a traveller gets by default ("amount currency"; the
# movement officer can change it per traveller).
AWDA_POCKET_MONEY_DEFAULT = os.environ.get("AWDA_POCKET_MONEY_DEFAULT", "30.00 EUR")

# Reintegration: the plan is due this many days after arrival (then shown as overdue); monitoring
# visits are scheduled these months after arrival when a plan is approved (a project may set its
# own schedule).
AWDA_PLAN_DUE_DAYS = env_int("AWDA_PLAN_DUE_DAYS", 30)
AWDA_MONITORING_MONTHS = [
    int(m) for m in os.environ.get("AWDA_MONITORING_MONTHS", "3,6,12").split(",") if m.strip()
]

# Reports: in shared aggregate tables (HXL), counts from 1 to this minus one are suppressed
# (domain.md section 9: k >= 11, as the Counter Trafficking Data Collaborative does).
AWDA_HXL_MIN_CELL = env_int("AWDA_HXL_MIN_CELL", 11)

# Reports: the organisation publishing the IATI activity files (reporting-org, and the implementing
# participating-org): its IATI organisation identifier, organisation type code and name
# (docs/iati.md). The default is IOM's identifier.
AWDA_IATI_REPORTING_ORG = {
    "ref": os.environ.get("AWDA_IATI_REPORTING_ORG_REF", "XM-DAC-47066"),
    "type": os.environ.get("AWDA_IATI_REPORTING_ORG_TYPE", "40"),
    "name": os.environ.get(
        "AWDA_IATI_REPORTING_ORG_NAME", "International Organization for Migration"
    ),
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "awda.core.api.authentication.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "awda.core.api.pagination.DefaultCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "awda.core.api.errors.exception_handler",
    # Every signed-in client is rate-limited; the token endpoint has its own, stricter limit.
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "auth": "20/min",
        "user": os.environ.get("AWDA_API_RATE", "600/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Awda API",
    "DESCRIPTION": "Case management for Assisted Voluntary Return and Reintegration (AVRR).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and the interactive docs are for signed-in users only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "/static/vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": "/static/vendor/swagger-ui/favicon-32x32.png",
    "ENUM_NAME_OVERRIDES": {
        # choice sets that share a field name get explicit, stable component names
        "CaseStatusEnum": "awda.cases.choices.Status",
        "TaskStatusEnum": "awda.cases.choices.TaskStatus",
        "RelationshipEnum": "awda.cases.choices.Relationship",
        "MemberRelationshipEnum": "awda.cases.api.serializers.MEMBER_RELATIONSHIPS",
        "AttachmentKindEnum": "awda.cases.choices.AttachmentKind",
        "OrganisationKindEnum": "awda.registry.choices.OrganisationKind",
        "MissionKindEnum": "awda.accounts.choices.MissionKind",
        "ConsentPurposeEnum": "awda.screening.consent.choices.Purpose",
        "DataCategoryEnum": "awda.screening.consent.choices.DataCategory",
        "TracingStatusEnum": "awda.screening.children.choices.TracingStatus",
        "CaregiverOutcomeEnum": "awda.screening.children.choices.CaregiverOutcome",
        "DeterminationOutcomeEnum": "awda.screening.children.choices.DeterminationOutcome",
        "FitnessOutcomeEnum": "awda.screening.health.choices.FitnessOutcome",
        "MedicalNeedStatusEnum": "awda.screening.health.choices.NeedStatus",
        "ReferralStatusEnum": "awda.screening.health.choices.ReferralStatus",
        "ReferralPurposeEnum": "awda.screening.health.choices.ReferralPurpose",
        "MedicalDocumentKindEnum": "awda.screening.health.choices.DocumentKind",
        "TraffickingOutcomeEnum": "awda.screening.trafficking.choices.Outcome",
        "TravelDocumentKindEnum": "awda.movements.traveldocs.choices.DocumentKind",
        "TravelDocumentStatusEnum": "awda.movements.traveldocs.choices.DocumentStatus",
        "TravelDocumentOutcomeEnum": "awda.movements.traveldocs.choices.DocumentOutcome",
        "NewTravelDocumentStatusEnum": "awda.movements.traveldocs.api.serializers.NEW_DOCUMENT_STATUSES",
        "TravelDocumentUpdateStatusEnum": "awda.movements.traveldocs.api.serializers.DOCUMENT_UPDATE_STATUSES",
        "ExitAuthorisationStatusEnum": "awda.movements.traveldocs.choices.ExitStatus",
        "ExitAuthorisationOutcomeEnum": "awda.movements.traveldocs.choices.ExitOutcome",
        "DocumentBatchKindEnum": "awda.movements.traveldocs.choices.BatchKind",
        "DocumentBatchStatusEnum": "awda.movements.traveldocs.choices.BatchStatus",
        "DocumentBatchOutcomeEnum": "awda.movements.traveldocs.api.serializers.BATCH_OUTCOMES",
        "AssistanceKindEnum": "awda.assistance.choices.AssistanceKind",
        "ReintegrationAssistanceTypeEnum": "awda.reintegration.choices.AssistanceType",
        "ReintegrationAssistanceCategoryEnum": "awda.reintegration.choices.AssistanceCategory",
        "ReintegrationAssessmentKindEnum": "awda.reintegration.choices.AssessmentKind",
        "ReintegrationPlanStatusEnum": "awda.reintegration.choices.PlanStatus",
        "CollectiveKindEnum": "awda.reintegration.choices.CollectiveKind",
        "SurveyKindEnum": "awda.reintegration.choices.SurveyKind",
        "DeliveryDocumentKindEnum": "awda.reintegration.choices.DeliveryDocumentKind",
        "PurchaseStatusEnum": "awda.reintegration.choices.PurchaseStatus",
        "TrancheStatusEnum": "awda.reintegration.choices.TrancheStatus",
        "ReintegrationReferralStatusEnum": "awda.reintegration.choices.ReferralStatus",
        "VisitStatusEnum": "awda.reintegration.choices.VisitStatus",
        "VisitModeEnum": "awda.reintegration.choices.VisitMode",
        "CapBasisEnum": "awda.reintegration.choices.CapBasis",
        "PlanAssistanceTypeInputEnum": "awda.reintegration.plans.api.ASSISTANCE_TYPE_VALUES",
        "MedicalNeedCategoryEnum": "awda.screening.health.choices.NeedCategory",
        "DepartureKindEnum": "awda.movements.choices.DepartureKind",
        "DepartureStatusEnum": "awda.movements.choices.DepartureStatus",
        "BookingStatusEnum": "awda.movements.choices.BookingStatus",
        "EscortKindEnum": "awda.movements.choices.EscortKind",
        "NoShowReasonEnum": "awda.movements.choices.NoShowReason",
        "AssistanceLineStatusEnum": "awda.assistance.choices.LineStatus",
        "ExportKindEnum": "awda.reports.exports.choices.ExportKind",
        "CostCategoryEnum": "awda.finance.choices.CostCategory",
        "CurrencyEnum": "awda.finance.models.CURRENCIES",
        "DuplicatePairStatusEnum": "awda.registry.duplicates.choices.PairStatus",
        "DuplicatePairSourceEnum": "awda.registry.duplicates.choices.PairSource",
        "DuplicatePairClosedReasonEnum": "awda.registry.duplicates.choices.ClosedReason",
        "DuplicateScoreBandEnum": "awda.registry.duplicates.choices.SCORE_BAND_CHOICES",
        "DetectionRunStatusEnum": "awda.registry.duplicates.choices.RunStatus",
        "DetectionRunTriggerEnum": "awda.registry.duplicates.choices.RunTrigger",
        "DetectionRunPhaseEnum": "awda.registry.duplicates.choices.RunPhase",
        "MergedItemActionEnum": "awda.registry.duplicates.choices.ItemAction",
        # the cost ledger's "source" keeps its name now that pairs have a "source" too
        "SourceEnum": "awda.finance.choices.ChargeSource",
    },
}

# Celery: a Redis broker in production; without one, tasks run eagerly in-process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# Duplicate detection (docs/duplicates-review.md): a full run per active mission every night at
# this local time ("HH:MM"; "off" disables it). Needs `celery -A config beat` next to the worker.
AWDA_DUPLICATES_SCHEDULE = os.environ.get("AWDA_DUPLICATES_SCHEDULE", "02:30").strip()
CELERY_TIMEZONE = TIME_ZONE
# With `celery beat`: the files of expired exports and old imports are deleted every hour (the
# management commands exports_purge and imports_purge do the same from cron).
CELERY_BEAT_SCHEDULE: dict = {
    "exports-purge": {"task": "awda.reports.tasks.purge_exports", "schedule": 3600},
    "imports-purge": {"task": "awda.imports.tasks.purge_imports", "schedule": 3600},
}
if AWDA_DUPLICATES_SCHEDULE.lower() not in ("", "off", "none"):
    from celery.schedules import crontab

    _hour, _, _minute = AWDA_DUPLICATES_SCHEDULE.partition(":")
    CELERY_BEAT_SCHEDULE["duplicates-nightly"] = {
        "task": "awda.registry.duplicates.tasks.detect_all_missions",
        "schedule": crontab(hour=int(_hour), minute=int(_minute or 0)),
    }

# Exports (docs/exports.md): hours a file can be downloaded; the largest password-protected XLSX
# (it is encrypted in memory; a protected CSV is streamed at any size).
AWDA_EXPORT_RETENTION_HOURS = env_int("AWDA_EXPORT_RETENTION_HOURS", 72)
AWDA_EXPORT_PROTECTED_XLSX_MAX_ROWS = env_int("AWDA_EXPORT_PROTECTED_XLSX_MAX_ROWS", 200_000)

# Imports (docs/imports.md): the largest file accepted; days the uploaded and rejected-rows files
# are kept (they hold personal data; the jobs and their audit events stay).
AWDA_IMPORT_MAX_UPLOAD_MB = env_int("AWDA_IMPORT_MAX_UPLOAD_MB", 50)
# What an import reads at most (awda/imports/limits.py): rows (also Kobo submissions), columns,
# rows x columns; a file past one is refused while it is read. Kobo servers: https:// only,
# unless AWDA_KOBO_ALLOW_HTTP (the token would travel in clear).
AWDA_IMPORT_MAX_ROWS = env_int("AWDA_IMPORT_MAX_ROWS", 1_000_000)
AWDA_IMPORT_MAX_COLUMNS = env_int("AWDA_IMPORT_MAX_COLUMNS", 1_000)
AWDA_IMPORT_MAX_CELLS = env_int("AWDA_IMPORT_MAX_CELLS", 25_000_000)
AWDA_KOBO_ALLOW_HTTP = env_bool("AWDA_KOBO_ALLOW_HTTP", False)
AWDA_IMPORT_RETENTION_DAYS = env_int("AWDA_IMPORT_RETENTION_DAYS", 30)

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# API tokens expire this many hours after they were issued.
AWDA_API_TOKEN_TTL_HOURS = env_int("AWDA_API_TOKEN_TTL_HOURS", 24)

# Workflow configuration (amounts and thresholds are configuration, never code).
AWDA_TASK_DUE_SOON_DAYS = env_int("AWDA_TASK_DUE_SOON_DAYS", 3)


def require(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value
