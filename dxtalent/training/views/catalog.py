"""Pages every employee uses: the catalog and applying, a run's sessions, my training."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dxtalent.core.wareki import fiscal_year
from dxtalent.org import access
from dxtalent.org.access import Action

from .. import selectors, services
from ..errors import WorkflowError
from ..forms import CatalogFilterForm
from ..models import CourseRun, Delivery, Enrollment
from .common import back, context, is_htmx

PAGE_SIZE = 20


@access.require(Action.VIEW_CATALOG)
def catalog(request):
    today = timezone.localdate()
    fy = fiscal_year(today)
    form = CatalogFilterForm(request.GET or None)
    filters = form.to_filter()
    page = Paginator(selectors.catalog_courses(filters, fiscal_year=fy, day=today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    me = access.employee_of(request.user)
    runs = selectors.catalog_runs(
        page.object_list, employee=me, fiscal_year=fy, day=today, include_closed=filters.include_closed
    )
    talent_types = selectors.talent_type_labels()
    ctx = context(
        request,
        "catalog",
        form=form,
        filters=filters,
        fiscal_year=fy,
        page=page,
        courses=[(c, runs.get(c.pk, [])) for c in page.object_list],
        talent_types=talent_types,
        deliveries=Delivery.choices,
        providers=selectors.providers(),
        me=me,
    )
    template = (
        "training/catalog.html#results" if is_htmx(request) and not request.GET.get("full") else "training/catalog.html"
    )
    return render(request, template, ctx)


def _run_row(run: CourseRun, me):
    rows = selectors.catalog_runs([run.course], employee=me, fiscal_year=run.fiscal_year, include_closed=True)
    return next(r for r in rows[run.course_id] if r.run.pk == run.pk)


@require_POST
@access.require(Action.VIEW_CATALOG)
def apply(request, pk: int):
    run = get_object_or_404(CourseRun.objects.select_related("course"), pk=pk)
    me = access.employee_of(request.user)
    notice, level = "", "success"
    if me is None:
        notice, level = "職員として登録されていないため申し込めません。", "error"
    else:
        try:
            enrollment = services.enrollment_apply(employee=me, run=run, by=request.user)
        except WorkflowError as exc:
            notice, level = exc.message, "error"
        else:
            notice = _applied_message(enrollment)
    if is_htmx(request) and me is not None:
        row = _run_row(run, me)
        return render(
            request, "training/catalog.html#run_row", {"row": row, "me": me, "notice": notice, "level": level}
        )
    (messages.success if level == "success" else messages.error)(request, notice)
    return back(request, "training:catalog")


def _applied_message(enrollment: Enrollment) -> str:
    title = enrollment.run.title
    if enrollment.status == "waitlisted":
        return (
            f"「{title}」は定員に達しているため、キャンセル待ち（{enrollment.waitlist_position}番目）で受け付けました。"
        )
    if enrollment.status == "approved":
        return f"「{title}」に申し込みました（承認は不要です。受講が決まりました）。"
    return f"「{title}」に申し込みました。所属長の承認をお待ちください。"


@require_POST
@access.require(Action.VIEW_CATALOG)
def cancel(request, pk: int):
    enrollment = get_object_or_404(Enrollment.objects.select_related("run", "employee"), pk=pk)
    try:
        services.enrollment_cancel(enrollment=enrollment, by=request.user)
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"「{enrollment.run.title}」の申込を取り消しました。")
    return back(request, "training:my_training")


@access.require(Action.VIEW_CATALOG)
def run_detail(request, pk: int):
    try:
        run = selectors.run_with_counts(pk)
    except CourseRun.DoesNotExist:
        raise Http404("この開講は見つかりません。") from None
    me = access.employee_of(request.user)
    mine = Enrollment.objects.filter(run=run, employee=me).first() if me else None
    ctx = context(
        request,
        "catalog",
        run=run,
        course=run.course,
        sessions=selectors.run_sessions(run),
        seats_left=selectors.seats_left(run),
        mine=mine,
        me=me,
        problem=services.application_problem(run),
        can_cancel=mine is not None and services.can(services.Event.CANCEL, mine.status),
        phases=selectors.phase_labels(),
        talent_types=selectors.talent_type_labels(),
        can_manage=access.may(request.user, Action.MANAGE_TRAINING),
    )
    return render(request, "training/run_detail.html", ctx)


@access.require(Action.VIEW_CATALOG)
def my_training(request):
    me = access.employee_of(request.user)
    today = timezone.localdate()
    fy = fiscal_year(today)
    try:
        chosen = int(request.GET.get("fy") or fy)
    except ValueError:
        chosen = fy
    if not fy - 50 <= chosen <= fy + 1:
        chosen = fy
    ctx = context(request, "mine", me=me, fiscal_year=fy, chosen_year=chosen)
    if me is not None:
        enrollments = selectors.my_enrollments(me)
        for e in enrollments:
            e.can_cancel = services.can(services.Event.CANCEL, e.status)
        years = selectors.hours_by_year(me)
        ctx.update(
            enrollments=enrollments,
            ledger=selectors.hours_ledger(me, chosen),
            years=years,
            year_options=sorted({fy, chosen, *(y.fiscal_year for y in years)}, reverse=True),
            phases=selectors.phase_labels(),
        )
    return render(request, "training/my_training.html", ctx)
