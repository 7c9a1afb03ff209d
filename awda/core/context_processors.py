from django.conf import settings


def awda(request):
    return {
        "AWDA_DEMO_MODE": settings.AWDA_DEMO_MODE,
        "SESSION_TIMEOUT_SECONDS": settings.SESSION_COOKIE_AGE,
    }
