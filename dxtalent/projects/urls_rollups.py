"""Pages: the roll-ups of hours saved and the practice-year leaders (included by urls.py, namespace "projects")."""

from django.urls import path

from . import views_rollups as views

urlpatterns = [
    path("rollups/", views.rollups, name="rollups"),
    path("rollups/export/", views.rollups_export, name="rollups_export"),
    path("practice/", views.practice, name="practice"),
    path("practice/export/", views.practice_export, name="practice_export"),
]
