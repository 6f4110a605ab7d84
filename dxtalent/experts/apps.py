from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "dxtalent.experts"
    label = "experts"
    verbose_name = "高度デジタル人材・ジョブチャレンジ"

    def ready(self):
        from dxtalent.competency.hooks import register_expected_levels

        from .expected import expected_for_stage

        register_expected_levels(expected_for_stage)
