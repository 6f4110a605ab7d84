"""A person's training record: their manager (own 課), liaison (own 局区), hr, the secretariat, and themself."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from dxtalent.org.models import Employee
from dxtalent.org.selectors import current_assignment, org_snapshot

from .. import selectors
from ..permissions import may_view_record
from .common import context


def record(request, pk: int):
    employee = get_object_or_404(Employee.objects.select_related("job_type"), pk=pk)
    if not may_view_record(request.user, employee):
        raise PermissionDenied("この職員の研修履歴を見る権限がありません。")
    current = current_assignment(employee)
    data = selectors.training_record(employee)
    ctx = context(
        request,
        "record",
        employee=employee,
        unit_label=org_snapshot().label_of(current.unit_id) if current else "",
        record=data,
        phases=selectors.phase_labels(),
    )
    return render(request, "training/record.html", ctx)
