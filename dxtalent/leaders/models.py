"""② DX推進リーダー: nomination (推薦), selection (選定), cohorts (第N期), practice groups, certification (認定),
and leader roles/placements (effective-dated). Policy numbers come from the cohort's policy pack."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from dxtalent.org.models import Dated, Employee, OrgUnit
from dxtalent.policy.models import PolicyPack
from dxtalent.training.models import Course, CourseRun, Enrollment


class NominationWindow(models.Model):
    """The nomination period of a fiscal year (推薦受付), with a quota per 局区."""

    fiscal_year = models.PositiveSmallIntegerField("年度", unique=True)
    pack = models.ForeignKey(PolicyPack, on_delete=models.PROTECT, verbose_name="ポリシーパック")
    opens_on = models.DateField("受付開始日")
    closes_on = models.DateField("締切日")
    note = models.TextField("お知らせ", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "推薦受付"
        verbose_name_plural = "推薦受付"
        ordering = ["-fiscal_year"]
        constraints = [models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="window_order")]

    def __str__(self):
        return f"{self.fiscal_year}年度 推薦受付"


class NominationQuota(models.Model):
    window = models.ForeignKey(
        NominationWindow, on_delete=models.PROTECT, related_name="quotas", verbose_name="推薦受付"
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="局区")
    quota = models.PositiveSmallIntegerField("推薦枠")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "推薦枠"
        verbose_name_plural = "推薦枠"
        constraints = [models.UniqueConstraint(fields=["window", "unit"], name="quota_unique_unit")]

    def __str__(self):
        return f"{self.window} {self.unit_id}: {self.quota}"


class NominationStatus(models.TextChoices):
    SUBMITTED = "submitted", "推薦中"
    SELECTED = "selected", "選定"
    RESERVE = "reserve", "補欠"
    DECLINED = "declined", "見送り"
    WITHDRAWN = "withdrawn", "取下げ"


class Nomination(models.Model):
    """A 局区's recommendation of a candidate (推薦), and the secretariat's decision on it."""

    window = models.ForeignKey(
        NominationWindow, on_delete=models.PROTECT, related_name="nominations", verbose_name="推薦受付"
    )
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="nominations", verbose_name="候補者")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="推薦した局区")
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="推薦者"
    )
    requirements = models.JSONField("要件の確認", default=dict, help_text="要件コード → 確認済みか")
    recommendation = models.TextField("推薦理由")
    status = models.CharField(
        "状態", max_length=20, choices=NominationStatus.choices, default=NominationStatus.SUBMITTED
    )
    decision_reason = models.TextField("選定理由・見送り理由", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="決定者",
    )
    decided_at = models.DateTimeField("決定日時", null=True, blank=True)
    created_at = models.DateTimeField("推薦日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "推薦"
        verbose_name_plural = "推薦"
        ordering = ["window_id", "unit_id", "created_at"]
        constraints = [models.UniqueConstraint(fields=["window", "employee"], name="nomination_unique_person")]

    def __str__(self):
        return f"{self.window.fiscal_year}年度 {self.employee}"


class Cohort(models.Model):
    """第N期: the people selected in a fiscal year, trained together under one policy pack version."""

    number = models.PositiveSmallIntegerField("期", unique=True)
    fiscal_year = models.PositiveSmallIntegerField("研修年度", unique=True)
    pack = models.ForeignKey(PolicyPack, on_delete=models.PROTECT, verbose_name="ポリシーパック")
    target_size = models.PositiveSmallIntegerField("計画人数")
    run = models.OneToOneField(
        CourseRun, on_delete=models.PROTECT, null=True, blank=True, related_name="cohort", verbose_name="研修の開講"
    )
    prelearning_course = models.ForeignKey(
        Course, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="事前学習の指定講座"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "期"
        verbose_name_plural = "期"
        ordering = ["number"]

    def __str__(self):
        return f"第{self.number}期"

    @property
    def practice_year(self) -> int:
        return self.fiscal_year + 1


class MemberStatus(models.TextChoices):
    TRAINING = "training", "研修中"
    COMPLETED = "completed", "修了"
    NOT_COMPLETED = "not_completed", "未修了"
    CERTIFIED = "certified", "認定"
    WITHDRAWN = "withdrawn", "辞退"


class CohortMember(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="members", verbose_name="期")
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="cohort_memberships", verbose_name="職員"
    )
    nomination = models.OneToOneField(
        Nomination, on_delete=models.PROTECT, null=True, blank=True, related_name="member", verbose_name="推薦"
    )
    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.PROTECT, null=True, blank=True, related_name="cohort_member", verbose_name="受講"
    )
    status = models.CharField("状態", max_length=20, choices=MemberStatus.choices, default=MemberStatus.TRAINING)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "研修生"
        verbose_name_plural = "研修生"
        ordering = ["cohort", "employee__kana_key"]
        constraints = [models.UniqueConstraint(fields=["cohort", "employee"], name="member_unique_person")]

    def __str__(self):
        return f"{self.cohort} {self.employee}"


class PracticeGroup(models.Model):
    """A スキル実践演習 group of 5–6 trainees working on a real business problem (テーマ)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="groups", verbose_name="期")
    number = models.PositiveSmallIntegerField("グループ番号")
    theme = models.CharField("テーマ（業務課題）", max_length=200, blank=True)
    theme_description = models.TextField("課題の内容", blank=True)
    theme_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="テーマの所属"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "実践演習グループ"
        verbose_name_plural = "実践演習グループ"
        ordering = ["cohort_id", "number"]
        constraints = [models.UniqueConstraint(fields=["cohort", "number"], name="group_unique_number")]

    def __str__(self):
        return f"{self.cohort} グループ{self.number}"


