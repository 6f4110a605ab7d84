"""Admin of projects, consultations and cases: for looking things up and their change history (simple-history).

Every change goes through the services (step order and ownership, the desk's status table, the search index), so
these admin pages are read-only.
"""

from django.contrib import admin

from dxtalent.core.admin_readonly import ReadOnlyAdmin, ReadOnlyInline

from .models import Attachment, Case, Consultation, ConsultationMessage, Project, ProjectEvent, ProjectParticipant


class EventInline(ReadOnlyInline):
    model = ProjectEvent


class ParticipantInline(ReadOnlyInline):
    model = ProjectParticipant


class MessageInline(ReadOnlyInline):
    model = ConsultationMessage


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ("title", "unit", "step", "status", "leader", "verified_on")
    list_filter = ("status", "step")
    search_fields = ("title",)
    list_select_related = ("unit", "leader")
    inlines = [ParticipantInline, EventInline]


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "status", "requester", "handler", "opened_at")
    list_filter = ("status", "kind")
    search_fields = ("title",)
    list_select_related = ("requester", "handler")
    inlines = [MessageInline]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("title", "work_category", "tool_kind", "status", "published_at")
    list_filter = ("status", "work_category", "tool_kind")
    search_fields = ("title",)


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("title", "project", "consultation", "size", "uploaded_at")
    list_select_related = ("project", "consultation")
