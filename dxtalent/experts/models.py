"""③ 高度デジタル人材: the OJT ladder (見習い → 修行中 → 一人前 → 熟練者), OJT plans, half-year reviews, promotions,
and ジョブチャレンジ (庁内公募: postings and applications that end in a dated placement).

Stage codes, experience codes, posting kinds and hire routes are the policy pack's codes (`experts` section);
the rules that read them (readiness, long stays, what a decided application places) live in the services and
selectors, never here. Nothing is deleted: a stage period is closed, a promotion rejected, a posting closed,
an application withdrawn or not adopted.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from dxtalent.leaders.models import LeaderRole
from dxtalent.org.models import Assignment, Dated, Employee, OrgUnit


class StagePeriod(Dated):
    """A span one person spends at one stage of the ladder (段階). The open period is their current stage.

    The first period starts when they enter the ③ programme; a closed period with no successor means they left
    it (異動・退職). Years in each stage are computed from these periods.
    """

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="stage_periods", verbose_name="職員")
    stage_code = models.CharField("段階", max_length=30, db_index=True, help_text="ポリシーパックの段階コード")
    note = models.TextField("備考", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "育成段階の期間"
        verbose_name_plural = "育成段階の期間"
        ordering = ["employee_id", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "valid_from"], name="stageperiod_unique_start"),
            models.UniqueConstraint(
                fields=["employee"], condition=Q(valid_to__isnull=True), name="stageperiod_one_open"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="stageperiod_valid_span",
            ),
        ]
        indexes = [models.Index(fields=["stage_code", "valid_from", "valid_to"], name="stageperiod_span_idx")]

    def __str__(self):
        return f"{self.employee} {self.stage_code} {self.valid_from}〜{self.valid_to or ''}"


class OjtPlan(models.Model):
    """One person's OJT plan for one 年度: systems and projects assigned, the mentor (OJT指導者) and goals."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="ojt_plans", verbose_name="職員")
    fiscal_year = models.PositiveSmallIntegerField("年度", db_index=True)
    stage_code = models.CharField("計画時の段階", max_length=30)
    mentor = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="mentored_plans", verbose_name="OJT指導者"
    )
    systems = models.TextField("担当システム", blank=True)
    projects = models.TextField("担当プロジェクト", blank=True)
    goals = models.TextField("目標")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="作成者",
    )  # fmt: skip
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "OJT計画"
        verbose_name_plural = "OJT計画"
        ordering = ["-fiscal_year", "employee_id"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "fiscal_year"], name="ojtplan_unique_year"),
            models.CheckConstraint(condition=~Q(mentor=models.F("employee")), name="ojtplan_mentor_not_self"),
        ]
        indexes = [models.Index(fields=["mentor", "fiscal_year"], name="ojtplan_mentor_idx")]

    def __str__(self):
        return f"{self.employee} {self.fiscal_year}年度"


class Half(models.IntegerChoices):
    FIRST = 1, "上期"
    SECOND = 2, "下期"


