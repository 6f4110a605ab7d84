"""Admin of the ③ ladder and ジョブチャレンジ: for looking things up and their change history (simple-history).

Every change goes through the services (who may act, one open stage period, one pending promotion, the placement
a decided application makes), so these admin pages are read-only.
"""

from django.contrib import admin

from dxtalent.core.admin_readonly import ReadOnlyAdmin

from .models import Application, OjtPlan, OjtReview, Posting, Promotion, StagePeriod


class ReviewInline(admin.TabularInline):
    model = OjtReview
    extra = 0
    can_delete = False
    fields = ("half", "reviewer", "reviewed_on", "progress", "experiences")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StagePeriod)
class StagePeriodAdmin(ReadOnlyAdmin):
    list_display = ("employee", "stage_code", "valid_from", "valid_to")
    list_filter = ("stage_code",)
    search_fields = ("employee__number", "employee__name")
    list_select_related = ("employee",)
    date_hierarchy = "valid_from"


@admin.register(OjtPlan)
class OjtPlanAdmin(ReadOnlyAdmin):
    list_display = ("employee", "fiscal_year", "stage_code", "mentor")
    list_filter = ("fiscal_year", "stage_code")
    search_fields = ("employee__number", "employee__name", "mentor__name")
    list_select_related = ("employee", "mentor")
    inlines = [ReviewInline]


@admin.register(Promotion)
class PromotionAdmin(ReadOnlyAdmin):
    list_display = ("employee", "from_stage", "to_stage", "status", "proposed_on", "decided_on", "effective_on")
    list_filter = ("status", "to_stage")
    search_fields = ("employee__number", "employee__name")
    list_select_related = ("employee",)


@admin.register(Posting)
class PostingAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "status", "opens_on", "deadline", "starts_on", "slots")
    list_filter = ("status", "kind")
    search_fields = ("title",)


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("posting", "employee", "status", "applied_at", "decided_on")
    list_filter = ("status",)
    search_fields = ("employee__number", "employee__name", "posting__title")
    list_select_related = ("posting", "employee")
