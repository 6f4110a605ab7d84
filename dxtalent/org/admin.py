from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assignment, Employee, ImportBatch, JobType, OrgUnit, OrgUnitVersion, Position, RoleGrant
from .services import employee_search_fields


class OrgUnitVersionInline(admin.TabularInline):
    model = OrgUnitVersion
    fk_name = "unit"
    extra = 0
    autocomplete_fields = ["parent"]


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "kind", "valid_from", "valid_to", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["code", "versions__name"]
    inlines = [OrgUnitVersionInline]


@admin.register(JobType)
class JobTypeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "sort_order"]
    search_fields = ["name"]


@admin.register(Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "rank", "is_manager"]
    search_fields = ["name"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["unit"]
    ordering = ["-valid_from"]


@admin.register(Employee)
class EmployeeAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "name_kana", "job_type", "status"]
    list_filter = ["status", "job_type"]
    search_fields = ["number", "name", "name_kana"]
    inlines = [AssignmentInline]
    raw_id_fields = ["user"]

    def save_model(self, request, obj, form, change):
        for key, value in employee_search_fields(number=obj.number, name=obj.name, name_kana=obj.name_kana).items():
            setattr(obj, key, value)
        super().save_model(request, obj, form, change)


@admin.register(RoleGrant)
class RoleGrantAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "scope_unit", "valid_from", "valid_to"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name"]
    autocomplete_fields = ["scope_unit"]
    raw_id_fields = ["user"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "filename", "as_of", "user"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