class OjtReview(models.Model):
    """The mentor's half-year review (半期振り返り) of a plan, with the experiences achieved in that half."""

    plan = models.ForeignKey(OjtPlan, on_delete=models.PROTECT, related_name="reviews", verbose_name="OJT計画")
    half = models.PositiveSmallIntegerField("半期", choices=Half.choices)
    reviewer = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="ojt_reviews_written", verbose_name="振り返りの記入者"
    )
    reviewed_on = models.DateField("振り返り日")
    progress = models.TextField("取組と成果")
    next_steps = models.TextField("次の半期の課題", blank=True)
    experiences = models.JSONField(
        "この半期に経験したこと", default=list, blank=True, help_text="ポリシーパックの経験コードのリスト"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "OJT振り返り"
        verbose_name_plural = "OJT振り返り"
        ordering = ["plan_id", "half"]
        constraints = [models.UniqueConstraint(fields=["plan", "half"], name="ojtreview_unique_half")]

    def __str__(self):
        return f"{self.plan} {self.get_half_display()}"


class PromotionStatus(models.TextChoices):
    PROPOSED = "proposed", "決定待ち"
    APPROVED = "approved", "昇格"
    REJECTED = "rejected", "見送り"


class Promotion(models.Model):
    """A promotion to the next stage: proposed by the mentor, decided by the head of the department (部長).

    Approval closes the current StagePeriod the day before `effective_on` and opens the next one.
    """

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="promotions", verbose_name="職員")
    from_stage = models.CharField("現在の段階", max_length=30)
    to_stage = models.CharField("昇格先の段階", max_length=30)
    proposed_by = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="promotions_proposed", verbose_name="推薦者（OJT指導者）"
    )
    proposed_on = models.DateField("推薦日")
    reasons = models.TextField("推薦理由")
    readiness = models.JSONField("推薦時点の基準の充足状況", default=dict, blank=True)
    status = models.CharField(
        "状態", max_length=10, choices=PromotionStatus.choices, default=PromotionStatus.PROPOSED, db_index=True
    )
    decided_by = models.ForeignKey(
        Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="promotions_decided",
        verbose_name="決定者（部長）",
    )  # fmt: skip
    decided_on = models.DateField("決定日", null=True, blank=True)
    decision_reasons = models.TextField("決定理由", blank=True)
    effective_on = models.DateField("昇格日", null=True, blank=True)
    stage_period = models.OneToOneField(
        StagePeriod, on_delete=models.PROTECT, null=True, blank=True, related_name="promotion",
        verbose_name="昇格後の段階の期間",
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = "昇格"
        verbose_name_plural = "昇格"
        ordering = ["-proposed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["employee"], condition=Q(status="proposed"), name="promotion_one_pending"),
        ]

    def __str__(self):
        return f"{self.employee} {self.from_stage}→{self.to_stage}"


class PostingStatus(models.TextChoices):
    OPEN = "open", "募集中"
    CLOSED = "closed", "募集終了"


class Posting(models.Model):
    """A ジョブチャレンジ opening (庁内公募): the ③ programme, a DX推進枠 post, 行政DX支援 / 地域DX支援 roles."""

    kind = models.CharField("募集の種類", max_length=30, help_text="ポリシーパックの募集種類コード")
    title = models.CharField("募集名", max_length=200)
    description = models.TextField("募集内容")
    requirements = models.TextField("応募資格", blank=True)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="配属先",
        help_text="決定した人の配属先（異動を伴う募集）",
    )  # fmt: skip
    slots = models.PositiveSmallIntegerField("募集人数", default=1)
    opens_on = models.DateField("募集開始日")
    deadline = models.DateField("締切日", db_index=True)
    starts_on = models.DateField("着任日", help_text="決定した人の異動・役割の開始日")
    status = models.CharField("状態", max_length=10, choices=PostingStatus.choices, default=PostingStatus.OPEN)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="登録者",
    )  # fmt: skip
    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ジョブチャレンジの募集"
        verbose_name_plural = "ジョブチャレンジの募集"
        ordering = ["-deadline", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gte=models.F("opens_on")), name="posting_span"),
            models.CheckConstraint(condition=Q(starts_on__gt=models.F("deadline")), name="posting_starts_after"),
        ]

    def __str__(self):
        return self.title


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", "応募"
    DOCUMENTS = "documents", "書類選考"
    INTERVIEW = "interview", "面談"
    ADOPTED = "adopted", "決定"
    REJECTED = "rejected", "不採用"
    WITHDRAWN = "withdrawn", "取下げ"


class Application(models.Model):
    """One employee's application to a posting, screened by hr (書類 → 面談 → 決定 / 不採用).

    A decision places the person without retyping: an Assignment to the posting's unit (③ entry, with a first
    StagePeriod) or a LeaderRole of the posting kind's role type, from the posting's `starts_on`.
    """

    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="applications", verbose_name="募集")
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="job_applications", verbose_name="応募者"
    )
    motivation = models.TextField("志望動機")
    status = models.CharField(
        "状態", max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.APPLIED, db_index=True
    )
    applied_at = models.DateTimeField("応募日時")
    manager = models.ForeignKey(
        Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="応募時の所属長", help_text="応募を知らされた所属長（パックの設定による）",
    )  # fmt: skip
    screening_note = models.TextField("選考メモ", blank=True)
    decided_on = models.DateField("決定日", null=True, blank=True)
    decision_reason = models.TextField("決定・不採用の理由", blank=True)
    placed_assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="異動（配属）"
    )
    placed_leader_role = models.ForeignKey(
        LeaderRole, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="リーダーの役割"
    )
    placed_stage_period = models.ForeignKey(
        StagePeriod, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="育成段階"
    )
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ジョブチャレンジの応募"
        verbose_name_plural = "ジョブチャレンジの応募"
        ordering = ["-applied_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["posting", "employee"], name="application_unique_person")]

    def __str__(self):
        return f"{self.posting} {self.employee}"
