from . import context


def client_ip(request) -> str | None:
    # Behind a trusted proxy, configure it to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR")


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
