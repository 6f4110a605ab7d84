from django.apps import AppConfig


class KpiConfig(AppConfig):
    name = "dxtalent.kpi"
    label = "kpi"
    verbose_name = "目標と実績"
