"""Improvement projects (業務改善), the support desk (案件相談・伴走支援) and the case library (優良事例・横展開).

A project belongs to a 課 and moves through the policy's four steps (names and owner roles come from the policy
pack's `improvement.steps`; the step's fields below hang on the step's fixed code). Hours are `Decimal`; the
monthly saving is always computed as baseline − after, never typed. Nothing is deleted: a project is cancelled,
a case withdrawn, a consultation closed.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from dxtalent.leaders.models import Certification, Cohort, PracticeGroup
from dxtalent.org.models import Employee, OrgUnit

FIRST_STEP, LAST_STEP = 1, 4


def hours_field(label: str, **kw) -> models.DecimalField:
    """Hours (or hours per month) as Decimal, never negative; blank until recorded."""
    return models.DecimalField(
        label,
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        **kw,
    )


class ProjectStatus(models.TextChoices):
    ACTIVE = "active", "進行中"
    DONE = "done", "定着・効果検証済み"
    CANCELLED = "cancelled", "中止"


class Project(models.Model):
    """An improvement project of one 課, led by a DX推進リーダー (or a trainee group's theme)."""

    title = models.CharField("件名", max_length=200)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="課")
    manager = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="managed_projects", verbose_name="管理職"
    )
    leader = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_projects",
        verbose_name="DX推進リーダー",
    )
    # The leader's cohort when the leader was assigned: roll-ups by 期 (第N期) read it.
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="リーダーの期"
    )
    group = models.ForeignKey(
        PracticeGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name="実践演習グループ（テーマ）",
    )
    # Set when this is the certified leader's practice-year (実践, 認定翌年度) project: one per certification.
    practice_certification = models.OneToOneField(
        Certification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practice_project",
        verbose_name="実践年度の取組（認定）",
    )
    participants = models.ManyToManyField(
        Employee, through="ProjectParticipant", related_name="participating_projects", verbose_name="所属職員"
    )
    source_case = models.ForeignKey(
        "Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adoptions",
        verbose_name="横展開元の事例",
    )
    work_category = models.CharField("業務分類", max_length=30, blank=True, help_text="ポリシーパックの業務分類コード")
    step = models.PositiveSmallIntegerField(
        "現在のステップ",
        default=FIRST_STEP,
        validators=[MinValueValidator(FIRST_STEP), MaxValueValidator(LAST_STEP)],
    )
    status = models.CharField("状態", max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE)
    step_entered_at = models.DateTimeField("現ステップの開始日時", default=timezone.now)

    # ① 問題点の共有【管理職】
    problem = models.TextField("問題点", blank=True)
    # ② 課題分析と解決策の企画【DX推進リーダー】
    as_is = models.TextField("現状（As-Is）", blank=True, help_text="今の業務の流れ、誰が何を把握しているか")
    to_be = models.TextField("改善案（To-Be）", blank=True)
    feedback = models.TextField("職員からの意見（実務者の視点）", blank=True)
    analysis_hours_planned = hours_field("課題分析・企画の予定工数（時間）")
    analysis_hours_actual = hours_field("課題分析・企画の実績工数（時間）")
    baseline_hours = hours_field("改善前の作業時間（時間/月）")
    planned_after_hours = hours_field("改善後の見込み作業時間（時間/月）")
    # ③ 解決策の試行・検証【DX推進リーダー】
    tool_kind = models.CharField(
        "ツールの種類", max_length=30, blank=True, help_text="ポリシーパックのツール種別コード"
    )
    tool_name = models.CharField("ツール・アプリ名", max_length=200, blank=True)
    trial = models.TextField("試行の内容（誰が試し、何が変わったか）", blank=True)
    support_received = models.TextField("デジタル戦略推進局から受けた支援", blank=True)
    trial_hours_planned = hours_field("試行・検証の予定工数（時間）")
    trial_hours_actual = hours_field("試行・検証の実績工数（時間）")
    # ④ 運用ルール承認・定着【管理職】
    operating_rule = models.TextField("運用ルール", blank=True)
    after_hours = hours_field("改善後の作業時間（時間/月）")
    qualitative_effects = models.TextField("定性的な効果", blank=True)
    verified_by = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="効果を確認した人",
    )
    verified_on = models.DateField("効果確認日", null=True, blank=True, db_index=True)
    verified_fiscal_year = models.PositiveSmallIntegerField("効果確認の年度", null=True, blank=True, db_index=True)

    created_at = models.DateTimeField("登録日時", default=timezone.now)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "業務改善プロジェクト"
        verbose_name_plural = "業務改善プロジェクト"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "step"], name="project_status_step"),
            models.Index(fields=["unit", "status"], name="project_unit_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(step__gte=FIRST_STEP, step__lte=LAST_STEP), name="project_step_range"),
            models.CheckConstraint(
                condition=~Q(status=ProjectStatus.DONE) | Q(verified_on__isnull=False, after_hours__isnull=False),
                name="project_done_is_verified",
            ),
            *(
                models.CheckConstraint(condition=Q(**{f"{f}__isnull": True}) | Q(**{f"{f}__gte": 0}), name=f"{f}_ge0")
                for f in (
                    "analysis_hours_planned",
                    "analysis_hours_actual",
                    "baseline_hours",
                    "planned_after_hours",
                    "trial_hours_planned",
                    "trial_hours_actual",
                    "after_hours",
                )
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def saving_hours(self) -> Decimal | None:
        """Verified hours saved per month (negative when the work grew); None until baseline and after exist."""
        if self.baseline_hours is None or self.after_hours is None:
            return None
        return self.baseline_hours - self.after_hours

    @property
    def planned_saving_hours(self) -> Decimal | None:
        if self.baseline_hours is None or self.planned_after_hours is None:
            return None
        return self.baseline_hours - self.planned_after_hours


class ProjectParticipant(models.Model):
    """A colleague (所属職員) taking part: information, feedback, testing, data clean-up."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="participations")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+", verbose_name="職員")
    contribution = models.CharField("関わり方", max_length=200, blank=True, help_text="例: 入力テスト、台帳の電子化")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "参加職員"
        verbose_name_plural = "参加職員"
        constraints = [models.UniqueConstraint(fields=["project", "employee"], name="participant_unique")]

    def __str__(self):
        return f"{self.project} {self.employee}"


class ProjectEventKind(models.TextChoices):
    CREATED = "created", "登録"
    COMPLETED = "completed", "ステップ完了"
    SENT_BACK = "sent_back", "差戻し"
    CANCELLED = "cancelled", "中止"


class ProjectEvent(models.Model):
    """The step log: every completion, send-back (with its reason) and cancellation, in order."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("種別", max_length=20, choices=ProjectEventKind.choices)
    from_step = models.PositiveSmallIntegerField("元のステップ", null=True, blank=True)
    to_step = models.PositiveSmallIntegerField("次のステップ", null=True, blank=True)
    reason = models.TextField("理由・コメント", blank=True)
    days_in_step = models.PositiveIntegerField("ステップの所要日数", null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作者",
    )
    at = models.DateTimeField("日時", default=timezone.now)

    class Meta:
        verbose_name = "ステップの記録"
        verbose_name_plural = "ステップの記録"
        ordering = ["project_id", "at", "pk"]
        indexes = [models.Index(fields=["kind", "from_step"], name="project_event_kind_step")]

    def __str__(self):
        return f"{self.project} {self.get_kind_display()}"


class ConsultationStatus(models.TextChoices):
    RECEIVED = "received", "受付"
    IN_PROGRESS = "in_progress", "対応中"
    RESOLVED = "resolved", "解決"
    OUT_OF_SCOPE = "out_of_scope", "対象外"


CLOSED_CONSULTATION = (ConsultationStatus.RESOLVED, ConsultationStatus.OUT_OF_SCOPE)


class Consultation(models.Model):
    """A consultation to the digital bureau (案件相談・伴走支援・予算要求支援 …), answered in a thread."""

    title = models.CharField("件名", max_length=200)
    kind = models.CharField("相談の種類", max_length=30, help_text="ポリシーパックの相談種別コード")
    description = models.TextField("相談内容")
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name="関連するプロジェクト",
    )
    requester = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="consultations", verbose_name="相談者"
    )
    # The requester's 課 when it was opened: who else may see it (their manager, their 局区's liaison) hangs on it.
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="相談者の所属")
    status = models.CharField(
        "状態", max_length=20, choices=ConsultationStatus.choices, default=ConsultationStatus.RECEIVED
    )
    handler = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_consultations",
        verbose_name="担当者（事務局）",
    )
    case = models.ForeignKey(
        "Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="参考になる事例"
    )
    opened_at = models.DateTimeField("受付日時", default=timezone.now, db_index=True)
    closed_at = models.DateTimeField("完了日時", null=True, blank=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "相談"
        verbose_name_plural = "相談"
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["status", "opened_at"], name="consultation_status_opened")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CLOSED_CONSULTATION, closed_at__isnull=False)
                | (~Q(status__in=CLOSED_CONSULTATION) & Q(closed_at__isnull=True)),
                name="consultation_closed_at_iff_closed",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_CONSULTATION


