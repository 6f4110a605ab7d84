from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    # everyone
    path("", views.catalog, name="catalog"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/apply/", views.apply, name="apply"),
    path("enrollments/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("my/", views.my_training, name="my_training"),
    # managers (and the secretariat / hr)
    path("approvals/", views.approvals, name="approvals"),
    path("enrollments/<int:pk>/decide/", views.decide, name="decide"),
    path("records/<int:pk>/", views.record, name="record"),
    # secretariat / hr
    path("manage/courses/", views.courses, name="manage_courses"),
    path("manage/courses/new/", views.course_create, name="manage_course_create"),
    path("manage/courses/<int:pk>/", views.course_detail, name="manage_course"),
    path("manage/courses/<int:pk>/edit/", views.course_edit, name="manage_course_edit"),
    path("manage/courses/<int:pk>/runs/new/", views.run_create, name="manage_run_create"),
    path("manage/runs/<int:pk>/", views.run_roster, name="manage_run"),
    path("manage/runs/<int:pk>/edit/", views.run_edit, name="manage_run_edit"),
    path("manage/runs/<int:pk>/enroll/", views.enroll, name="manage_enroll"),
    path("manage/runs/<int:pk>/sessions/new/", views.session_create, name="manage_session_create"),
    path("manage/sessions/<int:pk>/edit/", views.session_edit, name="manage_session_edit"),
    path("manage/enrollments/<int:pk>/<str:event>/", views.enrollment_action, name="manage_enrollment_action"),
    path("manage/sessions/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("manage/runs/<int:pk>/attendance.xlsx", views.export_run, name="attendance_export_run"),
    path("manage/attendance-export/", views.export_unit, name="attendance_export_unit"),
    path("manage/import-elearning/", views.import_elearning_page, name="import_elearning"),
]
