"""/api/v1/training/… routes (config/urls.py includes this under api/v1/)."""

from django.urls import path

from . import api

app_name = "api_training"

urlpatterns = [
    path("training/courses/", api.CourseListView.as_view(), name="course-list"),
    path("training/courses/<int:pk>/", api.CourseDetailView.as_view(), name="course-detail"),
    path("training/runs/", api.RunListView.as_view(), name="run-list"),
    path("training/runs/<int:pk>/", api.RunDetailView.as_view(), name="run-detail"),
    path("training/sessions/", api.SessionListView.as_view(), name="session-list"),
    path("training/sessions/<int:pk>/", api.SessionDetailView.as_view(), name="session-detail"),
    path("training/sessions/<int:pk>/attendance/", api.AttendanceView.as_view(), name="attendance"),
    path("training/enrollments/", api.EnrollmentListView.as_view(), name="enrollment-list"),
    path("training/enrollments/<int:pk>/", api.EnrollmentDetailView.as_view(), name="enrollment-detail"),
    path("training/enrollments/<int:pk>/<str:action>/", api.EnrollmentActionView.as_view(), name="enrollment-action"),
    path("training/employees/<int:pk>/hours/", api.LedgerView.as_view(), name="hours-ledger"),
]
