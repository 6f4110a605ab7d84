"""API URLs: projects (included by api_urls.py under /api/v1/)."""

from django.urls import path

from . import api_projects as api

urlpatterns = [
    path("projects/", api.ProjectListView.as_view(), name="api-projects"),
    path("projects/<int:pk>/", api.ProjectDetailView.as_view(), name="api-project"),
    path("projects/<int:pk>/complete/", api.ProjectCompleteView.as_view(), name="api-project-complete"),
    path("projects/<int:pk>/send-back/", api.ProjectSendBackView.as_view(), name="api-project-send-back"),
    path("projects/<int:pk>/cancel/", api.ProjectCancelView.as_view(), name="api-project-cancel"),
    path("projects/<int:pk>/attachments/", api.ProjectAttachmentsView.as_view(), name="api-project-attachments"),
]
