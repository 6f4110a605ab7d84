"""Competency assessments (マインド・スキル評価) against the pack's ② and ③ frameworks.

A campaign (評価の回) freezes the framework it uses: `Campaign.framework` is a copy of the pack's framework at the
time the campaign was created (code, version, scale, items with anchors), so a later pack with a changed framework
never rewrites old assessments. Every rating is checked against that copy, not against today's pack.

Each person in a campaign has one Assessment; they rate themselves (本人) and their evaluator (評価者: their
manager or OJT mentor) rates them. A rating is one item at one level, with an optional comment; evidence links
(attended sessions, project steps) hang on the assessment.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from dxtalent.org.models import Employee
from dxtalent.policy.models import PolicyPack
from dxtalent.training.models import Attendance, CourseRun


class CampaignKind(models.TextChoices):
    PRE = "pre", "研修前"
    POST = "post", "研修後"
    ANNUAL = "annual", "年次評価"
    OTHER = "other", "その他"


class CampaignStatus(models.TextChoices):
    OPEN = "open", "評価受付中"
    CLOSED = "closed", "締切"


class Campaign(models.Model):
    """One round of assessments (e.g. 第1期 研修前, 令和8年度 ③ 年次評価) on one frozen framework."""

    name = models.CharField("評価の名称", max_length=200)
    kind = models.CharField("種類", max_length=10, choices=CampaignKind.choices)
    fiscal_year = models.PositiveSmallIntegerField("年度", db_index=True)
    pack = models.ForeignKey(PolicyPack, on_delete=models.PROTECT, related_name="+", verbose_name="ポリシーパック")
    framework_code = models.CharField("フレームワーク", max_length=30, db_index=True)
    framework_version = models.CharField("フレームワークの版", max_length=20)
    framework = models.JSONField("フレームワーク（作成時点の写し）")
    run = models.ForeignKey(
        CourseRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="competency_campaigns",
        verbose_name="対象の研修（期）",
        help_text="研修前・研修後の評価では、その期の研修実施回",
    )
    opens_on = models.DateField("開始日")
    closes_on = models.DateField("締切日")
    status = models.CharField("状態", max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="作成者",
    )  # fmt: skip
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "評価の回"
        verbose_name_plural = "評価の回"
        ordering = ["-fiscal_year", "-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="campaign_span"),
        ]

    def __str__(self):
        return self.name


class Assessment(models.Model):
    """One person's assessment in a campaign: their self-rating and their evaluator's rating."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="assessments", verbose_name="評価の回"
    )
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="assessments", verbose_name="対象者")
    evaluator = models.ForeignKey(
        Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments_to_rate",
        verbose_name="評価者", help_text="所属長またはOJT指導者",
    )  # fmt: skip
    self_comment = models.TextField("本人コメント", blank=True)
    evaluator_comment = models.TextField("評価者コメント", blank=True)
    self_submitted_at = models.DateTimeField("本人評価の提出日時", null=True, blank=True)
    evaluator_submitted_at = models.DateTimeField("評価者評価の提出日時", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "評価"
        verbose_name_plural = "評価"
        ordering = ["campaign_id", "employee_id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "employee"], name="assessment_unique_person"),
            models.CheckConstraint(
                condition=Q(evaluator__isnull=True) | ~Q(evaluator=models.F("employee")),
                name="assessment_evaluator_not_self",
            ),
        ]
        indexes = [models.Index(fields=["evaluator", "campaign"], name="assessment_evaluator_idx")]

    def __str__(self):
        return f"{self.campaign} {self.employee}"


class Rater(models.TextChoices):
    SELF = "self", "本人"
    EVALUATOR = "evaluator", "評価者"


class Rating(models.Model):
    """One item of the campaign's framework at one level of its scale, by the person or their evaluator."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings", verbose_name="評価")
    rater = models.CharField("評価者区分", max_length=10, choices=Rater.choices)
    item_code = models.CharField("項目", max_length=30)
    level = models.PositiveSmallIntegerField("レベル")
    comment = models.TextField("コメント", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "評価項目のレベル"
        verbose_name_plural = "評価項目のレベル"
        ordering = ["assessment_id", "rater", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "rater", "item_code"], name="rating_unique_item"),
            models.CheckConstraint(condition=Q(level__gte=1), name="rating_level_positive"),
        ]

    def __str__(self):
        return f"{self.assessment} {self.rater} {self.item_code}={self.level}"


class EvidenceKind(models.TextChoices):
    SESSION = "session", "受講した研修"
    PROJECT = "project", "業務改善の取組"
    OTHER = "other", "その他"


class Evidence(models.Model):
    """A piece of evidence the person or the evaluator links to an assessment.

    A session is a real Attendance row. A project step lives in a higher app (projects), so it is kept as its
    id and a label captured when linked (`ref_id`, `label`); other evidence is a label and an optional URL.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence", verbose_name="評価")
    rater = models.CharField("登録者区分", max_length=10, choices=Rater.choices)
    kind = models.CharField("種類", max_length=10, choices=EvidenceKind.choices)
    item_code = models.CharField("関連する項目", max_length=30, blank=True)
    attendance = models.ForeignKey(
        Attendance, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="出席記録"
    )
    ref_id = models.PositiveIntegerField("参照先ID", null=True, blank=True)
    label = models.CharField("内容", max_length=300)
    url = models.CharField("リンク", max_length=500, blank=True)
    added_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        verbose_name = "根拠"
        verbose_name_plural = "根拠"
        ordering = ["assessment_id", "id"]

    def __str__(self):
        return self.label
