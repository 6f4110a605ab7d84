"""Admin of the leader programme: for looking things up and their change history (simple-history).

Every workflow change (nominations, decisions, cohorts, groups, certification, roles) goes through the services,
so the transition tables and their checks always apply: these admin pages are read-only. The notice text of a
nomination window is the only thing edited here (dates and quotas have their own pages with their checks).
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dxtalent.core.admin_readonly import ReadOnlyAdmin

from .models import (
    Certification,
    Cohort,
    CohortMember,
    Deliverable,
    GroupEvaluation,
    GroupMembership,
    LeaderRole,
    Nomination,
    NominationQuota,
    NominationWindow,
    PracticeGroup,
)


class QuotaInline(admin.TabularInline):
    model = NominationQuota
    extra = 0
    can_delete = False
    readonly_fields = ["unit", "quota"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(NominationWindow)
class NominationWindowAdmin(SimpleHistoryAdmin):
    list_display = ["fiscal_year", "opens_on", "closes_on", "pack"]
    readonly_fields = ["fiscal_year", "pack", "opens_on", "closes_on"]
    fields = ["fiscal_year", "pack", "opens_on", "closes_on", "note"]
    inlines = [QuotaInline]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ["employee", "window", "unit", "status", "decided_at"]
    list_filter = ["status", "window"]
    search_fields = ["employee__number", "employee__name", "employee__name_kana"]
    list_select_related = ["employee", "window", "unit"]


class MemberInline(admin.TabularInline):
    model = CohortMember
    extra = 0
    can_delete = False
    fields = ["employee", "status", "nomination", "enrollment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Cohort)
class CohortAdmin(ReadOnlyAdmin):
    list_display = ["number", "fiscal_year", "target_size", "pack", "run"]
    inlines = [MemberInline]


@admin.register(CohortMember)
class CohortMemberAdmin(ReadOnlyAdmin):
    list_display = ["employee", "cohort", "status"]
    list_filter = ["cohort", "status"]
    search_fields = ["employee__number", "employee__name", "employee__name_kana"]
    list_select_related = ["employee", "cohort"]


@admin.register(PracticeGroup)
class PracticeGroupAdmin(ReadOnlyAdmin):
    list_display = ["cohort", "number", "theme"]
    list_filter = ["cohort"]


@admin.register(GroupMembership)
class GroupMembershipAdmin(ReadOnlyAdmin):
    list_display = ["group", "member"]


@admin.register(Deliverable)
class DeliverableAdmin(ReadOnlyAdmin):
    list_display = ["title", "group", "step_code", "submitted_at"]


@admin.register(GroupEvaluation)
class GroupEvaluationAdmin(ReadOnlyAdmin):
    list_display = ["group", "presented_on", "score"]


@admin.register(Certification)
class CertificationAdmin(ReadOnlyAdmin):
    list_display = ["member", "certified_on", "certified_by"]
    date_hierarchy = "certified_on"


@admin.register(LeaderRole)
class LeaderRoleAdmin(ReadOnlyAdmin):
    list_display = ["employee", "role_type", "valid_from", "valid_to"]
    list_filter = ["role_type"]
    search_fields = ["employee__number", "employee__name"]
