"""Secretariat / hr: courses, runs, sessions (incl. 補講), a run's roster and its enrollment decisions."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dxtalent.core.text import normalize
from dxtalent.core.wareki import fiscal_year
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import Employee
from dxtalent.org.selectors import org_snapshot

from .. import selectors, services
from ..errors import WorkflowError
from ..forms import CourseForm, EnrollForm, RunForm, SessionForm, add_service_errors
from ..models import Course, CourseRun, Delivery, Enrollment, Session
from .common import back, context

manage = access.require(Action.MANAGE_TRAINING)
PAGE_SIZE = 50


@manage
def courses(request):
    q = normalize(request.GET.get("q"))
    fy = fiscal_year(timezone.localdate())
    qs = Course.objects.annotate(
        runs_this_year=Count("runs", filter=Q(runs__fiscal_year=fy)), runs_total=Count("runs")
    ).order_by("code")
    if q:
        qs = qs.filter(
            Q(code__icontains=q) | Q(title__icontains=q) | Q(provider__icontains=q) | Q(vendor_code__icontains=q)
        )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = context(request, "manage", page=page, q=q, fiscal_year=fy, talent_types=selectors.talent_type_labels())
    return render(request, "training/manage/courses.html", ctx)


def _course_values(form) -> dict:
    d = form.cleaned_data
    return {
        k: d[k]
        for k in (
            "code",
            "title",
            "delivery",
            "provider",
            "talent_type",
            "hours",
            "description",
            "vendor_code",
            "is_active",
        )
    }


@manage
def course_create(request):
    talent_types = selectors.talent_type_labels()
    form = CourseForm(
        request.POST or None, talent_types=talent_types, initial={"is_active": True, "talent_type": "general"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(**_course_values(form), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"講座「{course.title}」を登録しました。続けて開講を登録してください。")
            return redirect("training:manage_course", course.pk)
    return render(request, "training/manage/course_form.html", context(request, "manage", form=form, course=None))


@manage
def course_edit(request, pk: int):
    course = get_object_or_404(Course, pk=pk)
    initial = {
        k: getattr(course, k)
        for k in ("code", "title", "delivery", "provider", "talent_type", "description", "vendor_code", "is_active")
    }
    initial["hours"] = f"{course.hours.normalize():f}"
    form = CourseForm(request.POST or None, talent_types=selectors.talent_type_labels(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_update(course=course, **_course_values(form), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"講座「{form.cleaned_data['title']}」を更新しました。")
            return redirect("training:manage_course", course.pk)
    return render(request, "training/manage/course_form.html", context(request, "manage", form=form, course=course))


@manage
def course_detail(request, pk: int):
    course = get_object_or_404(Course, pk=pk)
    runs = list(course.runs.annotate(**selectors.run_annotations()).order_by("-fiscal_year", "first_date", "pk"))
    for run in runs:
        run.left = selectors.seats_left(run)
    ctx = context(
        request,
        "manage",
        course=course,
        runs=runs,
        talent_types=selectors.talent_type_labels(),
        delivery_label=Delivery(course.delivery).label,
    )
    return render(request, "training/manage/course_detail.html", ctx)


def _run_values(form) -> dict:
    d = form.cleaned_data
    return {
        k: d[k]
        for k in ("fiscal_year", "title", "program", "capacity", "approval_required", "apply_from", "apply_until")
    }


@manage
def run_create(request, pk: int):
    course = get_object_or_404(Course, pk=pk)
    form = RunForm(request.POST or None, initial={"approval_required": True, "program": CourseRun.Program.GENERAL})
    if request.method == "POST" and form.is_valid():
        try:
            run = services.run_create(course=course, **_run_values(form), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"開講「{run.title}」を登録しました。研修日を登録してください。")
            return redirect("training:manage_run", run.pk)
    return render(
        request, "training/manage/run_form.html", context(request, "manage", form=form, course=course, run=None)
    )


@manage
def run_edit(request, pk: int):
    run = get_object_or_404(CourseRun.objects.select_related("course"), pk=pk)
    initial = {
        k: getattr(run, k)
        for k in ("fiscal_year", "title", "program", "capacity", "approval_required", "apply_from", "apply_until")
    }
    form = RunForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = _run_values(form)
        fy = values.pop("fiscal_year")
        try:
            if fy != run.fiscal_year:
                raise ValidationError(
                    {"fiscal_year": ["年度は変更できません。別の年度の開講を新しく登録してください。"]}
                )
            services.run_update(run=run, **values, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"開講「{values['title'] or run.title}」を更新しました。")
            return redirect("training:manage_run", run.pk)
    return render(
        request, "training/manage/run_form.html", context(request, "manage", form=form, course=run.course, run=run)
    )


@manage
def run_roster(request, pk: int):
    try:
        run = selectors.run_with_counts(pk)
    except CourseRun.DoesNotExist:
        raise Http404("この開講は見つかりません。") from None
    roster = selectors.run_roster(run)
    snapshot = org_snapshot()
    sessions = selectors.run_sessions(run)
    # runs of the leader curriculum: hours per phase (make-ups included) against the planned hours
    planned: dict[str, Decimal] = {}
    for s in sessions:
        if s.phase_code and not s.is_makeup:
            planned[s.phase_code] = planned.get(s.phase_code, Decimal(0)) + s.hours
    credited = selectors.run_phase_hours(run) if planned else {}
    rows = [
        (
            e,
            selectors.unit_label(e.employee, snapshot),
            [ev for ev in services.allowed_events(e.status) if ev in services.ACTIONS],
            [(code, credited.get(e.pk, {}).get(code, Decimal(0))) for code in planned],
        )
        for e in roster
    ]
    ctx = context(
        request,
        "manage",
        run=run,
        course=run.course,
        sessions=sessions,
        rows=rows,
        planned=planned,
        seats_left=selectors.seats_left(run),
        phases=selectors.phase_labels(),
        enroll_form=EnrollForm(),
        labels=services.EVENT_LABELS,
        today=timezone.localdate(),
    )
    return render(request, "training/manage/run.html", ctx)


@require_POST
@manage
def enroll(request, pk: int):
    run = get_object_or_404(CourseRun, pk=pk)
    form = EnrollForm(request.POST)
    if not form.is_valid():
        messages.error(request, "職員番号を入力してください。")
        return redirect("training:manage_run", run.pk)
    employee = Employee.objects.filter(number=form.cleaned_data["number"]).first()
    if employee is None:
        messages.error(request, f"職員番号「{form.cleaned_data['number']}」の職員は登録されていません。")
        return redirect("training:manage_run", run.pk)
    try:
        services.enrollment_enroll(employee=employee, run=run, by=request.user)
    except WorkflowError as exc:
        messages.error(request, f"{employee.name}さん: {exc.message}")
    else:
        messages.success(request, f"{employee.name}さんを受講者（承認）として登録しました。")
    return redirect("training:manage_run", run.pk)


@require_POST
@manage
def enrollment_action(request, pk: int, event: str):
    enrollment = get_object_or_404(Enrollment.objects.select_related("run", "employee"), pk=pk)
    try:
        action = services.ACTIONS[services.Event(event)]
    except (ValueError, KeyError):
        raise Http404("この操作はありません。") from None
    try:
        action(enrollment=enrollment, by=request.user, note=normalize(request.POST.get("note")))
    except WorkflowError as exc:
        messages.error(request, f"{enrollment.employee.name}さん: {exc.message}")
    else:
        label = services.EVENT_LABELS[services.Event(event)]
        messages.success(request, f"{enrollment.employee.name}さんの申込を「{label}」にしました。")
    return back(request, "training:manage_run", enrollment.run_id)


def _session_values(form) -> dict:
    d = form.cleaned_data
    keys = ("number", "date", "start_time", "end_time", "place", "capacity", "hours", "phase_code")
    return {k: d[k] for k in keys if k in d}


@manage
def session_create(request, pk: int):
    run = get_object_or_404(CourseRun.objects.select_related("course"), pk=pk)
    original = None
    makeup_for = request.POST.get("makeup_for") or request.GET.get("makeup_for")
    if makeup_for:
        original = get_object_or_404(Session, pk=makeup_for, run=run)
    phases = selectors.phase_labels()
    initial = {}
    if original is None:
        last = run.sessions.filter(is_makeup=False).order_by("-date").first()
        if last is not None:
            initial = {
                "start_time": last.start_time,
                "end_time": last.end_time,
                "place": last.place,
                "hours": f"{last.hours.normalize():f}",
                "phase_code": last.phase_code,
            }
    else:
        initial = {
            "start_time": original.start_time,
            "end_time": original.end_time,
            "place": original.place,
            "hours": f"{original.hours.normalize():f}",
        }
    form = SessionForm(request.POST or None, phases=phases, makeup=original is not None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                run=run, **_session_values(form), is_makeup=original is not None, makeup_for=original, by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            kind = "補講" if session.is_makeup else f"第{session.number}回"
            messages.success(request, f"{kind}（{session.date:%Y-%m-%d}）を登録しました。")
            return redirect("training:manage_run", run.pk)
    ctx = context(
        request, "manage", form=form, run=run, course=run.course, original=original, session=None, phases=phases
    )
    return render(request, "training/manage/session_form.html", ctx)


@manage
def session_edit(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("run__course", "makeup_for"), pk=pk)
    phases = selectors.phase_labels()
    keys = ("number", "date", "start_time", "end_time", "place", "capacity", "phase_code")
    initial = {k: getattr(session, k) for k in keys}
    initial["hours"] = f"{session.hours.normalize():f}"
    form = SessionForm(request.POST or None, phases=phases, makeup=session.is_makeup, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = _session_values(form)
        if values.get("number") is None:
            values.pop("number", None)
        try:
            services.session_update(session=session, **values, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "研修日を更新しました。")
            return redirect("training:manage_run", session.run_id)
    ctx = context(
        request,
        "manage",
        form=form,
        run=session.run,
        course=session.run.course,
        original=session.makeup_for,
        session=session,
        phases=phases,
    )
    return render(request, "training/manage/session_form.html", ctx)