class ConsultationMessage(models.Model):
    """One reply in a consultation's thread (the requester's or the desk's)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="投稿者"
    )
    body = models.TextField("本文")
    posted_at = models.DateTimeField("投稿日時", default=timezone.now)

    class Meta:
        verbose_name = "相談のやりとり"
        verbose_name_plural = "相談のやりとり"
        ordering = ["consultation_id", "posted_at", "pk"]

    def __str__(self):
        return f"{self.consultation} {self.posted_at:%Y-%m-%d}"


class Attachment(models.Model):
    """A file on a project (e.g. an As-Is/To-Be flow diagram, at a step) or on a consultation."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments")
    step = models.PositiveSmallIntegerField("ステップ", null=True, blank=True)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    title = models.CharField("名称", max_length=200)
    file = models.FileField("ファイル", upload_to="projects/%Y/")
    size = models.PositiveIntegerField("サイズ（バイト）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登録者"
    )
    uploaded_at = models.DateTimeField("登録日時", default=timezone.now)

    class Meta:
        verbose_name = "添付ファイル"
        verbose_name_plural = "添付ファイル"
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False, consultation__isnull=True)
                | Q(project__isnull=True, consultation__isnull=False),
                name="attachment_has_one_owner",
            )
        ]

    def __str__(self):
        return self.title


