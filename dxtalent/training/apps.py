from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "dxtalent.training"
    label = "training"
    verbose_name = "研修"
