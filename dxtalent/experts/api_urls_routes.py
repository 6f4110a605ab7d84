"""API URLs: hire routes and reference data (included by api_urls.py under /api/v1/)."""

from django.urls import path

from . import api_routes as api

urlpatterns = [
    path("hire-routes/", api.HireRoutesView.as_view(), name="api-hire-routes"),
    path("reference/city-survey/", api.CitySurveyView.as_view(), name="api-city-survey"),
]
