"""Read-mostly admin of the training data (pages and services are the way to change it; history is kept)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Attendance, Course, CourseRun, ELearningCompletion, Enrollment, Session


@admin.register(Course)
class CourseAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "delivery", "provider", "talent_type", "hours", "is_active"]
    list_filter = ["delivery", "talent_type", "is_active"]
    search_fields = ["code", "title", "vendor_code", "provider"]


@admin.register(CourseRun)
class CourseRunAdmin(SimpleHistoryAdmin):
    list_display = ["title", "fiscal_year", "program", "capacity", "approval_required", "apply_from", "apply_until"]
    list_filter = ["fiscal_year", "program"]
    search_fields = ["title", "course__code", "course__title"]
    raw_id_fields = ["course"]


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    list_display = ["run", "number", "date", "phase_code", "hours", "is_makeup"]
    list_filter = ["is_makeup", "phase_code"]
    raw_id_fields = ["run", "makeup_for"]


@admin.register(Enrollment)
class EnrollmentAdmin(SimpleHistoryAdmin):
    list_display = ["employee", "run", "status", "waitlist_position", "applied_at"]
    list_filter = ["status"]
    search_fields = ["employee__number", "employee__name", "run__title"]
    raw_id_fields = ["employee", "run", "decided_by"]
    readonly_fields = ["status", "waitlist_position", "decided_by", "decided_at"]


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ["enrollment", "session", "status", "hours", "recorded_at"]
    list_filter = ["status"]
    raw_id_fields = ["enrollment", "session", "recorded_by"]


@admin.register(ELearningCompletion)
class ELearningCompletionAdmin(SimpleHistoryAdmin):
    list_display = ["employee", "course", "completed_on", "hours", "source"]
    search_fields = ["employee__number", "employee__name", "course__code"]
    raw_id_fields = ["employee", "course"]
