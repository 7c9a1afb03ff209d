"""Production settings: PostgreSQL, Redis, Celery, behind a WSGI server and a TLS proxy.

Refuses to start without an explicit SECRET_KEY, DATABASE_URL and ALLOWED_HOSTS; DEBUG is off.
"""

from .base import *  # noqa: F403
from .base import env_bool, env_int, require

SECRET_KEY = require("SECRET_KEY")
require("DATABASE_URL")
require("ALLOWED_HOSTS")
DEBUG = False
AWDA_DEMO_MODE = env_bool("AWDA_DEMO_MODE", False)

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
