from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "dxtalent.org"
    label = "org"
    verbose_name = "組織・職員"
