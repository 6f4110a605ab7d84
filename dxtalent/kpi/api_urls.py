"""/api/v1/ routes of the kpi app (config/urls.py includes this under api/v1/)."""

from django.urls import path

from . import api

app_name = "api_kpi"

urlpatterns = [
    path("kpi/programme/", api.ProgrammeKpiView.as_view(), name="programme"),
]
