from django.contrib import admin

from .models import PolicyPack


@admin.register(PolicyPack)
class PolicyPackAdmin(admin.ModelAdmin):
    list_display = ["code", "version", "name", "municipality", "effective_from", "loaded_at"]
    readonly_fields = [f.name for f in PolicyPack._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
