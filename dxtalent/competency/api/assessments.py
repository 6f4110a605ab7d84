"""/api/v1/competency/assessments/: list (scoped), detail, rate, evidence. Invisible assessments are 404."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from dxtalent.core.api import run_service as run
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.api import ERRORS, NOT_FOUND, ScopedAPIView
from dxtalent.training.models import Attendance

from .. import services
from ..models import Assessment, Evidence
from ..selectors import assessments as sel
from .common import CONFLICT, assessment_body, evidence_body
from .serializers import (
    AssessmentDetailSerializer,
    AssessmentQuerySerializer,
    AssessmentSerializer,
    EvidenceInput,
    EvidenceSerializer,
    RateInput,
)

TAGS = ["マインド・スキル評価"]


def _detail(request, pk: int) -> dict:
    d = sel.assessment_detail(request.user, pk)
    a = d.assessment
    body = assessment_body(a)
    body.update(
        framework_code=a.campaign.framework_code,
        framework_version=a.campaign.framework_version,
        expected_label=d.expected_label,
        self_comment=a.self_comment if d.show_self else "",
        evaluator_comment=a.evaluator_comment if d.show_evaluator else "",
        my_raters=list(d.my_raters),
        items=[
            {
                "code": i.code,
                "kind": i.kind,
                "name": i.name,
                "self_level": i.self_level,
                "evaluator_level": i.evaluator_level,
                "expected": i.expected,
                "gap": i.gap,
                "self_comment": i.self_comment,
                "evaluator_comment": i.evaluator_comment,
            }
            for i in d.items
        ],
        evidence=[evidence_body(e) for e in d.evidence],
    )
    return body


class AssessmentListView(ScopedAPIView):
    serializer_class = AssessmentSerializer
    required_action = Action.VIEW_ASSESSMENTS

    @extend_schema(
        operation_id="competency_assessments_list",
        summary="評価の一覧（自分が対象者・評価者のもの。人事・事務局はすべて）",
        parameters=[AssessmentQuerySerializer],
        responses={200: AssessmentSerializer(many=True), **ERRORS},
        tags=TAGS,
    )
    def get(self, request):
        q = self.query(AssessmentQuerySerializer)
        qs = sel.visible_assessments(
            request.user, Assessment.objects.select_related("campaign", "employee", "evaluator")
        ).order_by("-campaign__fiscal_year", "-campaign_id", "employee__number")
        if q.get("campaign"):
            qs = qs.filter(campaign_id=q["campaign"])
        me = access.employee_of(request.user)
        if q.get("role"):
            field = "employee_id" if q["role"] == "own" else "evaluator_id"
            qs = qs.filter(**{field: me.pk}) if me is not None else qs.none()
        page = self.paginate_queryset(qs)
        return self.paginated([assessment_body(a) for a in page])


class AssessmentDetailView(ScopedAPIView):
    serializer_class = AssessmentDetailSerializer
    required_action = Action.VIEW_ASSESSMENTS

    @extend_schema(
        operation_id="competency_assessments_retrieve",
        summary="評価の詳細（項目ごとの本人・評価者・期待レベル、根拠）",
        description="提出前の評価は、入力した本人（評価者）にだけ返します。",
        responses={200: AssessmentDetailSerializer, **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        return Response(_detail(request, pk))


class AssessmentRateView(ScopedAPIView):
    serializer_class = AssessmentDetailSerializer
    required_action = Action.VIEW_ASSESSMENTS

    @extend_schema(
        operation_id="competency_assessments_rate",
        summary="本人評価・評価者評価の入力（下書き・提出）",
        description="levels は項目コード → レベル。尺度外のレベル・未知の項目は 400（errors.levels に項目名つき）。",
        request=RateInput,
        responses={200: AssessmentDetailSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        a = sel.get_visible_assessment(request.user, pk)
        data = RateInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        run(
            lambda: services.assessment_rate(
                assessment=a,
                by=request.user,
                rater=d["rater"],
                levels=d["levels"],
                comments=d.get("comments") or {},
                comment=d.get("comment") or "",
                submit=d["submit"],
            )
        )
        return Response(_detail(request, pk))


class AssessmentEvidenceView(ScopedAPIView):
    serializer_class = EvidenceSerializer
    required_action = Action.VIEW_ASSESSMENTS
    pagination_class = None

    @extend_schema(
        operation_id="competency_assessments_evidence_list",
        summary="根拠の一覧",
        responses={200: EvidenceSerializer(many=True), **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        a = sel.get_visible_assessment(request.user, pk)
        rows = Evidence.objects.filter(assessment=a).order_by("added_at", "pk")
        return Response([evidence_body(e) for e in rows])

    @extend_schema(
        operation_id="competency_assessments_evidence_create",
        summary="根拠の追加（受講した研修日・業務改善の取組・その他）",
        request=EvidenceInput,
        responses={201: EvidenceSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        a = sel.get_visible_assessment(request.user, pk)
        data = EvidenceInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        rater = d.get("rater") or next(iter(services.rater_of(request.user, a)), "self")
        attendance = None
        if d.get("attendance"):
            attendance = Attendance.objects.filter(pk=d["attendance"]).first()
            if attendance is None:
                raise exceptions.ValidationError({"attendance": ["この出席記録はありません。"]})
        e = run(
            lambda: services.evidence_add(
                assessment=a,
                by=request.user,
                rater=rater,
                kind=d["kind"],
                label=d.get("label") or "",
                attendance=attendance,
                ref_id=d.get("ref_id"),
                url=d.get("url") or "",
                item_code=d.get("item_code") or "",
            )
        )
        return Response(evidence_body(e), status=status.HTTP_201_CREATED)
