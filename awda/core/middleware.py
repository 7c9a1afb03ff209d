import ipaddress

from . import context


def client_ip(request) -> str | None:
    """The client's address. Behind AWDA_TRUSTED_PROXIES reverse proxies (each appending to
    X-Forwarded-For, as nginx's $proxy_add_x_forwarded_for does), the address the nearest trusted
    proxy saw; addresses a client wrote into the header itself are ignored. Used for the audit
    trail and for the login lockout (django-axes, AXES_CLIENT_IP_CALLABLE)."""
    from django.conf import settings

    trusted = getattr(settings, "AWDA_TRUSTED_PROXIES", 0)
    remote = request.META.get("REMOTE_ADDR")
    if trusted <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) < trusted:
        return remote
    candidate = forwarded[-trusted]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return remote
    return candidate


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        channel = (
            "api" if path.startswith("/api/") else "admin" if path.startswith("/admin/") else "web"
        )
        token = context.set_current(
            context.RequestContext(
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
                channel=channel,
            )
        )
        try:
            return self.get_response(request)
        finally:
            context.reset(token)


class DefaultLanguageMiddleware:
    """The web UI speaks French unless the user chose another language (language switch cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; Awda's UI is French by
    default whatever the browser says. The API keeps content negotiation (Accept-Language), which is
    what API clients expect. Place after SessionMiddleware, instead of LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        supported = {code for code, _name in settings.LANGUAGES}
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in supported:
            chosen = None
        if chosen is None and request.path.startswith("/api/"):
            accepted = translation.get_language_from_request(request)
            chosen = accepted if accepted in supported else None
        language = chosen or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch = response.headers.get("Vary", "")
        if "Cookie" not in patch:
            response.headers["Vary"] = f"{patch}, Cookie" if patch else "Cookie"
        translation.deactivate()
        return response
