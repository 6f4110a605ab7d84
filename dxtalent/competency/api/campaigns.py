"""/api/v1/competency/campaigns/: list/create (VIEW_ALL_ASSESSMENTS / MANAGE_CAMPAIGNS), detail, close, add people."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from dxtalent.core.api import run_service as run
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.api import ERRORS, NOT_FOUND, ScopedAPIView
from dxtalent.org.models import Employee
from dxtalent.training.models import CourseRun, Enrollment

from .. import services
from ..selectors import campaigns as sel
from ..selectors.people import default_evaluators
from ..views.campaigns import ENROLLED
from .common import CONFLICT, campaign_body, framework_body
from .serializers import (
    CampaignCreateInput,
    CampaignDetailSerializer,
    CampaignQuerySerializer,
    CampaignSerializer,
    PeopleInput,
    PeopleResultSerializer,
)

TAGS = ["マインド・スキル評価"]


def _detail(request, pk: int) -> dict:
    c = sel.get_campaign(request.user, pk)
    body = campaign_body(c)
    body.update(pack_version=c.pack.version, framework=framework_body(c.framework))
    return body


def _require_manage(user) -> None:
    if not access.may(user, Action.MANAGE_CAMPAIGNS):
        raise PermissionDenied("評価の回を管理する権限がありません（人事・事務局のみ）。")


class CampaignListView(ScopedAPIView):
    serializer_class = CampaignSerializer
    required_action = Action.VIEW_ALL_ASSESSMENTS

    @extend_schema(
        operation_id="competency_campaigns_list",
        summary="評価の回の一覧（提出状況の件数つき）",
        parameters=[CampaignQuerySerializer],
        responses={200: CampaignSerializer(many=True), **ERRORS},
        tags=TAGS,
    )
    def get(self, request):
        q = self.query(CampaignQuerySerializer)
        filters = sel.CampaignFilter(
            fiscal_year=q.get("fiscal_year"),
            kind=q.get("kind", ""),
            status=q.get("status", ""),
            framework=q.get("framework", ""),
        )
        page = self.paginate_queryset(sel.campaigns(request.user, filters))
        return self.paginated([campaign_body(c) for c in page])

    @extend_schema(
        operation_id="competency_campaigns_create",
        summary="評価の回の作成（ポリシーパックのフレームワークを写す）",
        request=CampaignCreateInput,
        responses={201: CampaignDetailSerializer, **ERRORS},
        tags=TAGS,
    )
    def post(self, request):
        _require_manage(request.user)
        data = CampaignCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        course_run = None
        if d.get("run"):
            course_run = CourseRun.objects.filter(pk=d["run"]).first()
            if course_run is None:
                raise exceptions.ValidationError({"run": ["この研修実施回はありません。"]})
        c = services.campaign_create(
            by=request.user,
            name=d["name"],
            kind=d["kind"],
            fiscal_year=d["fiscal_year"],
            framework_code=d["framework_code"],
            opens_on=d["opens_on"],
            closes_on=d["closes_on"],
            run=course_run,
        )
        return Response(_detail(request, c.pk), status=status.HTTP_201_CREATED)


class CampaignDetailView(ScopedAPIView):
    serializer_class = CampaignDetailSerializer
    required_action = Action.VIEW_ALL_ASSESSMENTS

    @extend_schema(
        operation_id="competency_campaigns_retrieve",
        summary="評価の回の詳細（作成時点のフレームワークの写しを含む）",
        responses={200: CampaignDetailSerializer, **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        return Response(_detail(request, pk))


class CampaignCloseView(ScopedAPIView):
    serializer_class = CampaignDetailSerializer
    required_action = Action.MANAGE_CAMPAIGNS

    @extend_schema(
        operation_id="competency_campaigns_close",
        summary="評価の回を締め切る",
        request=None,
        responses={200: CampaignDetailSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        c = sel.get_campaign(request.user, pk)
        run(lambda: services.campaign_close(campaign=c, by=request.user))
        return Response(_detail(request, pk))


class CampaignPeopleView(ScopedAPIView):
    serializer_class = PeopleResultSerializer
    required_action = Action.MANAGE_CAMPAIGNS

    @extend_schema(
        operation_id="competency_campaigns_people",
        summary="対象者の追加（評価者を省略すると所属長）",
        description="people に職員番号の組を渡すか、from_run=true で対象の研修（期）の受講者を全員追加します。",
        request=PeopleInput,
        responses={200: PeopleResultSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        c = sel.get_campaign(request.user, pk)
        data = PeopleInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        if d.get("from_run"):
            if c.run_id is None:
                raise exceptions.ValidationError({"from_run": ["この評価の回には対象の研修（期）がありません。"]})
            enrolled = Enrollment.objects.filter(run_id=c.run_id, status__in=ENROLLED).select_related("employee")
            persons = [e.employee for e in enrolled]
            defaults = default_evaluators(persons)
            pairs = [(p, defaults.get(p.pk)) for p in persons]
        else:
            rows = d.get("people") or []
            if not rows:
                raise exceptions.ValidationError({"people": ["対象者を1人以上指定してください。"]})
            numbers = {r["employee"] for r in rows} | {r["evaluator"] for r in rows if r.get("evaluator")}
            found = {e.number: e for e in Employee.objects.filter(number__in=numbers)}
            missing = sorted(n for n in numbers if n not in found)
            if missing:
                raise exceptions.ValidationError({"people": [f"次の職員番号は見つかりません: {'、'.join(missing)}"]})
            persons = [found[r["employee"]] for r in rows]
            defaults = default_evaluators([p for p, r in zip(persons, rows, strict=True) if not r.get("evaluator")])
            pairs = [
                (p, found[r["evaluator"]] if r.get("evaluator") else defaults.get(p.pk))
                for p, r in zip(persons, rows, strict=True)
            ]
        added = run(lambda: services.campaign_add_people(campaign=c, by=request.user, people=pairs))
        return Response({"added": len(added), "without_evaluator": sum(1 for a in added if a.evaluator_id is None)})
