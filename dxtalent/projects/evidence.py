"""Evidence for competency assessments: the improvement projects a person leads or takes part in.

Registered in ProjectsConfig.ready() with dxtalent.competency.hooks.register_project_evidence (competency sits below
projects and must not import it). One query (plus the pack, cached) whatever the number of projects.
"""

from django.db.models import Q

from dxtalent.policy.selectors import NoPolicyPack, current_pack

from .models import Project, ProjectParticipant, ProjectStatus

LIMIT = 200


def _step_name(step: int) -> str:
    try:
        return current_pack().improvement_step(step).name
    except (NoPolicyPack, StopIteration):
        return ""


def project_evidence_choices(employee) -> list[tuple[int, str]]:
    """(project id, "件名（ステップN 名前 / 状態・役割）") for the person's projects, newest first."""
    if employee is None or employee.pk is None:
        return []
    participating = ProjectParticipant.objects.filter(employee_id=employee.pk).values("project_id")
    rows = (
        Project.objects.filter(Q(leader_id=employee.pk) | Q(pk__in=participating))
        .order_by("-created_at", "-pk")
        .only("pk", "title", "step", "status", "leader_id")[:LIMIT]
    )
    out = []
    for p in rows:
        if p.status == ProjectStatus.ACTIVE:
            name = _step_name(p.step)
            where = f"ステップ{p.step}" + (f" {name}" if name else "")
        else:
            where = p.get_status_display()
        role = "リーダー" if p.leader_id == employee.pk else "参加"
        out.append((p.pk, f"{p.title}（{where}・{role}）"))
    return out
