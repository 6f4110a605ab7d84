from django.apps import AppConfig


class LeadersConfig(AppConfig):
    name = "dxtalent.leaders"
    label = "leaders"
    verbose_name = "DX推進リーダー"
