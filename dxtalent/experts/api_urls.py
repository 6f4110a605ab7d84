"""/api/v1/ routes of the experts app: the OJT ladder, hire routes and reference data, ジョブチャレンジ."""

from django.urls import include, path

urlpatterns = [
    path("", include("dxtalent.experts.api_urls_ladder")),
    path("", include("dxtalent.experts.api_urls_routes")),
    path("", include("dxtalent.experts.api_urls_postings")),
]
