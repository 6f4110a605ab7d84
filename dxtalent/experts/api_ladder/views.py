"""Views of the ladder API. Thin: validate input with explicit serializers, call the services / selectors."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from dxtalent.core.api import Conflict
from dxtalent.core.api import run_service as _run
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.api import ERRORS, NOT_FOUND, ScopedAPIView
from dxtalent.org.api_serializers import ErrorSerializer
from dxtalent.org.models import Employee

from .. import services
from ..models import OjtPlan, OjtReview, StagePeriod
from ..selectors import ladder_people as sel
from ..selectors.ladder import stage_of
from ..selectors.ladder_access import pack_or_none, visible_employee
from ..selectors.ladder_person import _period_rows
from . import serializers as s

TAGS = ["高度デジタル人材（OJT）"]
CONFLICT = {409: OpenApiResponse(ErrorSerializer, description="現在の状態ではできない操作（理由を detail に）")}


def _ref(e: Employee | None) -> dict | None:
    return {"id": e.pk, "code": e.number, "name": e.name} if e is not None else None


def _pack():
    pack = pack_or_none(timezone.localdate())
    if pack is None:
        raise Conflict("ポリシーパックが読み込まれていません。")
    return pack


def _employee(pk, field: str, user=None) -> Employee:
    e = visible_employee(user, pk) if user is not None else Employee.objects.filter(pk=pk).first()
    if e is None:
        raise exceptions.ValidationError({field: ["この職員は見つかりません。"]})
    return e


def _person(row: sel.LadderRow) -> dict:
    r = row.readiness
    return {
        "employee": _ref(row.employee),
        "unit": row.unit,
        "hire_route": row.employee.hire_route,
        "hire_route_name": row.hire_route,
        "stage": row.period.stage_code,
        "stage_name": row.stage_name,
        "stage_since": row.period.valid_from,
        "entered_on": r.entered_on,
        "years_in_stage": r.years_in_stage,
        "years_since_entry": r.years_since_entry,
        "next_stage": r.next_stage.code if r.next_stage else None,
        "ready": r.ready,
        "long_stay": r.long_stay,
        "unmet": r.unmet,
        "checks": [c.__dict__ for c in r.checks],
        "mentor": _ref(row.mentor),
    }


def _review(x: OjtReview) -> dict:
    return {
        "id": x.pk,
        "half": x.half,
        "half_label": x.get_half_display(),
        "reviewer": _ref(x.reviewer),
        "reviewed_on": x.reviewed_on,
        "progress": x.progress,
        "next_steps": x.next_steps,
        "experiences": list(x.experiences),
    }


def _plan(p: OjtPlan) -> dict:
    return {
        "id": p.pk,
        "employee": _ref(p.employee),
        "fiscal_year": p.fiscal_year,
        "stage": p.stage_code,
        "mentor": _ref(p.mentor),
        "goals": p.goals,
        "systems": p.systems,
        "projects": p.projects,
        "reviews": [_review(x) for x in p.reviews.all()],
    }


def _plans_qs():
    reviews = OjtReview.objects.select_related("reviewer").order_by("half")
    return OjtPlan.objects.select_related("employee", "mentor").prefetch_related(Prefetch("reviews", queryset=reviews))


def _promotion(p, pack) -> dict:
    def name(code):
        stage = stage_of(pack, code) if pack else None
        return stage.name if stage else code

    return {
        "id": p.pk,
        "employee": _ref(p.employee),
        "from_stage": p.from_stage,
        "from_stage_name": name(p.from_stage),
        "to_stage": p.to_stage,
        "to_stage_name": name(p.to_stage),
        "proposed_by": _ref(p.proposed_by),
        "proposed_on": p.proposed_on,
        "reasons": p.reasons,
        "readiness": p.readiness,
        "status": p.status,
        "status_label": p.get_status_display(),
        "decided_by": _ref(p.decided_by),
        "decided_on": p.decided_on,
        "decision_reasons": p.decision_reasons,
        "effective_on": p.effective_on,
    }


class LadderStagesView(ScopedAPIView):
    serializer_class = s.LadderSerializer
    required_action = Action.VIEW_DASHBOARD
    pagination_class = None

    @extend_schema(
        operation_id="ladder_stages",
        summary="育成段階と昇格の基準（ポリシーパック）",
        responses={200: s.LadderSerializer, **ERRORS, **CONFLICT},
        tags=TAGS,
    )
    def get(self, request):
        pack = _pack()
        fw = pack.ladder_framework
        return Response(
            {
                "framework": fw.code if fw else None,
                "department": pack.expert_department,
                "long_stay_margin_years": pack.long_stay_margin_years,
                "stages": [
                    {
                        "code": st.code,
                        "name": st.name,
                        "order": st.order,
                        "description": st.description,
                        "min_years_in_previous_stage": st.min_years_in_previous_stage,
                        "min_years_since_assignment": st.min_years_since_assignment,
                        "expected_levels": [e.__dict__ for e in st.expected_levels],
                        "experiences": [{"code": c, "label": label} for c, label in st.experiences],
                    }
                    for st in pack.ladder
                ],
            }
        )


class LadderPeopleView(ScopedAPIView):
    serializer_class = s.LadderPersonSerializer
    required_action = Action.VIEW_EXPERT_RECORDS

    @extend_schema(
        operation_id="ladder_people_list",
        summary="育成段階にいる職員と昇格基準の充足状況",
        description="閲覧できる職員（自分、所属の職員、OJT指導を担当する職員、または全員）だけを返します。",
        parameters=[s.LadderQuerySerializer],
        responses={200: s.LadderPersonSerializer(many=True), **ERRORS, **CONFLICT},
        tags=TAGS,
    )
    def get(self, request):
        q = self.query(s.LadderQuerySerializer)
        pack, day = _pack(), timezone.localdate()
        filters = sel.LadderFilter(
            stage=q.get("stage", ""),
            ready=q.get("ready", False),
            long_stay=q.get("long_stay", False),
            hire_route=q.get("hire_route", ""),
            q=(q.get("q") or "").strip(),
            sort=q.get("sort") or "kana",
        )
        rows = sel.ladder_rows(user=request.user, filters=filters, pack=pack, day=day)
        page = self.paginate_queryset(rows)
        return self.paginated([_person(r) for r in sel.attach(page, day)])

    @extend_schema(
        operation_id="ladder_people_enter",
        summary="育成段階への登録",
        description="人事・事務局、または所属の課長（自分の課の職員）が登録します。",
        request=s.EnterInput,
        responses={201: s.StagePeriodSerializer, **ERRORS, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request):
        if not access.may(request.user, Action.MANAGE_OJT):
            raise PermissionDenied("育成段階に登録できるのは人事・事務局・課長だけです。")
        data = s.EnterInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        pack = _pack()
        employee = _employee(d["employee"], "employee")
        period = _run(
            lambda: services.ladder_enter(
                employee=employee,
                stage_code=d["stage_code"],
                on=d["on"],
                by=request.user,
                note=d["note"],
                hire_route=d["hire_route"],
            )
        )
        row = _period_rows([period], pack, timezone.localdate())[0]
        return Response(_period_body(row), status=status.HTTP_201_CREATED)


def _period_body(row) -> dict:
    p = row.period
    return {
        "id": p.pk,
        "stage": p.stage_code,
        "stage_name": row.stage_name,
        "valid_from": p.valid_from,
        "valid_to": p.valid_to,
        "years": row.years,
        "span": row.span,
        "note": p.note,
    }


class StagePeriodsView(ScopedAPIView):
    serializer_class = s.StagePeriodSerializer
    required_action = Action.VIEW_EXPERT_RECORDS
    pagination_class = None

    @extend_schema(
        operation_id="ladder_stage_periods",
        summary="一人の段階の履歴（段階ごとの在籍年数）",
        responses={200: s.StagePeriodSerializer(many=True), **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def get(self, request, employee_pk: int):
        employee = visible_employee(request.user, employee_pk)
        if employee is None:
            raise exceptions.NotFound("見つかりません。")
        periods = list(StagePeriod.objects.filter(employee=employee).order_by("valid_from"))
        rows = _period_rows(periods, _pack(), timezone.localdate())
        return Response([_period_body(r) for r in rows])
