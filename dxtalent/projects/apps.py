from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "dxtalent.projects"
    label = "projects"
    verbose_name = "業務改善・相談・事例"
