"""The attendance sheet of one session (one screen, one submit) and the attendance exports."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from dxtalent.core.exports import export_response
from dxtalent.core.wareki import fiscal_year, format_fiscal_year
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import OrgKind
from dxtalent.org.selectors import org_snapshot

from .. import selectors, services
from ..errors import AttendanceSheetError
from ..forms import UnitExportForm
from ..models import AttendanceStatus, CourseRun, Session
from .common import context

manage = access.require(Action.MANAGE_TRAINING)


@manage
def attendance(request, pk: int):
    try:
        session = selectors.sheet_session(pk)
    except Session.DoesNotExist:
        raise Http404("この研修日は見つかりません。") from None
    rows = selectors.attendance_sheet(session)
    posted, row_errors, general = {}, {}, []
    if request.method == "POST":
        entries = []
        for row in rows:
            pk_ = row.enrollment.pk
            status = request.POST.get(f"status-{pk_}", "")
            hours = request.POST.get(f"hours-{pk_}", "")
            posted[pk_] = (status, hours)
            entries.append((row.enrollment, status, hours))
        try:
            services.attendance_record(session=session, entries=entries, by=request.user)
        except AttendanceSheetError as exc:
            row_errors, general = exc.row_errors, exc.general
        else:
            counts = {s: 0 for s in AttendanceStatus}
            for status, _hours in posted.values():
                if status in counts:
                    counts[status] += 1
            summary = "、".join(f"{s.label} {n}人" for s, n in counts.items() if n)
            messages.success(request, f"出欠を記録しました（{summary}）。")
            return redirect("training:attendance", session.pk)
    snapshot = org_snapshot()
    sheet = []
    for row in rows:
        e = row.enrollment
        if e.pk in posted:
            status, hours = posted[e.pk]
        elif row.attendance is not None:
            status = row.attendance.status
            hours = f"{row.attendance.hours.normalize():f}" if status == AttendanceStatus.PARTIAL else ""
        else:
            status, hours = AttendanceStatus.PRESENT, ""
        sheet.append(
            {
                "row": row,
                "unit": selectors.unit_label(e.employee, snapshot),
                "status": status,
                "hours": hours,
                "error": row_errors.get(e.pk, ""),
            }
        )
    ctx = context(
        request,
        "manage",
        session=session,
        run=session.run,
        sheet=sheet,
        statuses=AttendanceStatus.choices,
        errors=row_errors,
        general=general,
        error_count=len(row_errors) + len(general),
        recorded=sum(1 for r in rows if r.attendance is not None),
        is_future=session.date > timezone.localdate(),
        phases=selectors.phase_labels(),
    )
    return render(request, "training/attendance.html", ctx)


@manage
def export_run(request, pk: int):
    run = get_object_or_404(CourseRun.objects.select_related("course"), pk=pk)
    rows = selectors.run_attendance_rows(run, org_snapshot(), selectors.phase_labels())
    return export_response(
        user=request.user,
        fmt="xlsx",
        filename=f"出欠_{run.course.code}_{format_fiscal_year(run.fiscal_year)}",
        headers=selectors.RUN_EXPORT_HEADERS,
        rows=rows,
        kind="出欠（開講別）",
        filters={"run": run.pk},
        personal=True,
    )


@manage
def export_unit(request):
    form = UnitExportForm(request.GET or None)
    snapshot = org_snapshot()
    units = [n for n in snapshot.flat() if n.kind in (OrgKind.KYOKU, OrgKind.KU, OrgKind.BU, OrgKind.KA)]
    if request.GET.get("download") and form.is_valid():
        fy = form.cleaned_data["fiscal_year"]
        unit_id = form.cleaned_data.get("unit")
        if unit_id and unit_id not in snapshot.nodes:
            form.add_error("unit", "この所属は今日時点の組織にありません。")
        else:
            rows = selectors.unit_attendance_rows(
                request.user, fiscal_year=fy, unit_id=unit_id, phase_names=selectors.phase_labels()
            )
            label = snapshot.nodes[unit_id].name if unit_id else "全庁"
            return export_response(
                user=request.user,
                fmt="xlsx",
                filename=f"出欠_{label}_{format_fiscal_year(fy)}",
                headers=selectors.UNIT_EXPORT_HEADERS,
                rows=rows,
                kind="出欠（所属別）",
                filters={"fiscal_year": fy, "unit": unit_id},
                personal=True,
            )
    ctx = context(
        request,
        "export",
        form=form,
        units=units,
        chosen_unit=form.cleaned_data.get("unit") if form.is_bound and form.is_valid() else None,
        chosen_year=form.cleaned_data["fiscal_year"]
        if form.is_bound and form.is_valid()
        else fiscal_year(timezone.localdate()),
    )
    return render(request, "training/attendance_export_unit.html", ctx)
