from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "dxtalent.projects"
    label = "projects"
    verbose_name = "業務改善・相談・事例"

    def ready(self):
        from dxtalent.competency.hooks import register_project_evidence

        from .evidence import project_evidence_choices

        register_project_evidence(project_evidence_choices)
