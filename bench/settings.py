"""Settings for the benchmark: the production code paths (config.settings.base) on the bench
database, with only what a test client needs changed."""

import os
import warnings

from config.settings.base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["testserver"]
# The manifest storage needs `collectstatic`; page rendering is otherwise identical.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Users are created by the factories; the real hasher would only slow the setup down.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}  # noqa: F405
# Static files are not served in the benchmark (WhiteNoise warns that STATIC_ROOT is missing).
warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers.base")
# e.g. BENCH_PG_OPTIONS="-c jit=off" to compare a server setting (run.py --pg-options).
if os.environ.get("BENCH_PG_OPTIONS"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ["BENCH_PG_OPTIONS"]  # noqa: F405
