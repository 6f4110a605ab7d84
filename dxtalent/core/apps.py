from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dxtalent.core"
    label = "core"
    verbose_name = "共通"
