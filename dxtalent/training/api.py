"""REST API of the training engine (/api/v1/training/…), over the same services, selectors and access rules as
the pages:
- courses, runs, sessions: everyone may read (VIEW_CATALOG); the secretariat / hr (MANAGE_TRAINING) may POST/PATCH;
- enrollments: the list is scoped (oneself, and staff one may see); POST applies (oneself; others only for the
  secretariat / hr); actions approve / reject / cancel / start / complete / incomplete / reopen answer 409 when the
  workflow does not allow them, 403 when the user may not, 404 for rows the user may not see;
- attendance of a session: GET the sheet, POST a whole sheet (all or nothing; 400 with each bad row's message).
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from dxtalent.core.api import Conflict
from dxtalent.core.text import normalize
from dxtalent.core.wareki import fiscal_year as fiscal_year_of
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.api import ERRORS, NOT_FOUND, ScopedAPIView
from dxtalent.org.api_serializers import ErrorSerializer
from dxtalent.org.models import Employee

from . import selectors, services
from .api_serializers import (
    AttendanceSheetInputSerializer,
    AttendanceSheetSerializer,
    CourseInputSerializer,
    CourseQuerySerializer,
    CourseSerializer,
    EnrollmentActionSerializer,
    EnrollmentInputSerializer,
    EnrollmentQuerySerializer,
    EnrollmentSerializer,
    LedgerQuerySerializer,
    LedgerSerializer,
    RunInputSerializer,
    RunQuerySerializer,
    RunSerializer,
    SessionInputSerializer,
    SessionQuerySerializer,
    SessionSerializer,
)
from .errors import AttendanceSheetError, WorkflowError
from .models import Course, CourseRun, Delivery, Enrollment, EnrollmentStatus, Session
from .permissions import may_view_record
from .services import ACTIONS, EVENT_LABELS, Event

TAG = ["研修"]
CONFLICT = {409: OpenApiResponse(ErrorSerializer, description="今の状態ではできない操作（申込の流れに反する）")}
WRITE_ERRORS = {**ERRORS, **NOT_FOUND}


class TrainingAPIView(ScopedAPIView):
    """Reading needs `read_action`; writing (POST/PATCH) needs `write_action`."""

    read_action: Action | None = Action.VIEW_CATALOG
    write_action: Action | None = Action.MANAGE_TRAINING

    @property
    def required_action(self):
        return self.read_action if self.request.method in ("GET", "HEAD", "OPTIONS") else self.write_action

    def body(self, serializer_class, *, partial: bool = False) -> dict:
        serializer = serializer_class(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def call(self, fn, **kwargs):
        """Run a service: WorkflowError → 409; ValidationError and PermissionDenied go to the error handler."""
        try:
            return fn(**kwargs)
        except WorkflowError as exc:
            raise Conflict(exc.message) from None


# ---------------------------------------------------------------- rows


def course_row(c: Course) -> dict:
    return {
        "id": c.pk,
        "code": c.code,
        "title": c.title,
        "delivery": c.delivery,
        "delivery_label": Delivery(c.delivery).label,
        "provider": c.provider,
        "talent_type": c.talent_type,
        "hours": c.hours,
        "description": c.description,
        "vendor_code": c.vendor_code,
        "is_active": c.is_active,
    }


def run_row(r: CourseRun) -> dict:
    """A run annotated with selectors.run_annotations() and its course selected."""
    problem = services.application_problem(r)
    return {
        "id": r.pk,
        "course": {"id": r.course.pk, "code": r.course.code, "name": r.course.title},
        "fiscal_year": r.fiscal_year,
        "title": r.title,
        "program": r.program,
        "capacity": r.capacity,
        "approval_required": r.approval_required,
        "apply_from": r.apply_from,
        "apply_until": r.apply_until,
        "seats_taken": r.seats_taken,
        "seats_left": selectors.seats_left(r),
        "waiting": r.waiting,
        "session_count": r.session_count,
        "first_date": r.first_date,
        "last_date": r.last_date,
        "accepting": problem is None,
        "closed_reason": problem or "",
    }


def session_row(s: Session) -> dict:
    return {
        "id": s.pk,
        "run": s.run_id,
        "number": s.number,
        "date": s.date,
        "start_time": s.start_time,
        "end_time": s.end_time,
        "place": s.place,
        "capacity": s.capacity,
        "hours": s.hours,
        "phase_code": s.phase_code,
        "is_makeup": s.is_makeup,
        "makeup_for": s.makeup_for_id,
    }


def enrollment_row(e: Enrollment) -> dict:
    run = e.run
    return {
        "id": e.pk,
        "run": {
            "id": run.pk,
            "title": run.title,
            "fiscal_year": run.fiscal_year,
            "course": {"id": run.course.pk, "code": run.course.code, "name": run.course.title},
        },
        "employee": {"id": e.employee.pk, "code": e.employee.number, "name": e.employee.name},
        "status": e.status,
        "status_label": EnrollmentStatus(e.status).label,
        "waitlist_position": e.waitlist_position,
        "applied_at": e.applied_at,
        "decided_at": e.decided_at,
        "note": e.note,
        "allowed_actions": [ev.value for ev in services.allowed_events(e.status) if ev in ACTIONS],
    }


def _runs():
    return CourseRun.objects.select_related("course").annotate(**selectors.run_annotations())


# ---------------------------------------------------------------- courses


class CourseListView(TrainingAPIView):
    serializer_class = CourseSerializer

    @extend_schema(
        operation_id="training_courses_list",
        summary="講座の一覧",
        parameters=[CourseQuerySerializer],
        responses={200: CourseSerializer(many=True), **ERRORS},
        tags=TAG,
    )
    def get(self, request):
        q = self.query(CourseQuerySerializer)
        qs = Course.objects.order_by("code", "pk")
        if q.get("search"):
            word = normalize(q["search"])
            qs = qs.filter(Q(title__icontains=word) | Q(code__icontains=word) | Q(provider__icontains=word))
        for key in ("delivery", "talent_type"):
            if q.get(key):
                qs = qs.filter(**{key: q[key]})
        if q.get("is_active") is not None:
            qs = qs.filter(is_active=q["is_active"])
        return self.paginated([course_row(c) for c in self.paginate_queryset(qs)])

    @extend_schema(
        operation_id="training_courses_create",
        summary="講座の登録（事務局・職員部）",
        request=CourseInputSerializer,
        responses={201: CourseSerializer, **ERRORS},
        tags=TAG,
    )
    def post(self, request):
        data = self.body(CourseInputSerializer)
        course = self.call(services.course_create, **data, by=request.user)
        return Response(CourseSerializer(course_row(course)).data, status=status.HTTP_201_CREATED)


class CourseDetailView(TrainingAPIView):
    serializer_class = CourseSerializer

    @extend_schema(
        operation_id="training_courses_retrieve",
        summary="講座",
        responses={200: CourseSerializer, **WRITE_ERRORS},
        tags=TAG,
    )
    def get(self, request, pk: int):
        return Response(CourseSerializer(course_row(get_object_or_404(Course, pk=pk))).data)

    @extend_schema(
        operation_id="training_courses_partial_update",
        summary="講座の変更（事務局・職員部）",
        request=CourseInputSerializer,
        responses={200: CourseSerializer, **WRITE_ERRORS},
        tags=TAG,
    )
    def patch(self, request, pk: int):
        course = get_object_or_404(Course, pk=pk)
        data = self.body(CourseInputSerializer, partial=True)
        course = self.call(services.course_update, course=course, **data, by=request.user)
        return Response(CourseSerializer(course_row(course)).data)


# ---------------------------------------------------------------- runs


class RunListView(TrainingAPIView):
    serializer_class = RunSerializer

    @extend_schema(
        operation_id="training_runs_list",
        summary="開講の一覧（残席・キャンセル待ち人数つき）",
        parameters=[RunQuerySerializer],
        responses={200: RunSerializer(many=True), **ERRORS},
        tags=TAG,
    )
    def get(self, request):
        q = self.query(RunQuerySerializer)
        qs = _runs().order_by("-fiscal_year", "course__code", "pk")
        if q.get("course"):
            qs = qs.filter(course_id=q["course"])
        if q.get("fiscal_year"):
            qs = qs.filter(fiscal_year=q["fiscal_year"])
        if q.get("program"):
            qs = qs.filter(program=q["program"])
        return self.paginated([run_row(r) for r in self.paginate_queryset(qs)])

    @extend_schema(
        operation_id="training_runs_create",
        summary="開講の登録（事務局・職員部）",
        request=RunInputSerializer,
        responses={201: RunSerializer, **ERRORS},
        tags=TAG,
    )
    def post(self, request):
        data = self.body(RunInputSerializer)
        course = Course.objects.filter(pk=data.pop("course")).first()
        if course is None:
            raise exceptions.ValidationError({"course": ["この講座はありません。"]})
        run = self.call(services.run_create, course=course, **data, by=request.user)
        return Response(RunSerializer(run_row(_runs().get(pk=run.pk))).data, status=status.HTTP_201_CREATED)


class RunDetailView(TrainingAPIView):
    serializer_class = RunSerializer

    @extend_schema(
        operation_id="training_runs_retrieve", summary="開講", responses={200: RunSerializer, **WRITE_ERRORS}, tags=TAG
    )
    def get(self, request, pk: int):
        return Response(RunSerializer(run_row(get_object_or_404(_runs(), pk=pk))).data)

    @extend_schema(
        operation_id="training_runs_partial_update",
        summary="開講の変更（事務局・職員部）。定員を増やすとキャンセル待ちが繰り上がる",
        request=RunInputSerializer,
        responses={200: RunSerializer, **WRITE_ERRORS},
        tags=TAG,
    )
    def patch(self, request, pk: int):
        run = get_object_or_404(CourseRun, pk=pk)
        data = self.body(RunInputSerializer, partial=True)
        fixed = {k: "作成後は変更できません。" for k in ("course", "fiscal_year") if k in data}
        if fixed:
            raise exceptions.ValidationError({k: [v] for k, v in fixed.items()})
        self.call(services.run_update, run=run, **data, by=request.user)
        return Response(RunSerializer(run_row(_runs().get(pk=pk))).data)


# ---------------------------------------------------------------- sessions


class SessionListView(TrainingAPIView):
    serializer_class = SessionSerializer

    @extend_schema(
        operation_id="training_sessions_list",
        summary="研修日の一覧（補講を含む）",
        parameters=[SessionQuerySerializer],
        responses={200: SessionSerializer(many=True), **ERRORS},
        tags=TAG,
    )
    def get(self, request):
        q = self.query(SessionQuerySerializer)
        qs = Session.objects.order_by("date", "start_time", "number", "pk")
        if q.get("run"):
            qs = qs.filter(run_id=q["run"])
        return self.paginated([session_row(s) for s in self.paginate_queryset(qs)])

    @extend_schema(
        operation_id="training_sessions_create",
        summary="研修日・補講の登録（事務局・職員部）",
        description="makeup_for を指定すると補講になり、対象回のフェーズと回を引き継ぎます。",
        request=SessionInputSerializer,
        responses={201: SessionSerializer, **ERRORS},
        tags=TAG,
    )
    def post(self, request):
        data = self.body(SessionInputSerializer)
        run = CourseRun.objects.filter(pk=data.pop("run")).first()
        if run is None:
            raise exceptions.ValidationError({"run": ["この開講はありません。"]})
        makeup_for = data.pop("makeup_for")
        original = None
        if makeup_for is not None:
            original = Session.objects.filter(pk=makeup_for).first()
            if original is None:
                raise exceptions.ValidationError({"makeup_for": ["この研修日はありません。"]})
        session = self.call(
            services.session_create,
            run=run,
            **data,
            is_makeup=original is not None,
            makeup_for=original,
            by=request.user,
        )
        return Response(SessionSerializer(session_row(session)).data, status=status.HTTP_201_CREATED)


class SessionDetailView(TrainingAPIView):
    serializer_class = SessionSerializer

    @extend_schema(
        operation_id="training_sessions_retrieve",
        summary="研修日",
        responses={200: SessionSerializer, **WRITE_ERRORS},
        tags=TAG,
    )
    def get(self, request, pk: int):
        return Response(SessionSerializer(session_row(get_object_or_404(Session, pk=pk))).data)

    @extend_schema(
        operation_id="training_sessions_partial_update",
        summary="研修日の変更（事務局・職員部）",
        request=SessionInputSerializer,
        responses={200: SessionSerializer, **WRITE_ERRORS},
        tags=TAG,
    )
    def patch(self, request, pk: int):
        session = get_object_or_404(Session, pk=pk)
        data = self.body(SessionInputSerializer, partial=True)
        fixed = {k: "作成後は変更できません。" for k in ("run", "makeup_for") if k in data}
        if fixed:
            raise exceptions.ValidationError({k: [v] for k, v in fixed.items()})
        session = self.call(services.session_update, session=session, **data, by=request.user)
        return Response(SessionSerializer(session_row(session)).data)


# ---------------------------------------------------------------- enrollments


def _visible_enrollments(user):
    return selectors.enrollments_visible_to(user).select_related("run__course", "employee")


class EnrollmentListView(TrainingAPIView):
    serializer_class = EnrollmentSerializer
    read_action = None  # scoped by rows: oneself, and staff one may see
    write_action = Action.VIEW_CATALOG

    @extend_schema(
        operation_id="training_enrollments_list",
        summary="受講申込の一覧",
        description=(
            "自分の申込と、閲覧できる職員（管理職: 担当課、局区担当: 担当局区、事務局・職員部: 全員）の申込を返します。"
        ),
        parameters=[EnrollmentQuerySerializer],
        responses={200: EnrollmentSerializer(many=True), **ERRORS},
        tags=TAG,
    )
    def get(self, request):
        q = self.query(EnrollmentQuerySerializer)
        qs = _visible_enrollments(request.user).order_by("-run__fiscal_year", "run_id", "applied_at", "pk")
        if q.get("run"):
            qs = qs.filter(run_id=q["run"])
        if q.get("employee"):
            qs = qs.filter(employee_id=q["employee"])
        if q.get("status"):
            qs = qs.filter(status=q["status"])
        if q.get("fiscal_year"):
            qs = qs.filter(run__fiscal_year=q["fiscal_year"])
        return self.paginated([enrollment_row(e) for e in self.paginate_queryset(qs)])

    @extend_schema(
        operation_id="training_enrollments_create",
        summary="受講の申込",
        description="定員に達していればキャンセル待ち、承認不要の開講なら承認になります。受付期間外・二重申込は 409。",
        request=EnrollmentInputSerializer,
        responses={201: EnrollmentSerializer, **ERRORS, **CONFLICT},
        tags=TAG,
    )
    def post(self, request):
        data = self.body(EnrollmentInputSerializer)
        run = CourseRun.objects.select_related("course").filter(pk=data["run"]).first()
        if run is None:
            raise exceptions.ValidationError({"run": ["この開講はありません。"]})
        if data["employee"] is None:
            employee = access.employee_of(request.user)
            if employee is None:
                raise exceptions.ValidationError(
                    {"employee": ["職員として登録されていないため、申し込む職員を指定してください。"]}
                )
        else:
            employee = access.employees_visible_to(request.user).filter(pk=data["employee"]).first()
            if employee is None:
                raise exceptions.ValidationError({"employee": ["この職員は見つかりません。"]})
        e = self.call(services.enrollment_apply, employee=employee, run=run, by=request.user, note=data["note"])
        return Response(
            EnrollmentSerializer(enrollment_row(_visible_enrollments(request.user).get(pk=e.pk))).data,
            status=status.HTTP_201_CREATED,
        )


class EnrollmentDetailView(TrainingAPIView):
    serializer_class = EnrollmentSerializer
    read_action = None

    @extend_schema(
        operation_id="training_enrollments_retrieve",
        summary="受講申込",
        responses={200: EnrollmentSerializer, **WRITE_ERRORS},
        tags=TAG,
    )
    def get(self, request, pk: int):
        e = _visible_enrollments(request.user).filter(pk=pk).first()
        if e is None:
            raise exceptions.NotFound("この受講申込は見つかりません。")
        return Response(EnrollmentSerializer(enrollment_row(e)).data)


class EnrollmentActionView(TrainingAPIView):
    """POST /training/enrollments/<pk>/<action>/: the service decides who may (403) and whether the state allows
    it (409); enrollments the user may not see are 404."""

    serializer_class = EnrollmentSerializer
    read_action = None
    write_action = None

    @extend_schema(
        operation_id="training_enrollments_action",
        summary="受講申込の操作（承認・不承認・取消・受講開始・修了・未修了・修了判定の取消）",
        description=(
            "action: approve（承認）/ reject（不承認）/ cancel（取消）/ start（受講開始）/ complete（修了）/ "
            "incomplete（未修了）/ reopen（修了判定の取消）。今の状態でできない操作は 409 です。"
        ),
        request=EnrollmentActionSerializer,
        responses={200: EnrollmentSerializer, **WRITE_ERRORS, **CONFLICT},
        tags=TAG,
    )
    def post(self, request, pk: int, action: str):
        try:
            event = Event(action)
            fn = ACTIONS[event]
        except (ValueError, KeyError):
            raise exceptions.NotFound(
                "この操作はありません（" + ", ".join(f"{e.value}={EVENT_LABELS[e]}" for e in ACTIONS) + "）。"
            ) from None
        e = _visible_enrollments(request.user).filter(pk=pk).first()
        if e is None:
            raise exceptions.NotFound("この受講申込は見つかりません。")
        data = self.body(EnrollmentActionSerializer)
        self.call(fn, enrollment=e, by=request.user, note=data["note"])
        return Response(EnrollmentSerializer(enrollment_row(_visible_enrollments(request.user).get(pk=pk))).data)


# ---------------------------------------------------------------- attendance


def _sheet(session: Session) -> dict:
    rows = []
    for r in selectors.attendance_sheet(session):
        e, a = r.enrollment, r.attendance
        rows.append(
            {
                "enrollment": e.pk,
                "employee": {"id": e.employee.pk, "code": e.employee.number, "name": e.employee.name},
                "enrollment_status": e.status,
                "status": a.status if a else None,
                "status_label": a.get_status_display() if a else "",
                "hours": a.hours if a else None,
                "recorded_at": a.recorded_at if a else None,
            }
        )
    return {"session": session_row(session), "rows": rows}


class AttendanceView(TrainingAPIView):
    serializer_class = AttendanceSheetSerializer
    read_action = Action.MANAGE_TRAINING

    @extend_schema(
        operation_id="training_attendance_retrieve",
        summary="研修日の出欠表（事務局・職員部）",
        responses={200: AttendanceSheetSerializer, **WRITE_ERRORS},
        tags=TAG,
    )
    def get(self, request, pk: int):
        return Response(AttendanceSheetSerializer(_sheet(get_object_or_404(Session, pk=pk))).data)

    @extend_schema(
        operation_id="training_attendance_record",
        summary="出欠の記録（全員分を一度に。1行でも誤りがあれば何も保存しない）",
        request=AttendanceSheetInputSerializer,
        responses={200: AttendanceSheetSerializer, **WRITE_ERRORS},
        tags=TAG,
    )
    def post(self, request, pk: int):
        session = get_object_or_404(Session, pk=pk)
        data = self.body(AttendanceSheetInputSerializer)
        entries = [(x["enrollment"], x["status"], x["hours"]) for x in data["entries"]]
        try:
            services.attendance_record(session=session, entries=entries, by=request.user)
        except AttendanceSheetError as exc:
            errors = {}
            if exc.general:
                errors["non_field_errors"] = exc.general
            if exc.row_errors:
                errors["entries"] = {str(k): [v] for k, v in exc.row_errors.items()}
            raise exceptions.ValidationError(errors) from None
        return Response(AttendanceSheetSerializer(_sheet(session)).data)


# ---------------------------------------------------------------- hours ledger


class LedgerView(TrainingAPIView):
    serializer_class = LedgerSerializer
    read_action = None

    @extend_schema(
        operation_id="training_hours_ledger",
        summary="職員の受講時間（年度別: 開講・講座ごと、フェーズごと、合計）",
        description="本人、または研修履歴を閲覧できる職員（管理職: 担当課、局区担当: 担当局区、事務局・職員部）のみ。",
        parameters=[LedgerQuerySerializer],
        responses={200: LedgerSerializer, **WRITE_ERRORS},
        tags=TAG,
    )
    def get(self, request, pk: int):
        q = self.query(LedgerQuerySerializer)
        employee = Employee.objects.filter(pk=pk).first()
        if employee is None or not may_view_record(request.user, employee):
            raise exceptions.NotFound("この職員は見つかりません。")
        fy = q.get("fiscal_year") or fiscal_year_of(timezone.localdate())
        ledger = selectors.hours_ledger(employee, fy)
        rows = [
            {
                "kind": "run",
                "id": r.run.pk,
                "title": r.run.title,
                "status": r.status,
                "hours": r.hours,
                "phases": r.phases,
            }
            for r in ledger.runs
        ] + [
            {"kind": "elearning", "id": c.course_id, "title": c.title, "status": "", "hours": c.hours, "phases": {}}
            for c in ledger.elearning
        ]
        body = {
            "employee": {"id": employee.pk, "code": employee.number, "name": employee.name},
            "fiscal_year": fy,
            "rows": rows,
            "phases": ledger.phases,
            "attended": ledger.attended,
            "elearning": ledger.elearning_hours,
            "total": ledger.total,
        }
        return Response(LedgerSerializer(body).data)
