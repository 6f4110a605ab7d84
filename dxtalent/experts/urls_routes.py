"""Pages: hire route comparison and the 20 designated cities survey (included under /hiring/, namespace "hiring")."""

from django.urls import path

from . import views_routes as views

app_name = "hiring"

urlpatterns = [
    path("", views.routes, name="routes"),
    path("export.xlsx", views.routes_export, name="routes_export"),
    path("survey/", views.survey, name="survey"),
    path("survey/export.xlsx", views.survey_export, name="survey_export"),
]
