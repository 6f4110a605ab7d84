"""Org units (effective-dated tree), employees and their dated assignments (所属・異動).

Nothing here is ever deleted: units and assignments are end-dated, renames and moves are new versions.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from dxtalent.core.roles import Role


class OrgKind(models.TextChoices):
    KYOKU = "kyoku", "局"
    KU = "ku", "区"
    BU = "bu", "部"
    KA = "ka", "課"
    KAKARI = "kakari", "係"


# Depth of each kind in the tree: 局/区 → 部 → 課 → 係.
KIND_LEVEL = {OrgKind.KYOKU: 1, OrgKind.KU: 1, OrgKind.BU: 2, OrgKind.KA: 3, OrgKind.KAKARI: 4}
TOP_KINDS = (OrgKind.KYOKU, OrgKind.KU)


def valid_on(day: dt.date, prefix: str = "") -> Q:
    """Rows whose [valid_from, valid_to] span contains `day` (valid_to null = open-ended)."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


class Dated(models.Model):
    valid_from = models.DateField("開始日")
    valid_to = models.DateField("終了日", null=True, blank=True)

    class Meta:
        abstract = True

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class OrgUnit(Dated):
    """The identity of a unit (組織). Its name and parent over time live in OrgUnitVersion."""

    code = models.CharField("組織コード", max_length=20, unique=True)
    kind = models.CharField("種別", max_length=10, choices=OrgKind.choices)
    sort_order = models.PositiveIntegerField("表示順", default=0)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name="統合先",
    )
    # Every write bumps it (auto_now also applies in bulk_create); the cached org tree compares it.
    changed_at = models.DateTimeField("更新日時", auto_now=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["changed_at"])

    class Meta:
        verbose_name = "組織"
        verbose_name_plural = "組織"
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_span",
            )
        ]

    def __str__(self):
        current = next(iter(self.versions.all()), None) if hasattr(self, "_prefetched_objects_cache") else None
        return f"{self.code} {current.name if current else ''}".strip()

    @property
    def level(self) -> int:
        return KIND_LEVEL[self.kind]


class OrgUnitVersion(Dated):
    """A unit's name and parent for a span of time: a rename or move is a new version."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="versions", verbose_name="組織")
    name = models.CharField("組織名", max_length=100)
    parent = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="child_versions",
        verbose_name="上位組織",
    )
    changed_at = models.DateTimeField("更新日時", auto_now=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["changed_at"])

    class Meta:
        verbose_name = "組織の名称・所属（期間別）"
        verbose_name_plural = "組織の名称・所属（期間別）"
        ordering = ["unit_id", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="orgunitversion_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="orgunitversion_valid_span",
            ),
        ]
        indexes = [models.Index(fields=["valid_from", "valid_to"], name="orgver_span_idx")]

    def __str__(self):
        return f"{self.name}（{self.valid_from}〜{self.valid_to or ''}）"


class JobType(models.Model):
    """職種・採用区分 (一般事務, 一般事務（デジタルコース）, 電気, 土木, 保健師 …): master data."""

    code = models.CharField("コード", max_length=20, unique=True)
    name = models.CharField("職種", max_length=50, unique=True)
    sort_order = models.PositiveIntegerField("表示順", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "職種"
        verbose_name_plural = "職種"
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class Position(models.Model):
    """職位 (局長, 部長, 課長, 係長, 主査, 一般職員 …): master data; rank orders them, 1 = highest."""

    code = models.CharField("コード", max_length=20, unique=True)
    name = models.CharField("職位", max_length=50, unique=True)
    rank = models.PositiveSmallIntegerField("序列", default=99)
    is_manager = models.BooleanField("管理職", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "職位"
        verbose_name_plural = "職位"
        ordering = ["rank", "code"]

    def __str__(self):
        return self.name


class EmploymentStatus(models.TextChoices):
    ACTIVE = "active", "在職"
    RETIRED = "retired", "退職・転出"


class Employee(models.Model):
    """A member of staff (職員). Where they sit lives in Assignment, dated."""

    number = models.CharField("職員番号", max_length=20, unique=True)
    name = models.CharField("氏名", max_length=100)
    name_kana = models.CharField("氏名カナ", max_length=100)
    kana_key = models.CharField("カナ並び順", max_length=100, db_index=True, editable=False)
    search_text = models.CharField("検索用", max_length=300, editable=False, db_index=True)
    job_type = models.ForeignKey(JobType, on_delete=models.PROTECT, verbose_name="職種・採用区分")
    hire_date = models.DateField("採用年月日")
    email = models.EmailField("メールアドレス", blank=True)
    status = models.CharField(
        "在職状況", max_length=10, choices=EmploymentStatus.choices, default=EmploymentStatus.ACTIVE
    )
    left_on = models.DateField("退職・転出日", null=True, blank=True)
    hire_route = models.CharField(
        "採用区分・育成経路",
        max_length=30,
        blank=True,
        default="",
        db_default="",  # bulk imports insert employees without this column
        db_index=True,
        help_text="ポリシーパックの採用経路コード（一般事務・デジタルコース・電気・庁内公募など）",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
        verbose_name="ログインユーザー",
    )
    history = HistoricalRecords(excluded_fields=["kana_key", "search_text"])

    class Meta:
        verbose_name = "職員"
        verbose_name_plural = "職員"
        ordering = ["kana_key", "number"]

    def __str__(self):
        return f"{self.name}（{self.number}）"


class Assignment(Dated):
    """One span of a person's 所属 and 職位 (異動履歴). A transfer end-dates the old row and adds a new one."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="assignments", verbose_name="職員")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="assignments", verbose_name="所属")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, verbose_name="職位")
    source = models.CharField("登録元", max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "所属（異動履歴）"
        verbose_name_plural = "所属（異動履歴）"
        ordering = ["employee_id", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "valid_from"], name="assignment_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="assignment_valid_span",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "valid_from", "valid_to"], name="assignment_unit_span_idx"),
            models.Index(fields=["valid_to", "valid_from"], name="assignment_span_idx"),
        ]

    def __str__(self):
        return f"{self.employee_id} @ {self.unit_id} {self.valid_from}〜{self.valid_to or ''}"


class RoleGrant(Dated):
    """A role held by a login, with its org scope (局区 for liaison, 課 for manager).

    Without a scope unit, liaison and manager scopes follow the person's current assignment, so a
    transferred manager covers their new 課 without anyone editing grants.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="role_grants",
        verbose_name="ユーザー",
    )
    role = models.CharField("ロール", max_length=20, choices=Role.choices)
    scope_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="担当範囲（組織）",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ロール付与"
        verbose_name_plural = "ロール付与"
        ordering = ["user_id", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="rolegrant_valid_span",
            )
        ]

    def __str__(self):
        return f"{self.user} : {self.get_role_display()}"


class ImportBatch(models.Model):
    """A record of every import that wrote something (名簿・組織の取込記録)."""

    class Kind(models.TextChoices):
        ROSTER = "roster", "職員名簿"
        ORG = "org", "組織"

    kind = models.CharField("種類", max_length=10, choices=Kind.choices)
    filename = models.CharField("ファイル名", max_length=255)
    as_of = models.DateField("基準日", null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name="実行者"
    )
    created_at = models.DateTimeField("取込日時", auto_now_add=True)
    summary = models.JSONField("結果", default=dict)

    class Meta:
        verbose_name = "取込記録"
        verbose_name_plural = "取込記録"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.filename} {self.created_at:%Y-%m-%d %H:%M}"
