"""API URLs: roll-ups and practice-year leaders (included by api_urls.py under /api/v1/)."""

from django.urls import path

from . import api_rollups

urlpatterns = [
    path("project-rollups/", api_rollups.ProjectRollupsView.as_view(), name="api_project_rollups"),
    path("practice-leaders/", api_rollups.PracticeLeadersView.as_view(), name="api_practice_leaders"),
]
