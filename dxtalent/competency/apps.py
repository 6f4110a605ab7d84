from django.apps import AppConfig


class CompetencyConfig(AppConfig):
    name = "dxtalent.competency"
    label = "competency"
    verbose_name = "マインド・スキル評価"
