"""The training engine: courses, runs, sessions, enrollments, attendance and e-learning completions.

It serves ① every employee (catalog, 北大連携 reskilling menu, e-learning) and ② the DX推進リーダー curriculum,
whose runs carry the pack's phase codes on their sessions.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from dxtalent.org.models import Employee


class Delivery(models.TextChoices):
    CLASSROOM = "classroom", "集合研修"
    ELEARNING = "elearning", "eラーニング"
    HANDSON = "handson", "ハンズオン"


class Course(models.Model):
    """A course in the catalog (研修メニュー)."""

    code = models.CharField("講座コード", max_length=30, unique=True)
    title = models.CharField("講座名", max_length=200)
    delivery = models.CharField("形式", max_length=20, choices=Delivery.choices)
    provider = models.CharField("実施主体", max_length=100, blank=True, help_text="例: 職員研修所、北大連携")
    talent_type = models.CharField(
        "対象の人材像", max_length=20, help_text="ポリシーパックの人材像コード（general など）"
    )
    hours = models.DecimalField("標準時間", max_digits=5, decimal_places=2)
    description = models.TextField("内容", blank=True)
    vendor_code = models.CharField(
        "eラーニング事業者の講座コード", max_length=50, blank=True, db_index=True, help_text="受講実績の取込で照合する"
    )
    is_active = models.BooleanField("募集対象", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "講座"
        verbose_name_plural = "講座"
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=Q(hours__gte=0), name="course_hours_nonnegative")]

    def __str__(self):
        return self.title


class CourseRun(models.Model):
    """One offering of a course in a fiscal year (開講), with its sessions and enrollments."""

    class Program(models.TextChoices):
        GENERAL = "general", "一般研修"
        LEADER_COHORT = "leader_cohort", "DX推進リーダー育成研修"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="runs", verbose_name="講座")
    fiscal_year = models.PositiveSmallIntegerField("年度", db_index=True)
    title = models.CharField("開講名", max_length=200)
    program = models.CharField("区分", max_length=20, choices=Program.choices, default=Program.GENERAL)
    capacity = models.PositiveIntegerField("定員", null=True, blank=True, help_text="空欄は定員なし")
    approval_required = models.BooleanField("所属長の承認が必要", default=True)
    apply_from = models.DateField("申込開始日", null=True, blank=True)
    apply_until = models.DateField("申込締切日", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "開講"
        verbose_name_plural = "開講"
        ordering = ["-fiscal_year", "course__code", "id"]

    def __str__(self):
        return self.title


class Session(models.Model):
    """A dated session of a run (研修日). Make-up sessions (補講) count toward the same phase."""

    run = models.ForeignKey(CourseRun, on_delete=models.PROTECT, related_name="sessions", verbose_name="開講")
    phase_code = models.CharField("フェーズ", max_length=30, blank=True, help_text="カリキュラムのフェーズコード")
    number = models.PositiveSmallIntegerField("回")
    date = models.DateField("日付", db_index=True)
    start_time = models.TimeField("開始時刻", null=True, blank=True)
    end_time = models.TimeField("終了時刻", null=True, blank=True)
    place = models.CharField("会場", max_length=200, blank=True)
    capacity = models.PositiveIntegerField("定員", null=True, blank=True)
    hours = models.DecimalField("時間", max_digits=4, decimal_places=2)
    is_makeup = models.BooleanField("補講", default=False)
    makeup_for = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="makeups", verbose_name="補講の対象回"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "研修日"
        verbose_name_plural = "研修日"
        ordering = ["run_id", "date", "start_time", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="session_hours_positive"),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(start_time__isnull=True) | Q(end_time__gt=F("start_time")),
                name="session_time_order",
            ),
        ]

    def __str__(self):
        kind = "補講" if self.is_makeup else f"第{self.number}回"
        return f"{self.run} {kind} {self.date}"


class EnrollmentStatus(models.TextChoices):
    APPLIED = "applied", "申込"
    WAITLISTED = "waitlisted", "キャンセル待ち"
    APPROVED = "approved", "承認"
    IN_PROGRESS = "in_progress", "受講中"
    COMPLETED = "completed", "修了"
    INCOMPLETE = "incomplete", "未修了"
    REJECTED = "rejected", "不承認"
    CANCELLED = "cancelled", "取消"


# States that hold a seat (count against capacity).
SEAT_HOLDING = (
    EnrollmentStatus.APPLIED,
    EnrollmentStatus.APPROVED,
    EnrollmentStatus.IN_PROGRESS,
    EnrollmentStatus.COMPLETED,
)


class Enrollment(models.Model):
    run = models.ForeignKey(CourseRun, on_delete=models.PROTECT, related_name="enrollments", verbose_name="開講")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="enrollments", verbose_name="職員")
    status = models.CharField("状態", max_length=20, choices=EnrollmentStatus.choices, default=EnrollmentStatus.APPLIED)
    applied_at = models.DateTimeField("申込日時", auto_now_add=True)
    waitlist_position = models.PositiveIntegerField("待ち順", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="承認者",
    )
    decided_at = models.DateTimeField("承認日時", null=True, blank=True)
    note = models.TextField("備考", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "受講申込"
        verbose_name_plural = "受講申込"
        ordering = ["run_id", "applied_at"]
        constraints = [models.UniqueConstraint(fields=["run", "employee"], name="enrollment_unique_person")]
        indexes = [models.Index(fields=["employee", "status"], name="enrollment_emp_status_idx")]

    def __str__(self):
        return f"{self.employee} / {self.run}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "出席"
    ABSENT = "absent", "欠席"
    PARTIAL = "partial", "遅刻・早退"


class Attendance(models.Model):
    """Attendance of one enrollee at one session, with the hours actually attended."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendances", verbose_name="研修日")
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="attendances", verbose_name="受講申込"
    )
    status = models.CharField("出欠", max_length=10, choices=AttendanceStatus.choices)
    hours = models.DecimalField("受講時間", max_digits=4, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="記録者",
    )
    recorded_at = models.DateTimeField("記録日時", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "出欠"
        verbose_name_plural = "出欠"
        constraints = [
            models.UniqueConstraint(fields=["session", "enrollment"], name="attendance_unique"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="attendance_hours_nonnegative"),
        ]

    def __str__(self):
        return f"{self.enrollment} {self.session} {self.get_status_display()}"


class ELearningCompletion(models.Model):
    """A completed e-learning course, imported from the vendor's file (or recorded by the secretariat)."""

    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="elearning_completions", verbose_name="職員"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions", verbose_name="講座")
    completed_on = models.DateField("修了日", db_index=True)
    hours = models.DecimalField("時間", max_digits=5, decimal_places=2)
    source = models.CharField("登録元", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "eラーニング修了"
        verbose_name_plural = "eラーニング修了"
        ordering = ["-completed_on"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "course", "completed_on"], name="elearning_unique"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="elearning_hours_nonnegative"),
        ]

    def __str__(self):
        return f"{self.employee} {self.course} {self.completed_on}"
