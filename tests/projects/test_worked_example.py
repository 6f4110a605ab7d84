"""The policy's worked example driven end to end through the services."""

from decimal import Decimal

from dxtalent.projects.models import ProjectEvent, ProjectEventKind, ProjectStatus
from tests.projects import builders as b


def test_worked_example_reproduces_5h_15h_and_10h_per_month(pack, manager, koseki):
    p = b.worked_example(manager, koseki)
    p.refresh_from_db()
    assert p.status == ProjectStatus.DONE
    assert p.title == "照会業務の進捗管理の可視化・DB化"
    assert p.as_is == "各照会内容をそれぞれの担当者しか状況把握できていない"
    assert p.to_be == "担当・期限・状況を可視化できる一元的なタスク管理"
    assert p.analysis_hours_actual == Decimal("5")
    assert p.trial_hours_actual == Decimal("15")
    assert "期限切れ" in p.trial and "未着手" in p.trial
    assert p.operating_rule == "照会案件は必ずこのアプリに登録すること"
    assert p.saving_hours == Decimal("10")
    assert p.planned_saving_hours == Decimal("10")
    assert p.verified_fiscal_year is not None
    kinds = list(ProjectEvent.objects.filter(project=p).values_list("kind", "from_step", "to_step"))
    assert kinds == [
        (ProjectEventKind.CREATED, None, 1),
        (ProjectEventKind.COMPLETED, 1, 2),
        (ProjectEventKind.COMPLETED, 2, 3),
        (ProjectEventKind.COMPLETED, 3, 4),
        (ProjectEventKind.COMPLETED, 4, None),
    ]
    days = list(ProjectEvent.objects.filter(project=p, kind="completed").values_list("days_in_step", flat=True))
    assert days == [3, 11, 21, 15]
    assert p.cohort_id is not None
    assert p.history.count() >= 8
