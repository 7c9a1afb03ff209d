"""Test settings: the same code, fast password hashing, files in a temporary folder."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
AWDA_DEMO_MODE = True
AWDA_DEMO_PASSWORD = "demo-pass-2026"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="awda-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = True
ALLOWED_HOSTS = ["*"]
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"auth": "1000/min", "user": "100000/min"},
}
STATIC_ROOT = tempfile.mkdtemp(prefix="awda-test-static-")
# Tests assert on the English source strings; tests of the French default set LANGUAGE_CODE="fr"
# themselves (see awda/core/tests/test_language.py).
LANGUAGE_CODE = "en"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # Django's test flush truncates every table; the audit table refuses that unless told.
    DATABASES["default"]["OPTIONS"]["options"] += " -c awda.allow_audit_truncate=on"  # noqa: F405