class CaseStatus(models.TextChoices):
    PUBLISHED = "published", "公開中"
    WITHDRAWN = "withdrawn", "公開停止"


class Case(models.Model):
    """A finished project published to the library (優良事例) so other units can copy it (横展開).

    The text is the secretariat's edited copy; `show_unit` / `show_leader` say which personal details it shows.
    `search_text` is the normalised text the search indexes (maintained by the case services).
    """

    project = models.OneToOneField(
        Project, on_delete=models.PROTECT, related_name="case", verbose_name="元のプロジェクト"
    )
    title = models.CharField("事例名", max_length=200)
    summary = models.TextField("概要")
    problem = models.TextField("問題点", blank=True)
    as_is = models.TextField("現状（As-Is）", blank=True)
    to_be = models.TextField("改善案（To-Be）", blank=True)
    solution = models.TextField("解決策・ツール", blank=True)
    operating_rule = models.TextField("運用ルール", blank=True)
    effects = models.TextField("効果", blank=True)
    work_category = models.CharField("業務分類", max_length=30, help_text="ポリシーパックの業務分類コード")
    tool_kind = models.CharField("ツールの種類", max_length=30, help_text="ポリシーパックのツール種別コード")
    show_unit = models.BooleanField("所属名を公開する", default=True)
    show_leader = models.BooleanField("リーダー名を公開する", default=False)
    status = models.CharField("状態", max_length=20, choices=CaseStatus.choices, default=CaseStatus.PUBLISHED)
    published_at = models.DateTimeField("公開日時", default=timezone.now, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="公開した人"
    )
    search_text = models.TextField("検索用テキスト", blank=True, editable=False)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = "優良事例"
        verbose_name_plural = "優良事例"
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "work_category"], name="case_status_category")]

    def __str__(self):
        return self.title
