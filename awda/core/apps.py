from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "awda.core"
    label = "core"
