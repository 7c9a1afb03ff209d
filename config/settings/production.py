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
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Subdomain HSTS and preload depend on the organisation's whole domain: opt-in settings above.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
