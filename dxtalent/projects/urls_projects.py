"""Pages: projects (included by urls.py, namespace "projects")."""

from django.urls import path, re_path

from . import views_projects as views

urlpatterns = [
    path("", views.project_list, name="list"),
    re_path(r"^export\.(?P<fmt>xlsx|csv)$", views.project_export, name="export"),
    path("new/", views.project_create, name="new"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("attachments/<int:pk>/file/", views.attachment_file, name="attachment_file"),
]
