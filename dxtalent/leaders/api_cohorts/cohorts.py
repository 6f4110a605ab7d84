"""API of cohorts: list, form, detail with progress, add a reserve, schedule the sessions."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from dxtalent.org.access import Action
from dxtalent.org.api import ERRORS, NOT_FOUND, ScopedAPIView
from dxtalent.org.api_serializers import FlexibleDateField, RefSerializer
from dxtalent.policy.selectors import pack_of

from .. import selectors_cohorts as sel
from .. import services
from ..models import Cohort, CohortMember, Nomination, NominationWindow
from ._common import CONFLICT, TAGS, _call, _pk_field, _ref

# ---------------------------------------------------------------- cohorts


class LeaderCohortSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    label = serializers.CharField(help_text="例: 第1期")
    fiscal_year = serializers.IntegerField(help_text="研修年度")
    practice_year = serializers.IntegerField(help_text="実践年度")
    target_size = serializers.IntegerField(help_text="計画人数（ポリシーパック）")
    member_count = serializers.IntegerField(help_text="研修生の人数（全体）")
    run = serializers.IntegerField(allow_null=True, help_text="研修の開講（CourseRun）のID")
    prelearning_course = RefSerializer(allow_null=True, help_text="事前学習の指定講座")


class MemberPhaseHoursSerializer(serializers.Serializer):
    code = serializers.CharField()
    attended = serializers.DecimalField(max_digits=6, decimal_places=2, help_text="受講時間（補講を含む）")
    required = serializers.DecimalField(max_digits=6, decimal_places=2)
    done = serializers.BooleanField()


class MemberPrerequisiteSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["done", "late", "missing", "pending", "none"])
    label = serializers.CharField()
    completed_on = serializers.DateField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    flagged = serializers.BooleanField(help_text="マインドセット第1回までに修了していない")


class CohortMemberProgressSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    employee = RefSerializer()
    current_unit = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    nomination = serializers.IntegerField(allow_null=True)
    enrollment = serializers.IntegerField(allow_null=True)
    phases = MemberPhaseHoursSerializer(many=True)
    total_hours = serializers.DecimalField(max_digits=6, decimal_places=2)
    required_hours = serializers.DecimalField(max_digits=6, decimal_places=2)
    prerequisite = MemberPrerequisiteSerializer()
    flags = serializers.ListField(child=serializers.CharField())


class CohortPhaseSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    delivery = serializers.CharField()
    sessions = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=6, decimal_places=2)


class CohortSessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    phase_code = serializers.CharField()
    number = serializers.IntegerField()
    date = serializers.DateField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=2)
    place = serializers.CharField()
    is_makeup = serializers.BooleanField()


class LeaderCohortDetailSerializer(LeaderCohortSerializer):
    curriculum_hours = serializers.DecimalField(max_digits=6, decimal_places=2)
    phases = CohortPhaseSerializer(many=True, help_text="必須フェーズ")
    sessions = CohortSessionSerializer(many=True)
    prerequisite_deadline = serializers.DateField(allow_null=True)
    members = CohortMemberProgressSerializer(many=True, help_text="閲覧できる研修生だけ")
    hidden_members = serializers.IntegerField(help_text="担当外で表示しない研修生の人数")


class CohortFormInputSerializer(serializers.Serializer):
    window = _pk_field("推薦受付")
    schedule = serializers.BooleanField(default=False, help_text="標準日程で研修日も作成する")
    place = serializers.CharField(required=False, allow_blank=True, default="")


class CohortAddMemberSerializer(serializers.Serializer):
    nomination = _pk_field("推薦（補欠）")


class CohortScheduleInputSerializer(serializers.Serializer):
    dates = serializers.DictField(
        child=serializers.ListField(child=FlexibleDateField()), help_text="フェーズコード → 日付の一覧（回数分）"
    )
    place = serializers.CharField(required=False, allow_blank=True, default="")
    start_time = serializers.TimeField(required=False, allow_null=True, default=None)
    end_time = serializers.TimeField(required=False, allow_null=True, default=None)


class CohortScheduleResultSerializer(serializers.Serializer):
    sessions = CohortSessionSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())


def _cohort_row(c: Cohort, member_count: int) -> dict:
    pre = c.prelearning_course
    return {
        "id": c.pk,
        "number": c.number,
        "label": str(c),
        "fiscal_year": c.fiscal_year,
        "practice_year": c.practice_year,
        "target_size": c.target_size,
        "member_count": member_count,
        "run": c.run_id,
        "prelearning_course": _ref(pre.pk, pre.code, pre.title) if pre else None,
    }


def _session_row(s) -> dict:
    return {
        "id": s.pk,
        "phase_code": s.phase_code,
        "number": s.number,
        "date": s.date,
        "hours": s.hours,
        "place": s.place,
        "is_makeup": s.is_makeup,
    }


def _visible_cohort(user, pk: int) -> Cohort:
    cohort = sel.cohorts_visible(user).select_related("pack", "run", "prelearning_course").filter(pk=pk).first()
    if cohort is None:
        raise exceptions.NotFound("期が見つかりません。")
    return cohort


def _cohort_detail(user, cohort: Cohort) -> dict:
    progress = sel.cohort_progress(cohort, user=user)
    total = CohortMember.objects.filter(cohort=cohort).count()
    row = _cohort_row(cohort, total)
    row.update(
        {
            "curriculum_hours": progress.curriculum_hours,
            "phases": [
                {"code": p.code, "name": p.name, "delivery": p.delivery, "sessions": p.sessions, "hours": p.hours}
                for p in progress.phases
            ],
            "sessions": [_session_row(s) for s in progress.sessions],
            "prerequisite_deadline": progress.prerequisite_deadline,
            "members": [
                {
                    "id": r.member.pk,
                    "employee": _ref(r.employee.pk, r.employee.number, r.employee.name),
                    "current_unit": r.unit_label,
                    "status": r.member.status,
                    "status_label": r.member.get_status_display(),
                    "nomination": r.member.nomination_id,
                    "enrollment": r.member.enrollment_id,
                    "phases": [
                        {"code": pp.phase.code, "attended": pp.attended, "required": pp.required, "done": pp.done}
                        for pp in r.phases
                    ],
                    "total_hours": r.total,
                    "required_hours": r.required_total,
                    "prerequisite": {
                        "status": r.prerequisite.status,
                        "label": r.prerequisite.label,
                        "completed_on": r.prerequisite.completed_on,
                        "deadline": r.prerequisite.deadline,
                        "flagged": r.prerequisite.flagged,
                    },
                    "flags": r.flags,
                }
                for r in progress.rows
            ],
            "hidden_members": total - len(progress.rows),
        }
    )
    return row


class CohortListView(ScopedAPIView):
    serializer_class = LeaderCohortSerializer

    def get_permissions(self):
        self.required_action = Action.MANAGE_PROGRAMME if self.request.method == "POST" else Action.VIEW_PROGRAMME
        return super().get_permissions()

    @extend_schema(
        operation_id="leader_cohorts_list",
        summary="期の一覧",
        responses={200: LeaderCohortSerializer(many=True), **ERRORS},
        tags=TAGS,
    )
    def get(self, request):
        cohorts = sel.cohort_list(request.user)
        page = self.paginate_queryset(cohorts)
        return self.paginated([_cohort_row(c, c.member_count) for c in page])

    @extend_schema(
        operation_id="leader_cohorts_form",
        summary="期の編成（事務局）",
        description=(
            "締切後の推薦受付の選定者で第N期を編成し、研修の開講と受講を作成します。未決定の推薦がある、"
            "締切前、既に編成済み、選定者がいない場合は 409 です。schedule=true で標準日程の研修日も作成します。"
        ),
        request=CohortFormInputSerializer,
        responses={201: LeaderCohortDetailSerializer, **ERRORS, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request):
        data = CohortFormInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        window = NominationWindow.objects.select_related("pack").filter(pk=d["window"]).first()
        if window is None:
            raise exceptions.ValidationError({"window": ["推薦受付が見つかりません。"]})
        dates = sel.proposed_session_dates(pack_of(window.pack), window.fiscal_year) if d["schedule"] else None
        cohort = _call(services.cohort_form, window=window, by=request.user, start_dates=dates, place=d["place"])
        cohort = _visible_cohort(request.user, cohort.pk)
        return Response(
            LeaderCohortDetailSerializer(_cohort_detail(request.user, cohort)).data, status=status.HTTP_201_CREATED
        )


class CohortDetailView(ScopedAPIView):
    serializer_class = LeaderCohortDetailSerializer
    required_action = Action.VIEW_PROGRAMME

    @extend_schema(
        operation_id="leader_cohorts_retrieve",
        summary="期の詳細（研修生と受講状況）",
        description=(
            "研修生ごとに、必須フェーズの受講時間（補講を含む）と必要時間、合計、事前学習の状況"
            "（マインドセット第1回までに修了していない人は flagged）を返します。研修生は閲覧できる人だけです。"
        ),
        responses={200: LeaderCohortDetailSerializer, **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        cohort = _visible_cohort(request.user, pk)
        return Response(LeaderCohortDetailSerializer(_cohort_detail(request.user, cohort)).data)


class CohortMembersView(ScopedAPIView):
    serializer_class = LeaderCohortDetailSerializer
    required_action = Action.MANAGE_PROGRAMME

    @extend_schema(
        operation_id="leader_cohorts_add_member",
        summary="補欠を研修生に追加（事務局）",
        request=CohortAddMemberSerializer,
        responses={201: LeaderCohortDetailSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        cohort = _visible_cohort(request.user, pk)
        data = CohortAddMemberSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        nomination = Nomination.objects.filter(pk=data.validated_data["nomination"]).first()
        if nomination is None:
            raise exceptions.ValidationError({"nomination": ["推薦が見つかりません。"]})
        _call(services.cohort_add_member, cohort=cohort, nomination=nomination, by=request.user)
        return Response(
            LeaderCohortDetailSerializer(_cohort_detail(request.user, cohort)).data, status=status.HTTP_201_CREATED
        )


class CohortSessionsView(ScopedAPIView):
    serializer_class = CohortScheduleResultSerializer
    required_action = Action.MANAGE_PROGRAMME

    @extend_schema(
        operation_id="leader_cohorts_schedule",
        summary="研修日程の作成・変更（事務局）",
        description=(
            "フェーズごとにポリシーパックの回数分の日付を指定します（年度内）。計画の時期の外は warnings に出ます。"
            "出欠を記録済みの回の日付は変えられません（409）。"
        ),
        request=CohortScheduleInputSerializer,
        responses={200: CohortScheduleResultSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        cohort = _visible_cohort(request.user, pk)
        data = CohortScheduleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = _call(services.cohort_schedule_sessions, cohort=cohort, by=request.user, **data.validated_data)
        payload = {"sessions": [_session_row(s) for s in result.sessions], "warnings": result.warnings}
        return Response(CohortScheduleResultSerializer(payload).data)
