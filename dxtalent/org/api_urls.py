"""/api/v1/ routes of the org app (config/urls.py includes this under api/v1/)."""

from django.urls import path

from . import api

app_name = "api_org"

urlpatterns = [
    path("org-units/", api.OrgUnitListView.as_view(), name="orgunit-list"),
    path("org-units/<int:pk>/", api.OrgUnitDetailView.as_view(), name="orgunit-detail"),
    path("employees/", api.EmployeeListView.as_view(), name="employee-list"),
    path("employees/<int:pk>/", api.EmployeeDetailView.as_view(), name="employee-detail"),
    path("assignments/", api.AssignmentListView.as_view(), name="assignment-list"),
]
