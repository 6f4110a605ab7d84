"""/api/v1/ routes of the policy app (config/urls.py includes this under api/v1/)."""

from django.urls import path

from . import api

app_name = "api_policy"

urlpatterns = [
    path("policy-packs/", api.PolicyPackListView.as_view(), name="pack-list"),
    path("policy-packs/<int:pk>/", api.PolicyPackDetailView.as_view(), name="pack-detail"),
]
