"""Admin of competency campaigns and assessments: for looking things up and their change history (simple-history).

Every change goes through the services (frozen frameworks, who may rate, open campaigns), so these pages are
read-only. Ratings are private: only superusers/secretariat with admin access reach them at all.
"""

from django.contrib import admin

from dxtalent.core.admin_readonly import ReadOnlyAdmin, ReadOnlyInline

from .models import Assessment, Campaign, Evidence, Rating


class RatingInline(ReadOnlyInline):
    model = Rating
    fields = ["rater", "item_code", "level", "comment"]


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fields = ["rater", "kind", "item_code", "label", "url", "added_at"]
    readonly_fields = ["added_at"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = [
        "name",
        "kind",
        "fiscal_year",
        "framework_code",
        "framework_version",
        "opens_on",
        "closes_on",
        "status",
    ]
    list_filter = ["kind", "status", "fiscal_year", "framework_code"]
    search_fields = ["name"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "employee", "evaluator", "self_submitted_at", "evaluator_submitted_at"]
    list_filter = ["campaign"]
    list_select_related = ["campaign", "employee", "evaluator"]
    search_fields = ["employee__number", "employee__name"]
    raw_id_fields = ["employee", "evaluator"]
    inlines = [RatingInline, EvidenceInline]
