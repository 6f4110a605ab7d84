"""Managers (and the secretariat / hr) approve or reject their staff's applications."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.selectors import org_snapshot

from .. import selectors, services
from ..errors import WorkflowError
from ..forms import DecisionForm
from ..models import Enrollment
from .common import back, context, is_htmx


@access.require(Action.APPROVE_ENROLLMENTS)
def approvals(request):
    rows = list(selectors.pending_approvals(request.user))
    snapshot = org_snapshot()
    ctx = context(request, "approvals", rows=[(e, selectors.unit_label(e.employee, snapshot)) for e in rows])
    return render(request, "training/approvals.html", ctx)


@require_POST
@access.require(Action.APPROVE_ENROLLMENTS)
def decide(request, pk: int):
    enrollment = get_object_or_404(Enrollment.objects.select_related("run", "employee"), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        notice, level = "承認または不承認を選んでください。", "error"
    else:
        approve = form.cleaned_data["decision"] == "approve"
        try:  # PermissionDenied (another 課's staff, one's own application) becomes a 403
            services.enrollment_decide(
                enrollment=enrollment, approve=approve, by=request.user, note=form.cleaned_data["note"]
            )
        except WorkflowError as exc:
            notice, level = exc.message, "error"
        else:
            verb = "承認" if approve else "不承認に"
            notice, level = (
                f"{enrollment.employee.name}さんの「{enrollment.run.title}」への申込を{verb}しました。",
                "success",
            )
    if is_htmx(request):
        enrollment.refresh_from_db()
        return render(
            request,
            "training/approvals.html#decided_row",
            {"e": enrollment, "notice": notice, "level": level},
        )
    (messages.success if level == "success" else messages.error)(request, notice)
    return back(request, "training:approvals")
