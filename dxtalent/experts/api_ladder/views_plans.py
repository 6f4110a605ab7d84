"""Plans, reviews and promotions of the ladder API."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.api import ERRORS, NOT_FOUND, ScopedAPIView

from .. import services
from ..selectors.ladder_access import visible_rows
from ..selectors.ladder_person import get_visible_plan, get_visible_promotion, promotion_rows
from . import serializers as s
from .views import CONFLICT, TAGS, _employee, _pack, _plan, _plans_qs, _promotion, _review, _run


class PlanListView(ScopedAPIView):
    serializer_class = s.PlanSerializer
    required_action = Action.VIEW_EXPERT_RECORDS

    @extend_schema(
        operation_id="ojt_plans_list",
        summary="OJT計画の一覧（振り返りを含む）",
        parameters=[s.PlanQuerySerializer],
        responses={200: s.PlanSerializer(many=True), **ERRORS},
        tags=TAGS,
    )
    def get(self, request):
        q = self.query(s.PlanQuerySerializer)
        qs = visible_rows(request.user, _plans_qs())
        if q.get("fiscal_year"):
            qs = qs.filter(fiscal_year=q["fiscal_year"])
        if q.get("employee"):
            qs = qs.filter(employee_id=q["employee"])
        if q.get("mine"):
            me = access.employee_of(request.user)
            qs = qs.filter(mentor_id=me.pk if me else None)
        page = self.paginate_queryset(qs.order_by("-fiscal_year", "employee__kana_key", "pk"))
        return self.paginated([_plan(p) for p in page])

    @extend_schema(
        operation_id="ojt_plans_save",
        summary="OJT計画の作成（同じ年度の計画があれば更新）",
        request=s.PlanInput,
        responses={201: s.PlanSerializer, **ERRORS, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request):
        if not access.may(request.user, Action.MANAGE_OJT):
            raise PermissionDenied("OJT計画を作成できるのは人事・事務局・課長だけです。")
        data = s.PlanInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        plan = _run(
            lambda: services.ojt_plan_save(
                employee=_employee(d["employee"], "employee"), fiscal_year=d["fiscal_year"],
                mentor=_employee(d["mentor"], "mentor"), goals=d["goals"], by=request.user,
                systems=d["systems"], projects=d["projects"],
            )
        )  # fmt: skip
        return Response(_plan(_plans_qs().get(pk=plan.pk)), status=status.HTTP_201_CREATED)


class PlanDetailView(ScopedAPIView):
    serializer_class = s.PlanSerializer
    required_action = Action.VIEW_EXPERT_RECORDS

    @extend_schema(
        operation_id="ojt_plans_retrieve",
        summary="OJT計画（振り返りを含む）",
        responses={200: s.PlanSerializer, **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        plan = get_visible_plan(request.user, pk)
        return Response(_plan(_plans_qs().get(pk=plan.pk)))

    @extend_schema(
        operation_id="ojt_plans_update",
        summary="OJT計画の更新",
        request=s.PlanUpdateInput,
        responses={200: s.PlanSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def patch(self, request, pk: int):
        plan = get_visible_plan(request.user, pk)
        data = s.PlanUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        mentor = _employee(d["mentor"], "mentor") if "mentor" in d else plan.mentor
        _run(
            lambda: services.ojt_plan_save(
                employee=plan.employee, fiscal_year=plan.fiscal_year, mentor=mentor, by=request.user,
                goals=d.get("goals", plan.goals), systems=d.get("systems", plan.systems),
                projects=d.get("projects", plan.projects),
            )
        )  # fmt: skip
        return Response(_plan(_plans_qs().get(pk=plan.pk)))


class ReviewView(ScopedAPIView):
    serializer_class = s.ReviewSerializer
    required_action = Action.VIEW_EXPERT_RECORDS

    @extend_schema(
        operation_id="ojt_reviews_save",
        summary="半期の振り返りの記入（この計画のOJT指導者だけ。同じ半期があれば更新）",
        request=s.ReviewInput,
        responses={201: s.ReviewSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        plan = get_visible_plan(request.user, pk)
        data = s.ReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        review = _run(
            lambda: services.ojt_review_save(
                plan=plan, half=d["half"], by=request.user, reviewed_on=d.get("reviewed_on"),
                progress=d["progress"], next_steps=d["next_steps"], experiences=d["experiences"],
            )
        )  # fmt: skip
        return Response(_review(review), status=status.HTTP_201_CREATED)


class PromotionListView(ScopedAPIView):
    serializer_class = s.PromotionSerializer
    required_action = Action.VIEW_EXPERT_RECORDS

    @extend_schema(
        operation_id="promotions_list",
        summary="昇格の推薦と決定（決定待ちが先）",
        parameters=[s.PromotionQuerySerializer],
        responses={200: s.PromotionSerializer(many=True), **ERRORS},
        tags=TAGS,
    )
    def get(self, request):
        q = self.query(s.PromotionQuerySerializer)
        pack = _pack()
        page = self.paginate_queryset(promotion_rows(request.user, q.get("status", "")))
        return self.paginated([_promotion(p, pack) for p in page])

    @extend_schema(
        operation_id="promotions_propose",
        summary="昇格の推薦（今年度のOJT計画の指導者）",
        request=s.ProposeInput,
        responses={201: s.PromotionSerializer, **ERRORS, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request):
        data = s.ProposeInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        employee = _employee(d["employee"], "employee", user=request.user)
        p = _run(lambda: services.promotion_propose(employee=employee, by=request.user, reasons=d["reasons"]))
        return Response(_promotion(get_visible_promotion(request.user, p.pk), _pack()), status=status.HTTP_201_CREATED)


class PromotionDetailView(ScopedAPIView):
    serializer_class = s.PromotionSerializer
    required_action = Action.VIEW_EXPERT_RECORDS

    @extend_schema(
        operation_id="promotions_retrieve",
        summary="昇格の推薦と決定",
        responses={200: s.PromotionSerializer, **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        return Response(_promotion(get_visible_promotion(request.user, pk), _pack()))


class PromotionDecideView(ScopedAPIView):
    serializer_class = s.PromotionSerializer
    required_action = Action.VIEW_EXPERT_RECORDS

    @extend_schema(
        operation_id="promotions_decide",
        summary="昇格の決定（担当部の部長）。承認すると昇格日から次の段階になります",
        request=s.DecideInput,
        responses={200: s.PromotionSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        promotion = get_visible_promotion(request.user, pk)
        data = s.DecideInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        _run(
            lambda: services.promotion_decide(
                promotion=promotion, by=request.user, approve=d["approve"], reasons=d["reasons"],
                effective_on=d.get("effective_on"),
            )
        )  # fmt: skip
        return Response(_promotion(get_visible_promotion(request.user, pk), _pack()))
