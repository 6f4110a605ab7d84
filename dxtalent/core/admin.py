from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import ExportLog, User

admin.site.register(User, UserAdmin)


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    list_display = ["exported_at", "user", "kind", "file_format", "row_count"]
    list_filter = ["kind", "file_format"]
    readonly_fields = ["exported_at", "user", "kind", "file_format", "filters", "row_count"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