class GroupMembership(models.Model):
    group = models.ForeignKey(
        PracticeGroup, on_delete=models.PROTECT, related_name="memberships", verbose_name="グループ"
    )
    member = models.OneToOneField(
        CohortMember, on_delete=models.PROTECT, related_name="group_membership", verbose_name="研修生"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "グループの構成員"
        verbose_name_plural = "グループの構成員"

    def __str__(self):
        return f"{self.group} {self.member}"


class Deliverable(models.Model):
    """A practice session's output: 企画・要件定義, each member's prototype, the joint app, the presentation."""

    group = models.ForeignKey(
        PracticeGroup, on_delete=models.PROTECT, related_name="deliverables", verbose_name="グループ"
    )
    step_code = models.CharField("演習の回", max_length=30)
    member = models.ForeignKey(
        CohortMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="作成者"
    )
    title = models.CharField("成果物名", max_length=200)
    file = models.FileField("ファイル", upload_to="deliverables/%Y/", blank=True)
    url = models.URLField("リンク", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登録者"
    )
    submitted_at = models.DateTimeField("登録日時", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "成果物"
        verbose_name_plural = "成果物"
        ordering = ["group_id", "step_code", "submitted_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(file="") | ~Q(url=""), name="deliverable_has_file_or_url"),
        ]

    def __str__(self):
        return self.title


class GroupEvaluation(models.Model):
    """成果発表の評価."""

    group = models.OneToOneField(
        PracticeGroup, on_delete=models.PROTECT, related_name="evaluation", verbose_name="グループ"
    )
    presented_on = models.DateField("発表日")
    score = models.PositiveSmallIntegerField("評価（1〜5）")
    comment = models.TextField("講評", blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="評価者"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "成果発表の評価"
        verbose_name_plural = "成果発表の評価"
        constraints = [models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="evaluation_score_range")]

    def __str__(self):
        return f"{self.group} {self.score}"


class Certification(models.Model):
    """認定: the member became a DX推進リーダー on this date."""

    member = models.OneToOneField(
        CohortMember, on_delete=models.PROTECT, related_name="certification", verbose_name="研修生"
    )
    certified_on = models.DateField("認定日", db_index=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="認定者"
    )
    note = models.TextField("備考", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "認定"
        verbose_name_plural = "認定"
        ordering = ["-certified_on"]

    def __str__(self):
        return f"{self.member} {self.certified_on}"


class LeaderRole(Dated):
    """A leader's role type and placement for a span of time (定数内, DX推進枠, 行政DX支援, 地域DX支援・人材育成).

    The 部 a leader covers is not stored: it is wherever their current assignment sits, so a transferred
    leader stays a leader and covers their new 部.
    """

    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="leader_roles", verbose_name="リーダー"
    )
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="roles", verbose_name="認定"
    )
    role_type = models.CharField("役割類型", max_length=30, help_text="ポリシーパックの役割類型コード")
    note = models.TextField("備考", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "リーダーの役割・配置"
        verbose_name_plural = "リーダーの役割・配置"
        ordering = ["employee_id", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "valid_from"], name="leaderrole_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="leaderrole_valid_span",
            ),
        ]
        indexes = [models.Index(fields=["valid_from", "valid_to"], name="leaderrole_span_idx")]

    def __str__(self):
        return f"{self.employee} {self.role_type} {self.valid_from}〜{self.valid_to or ''}"
