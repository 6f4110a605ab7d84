"""API URLs: library (included by api_urls.py under /api/v1/)."""

from django.urls import path

from . import api_library as api

urlpatterns = [
    path("cases/", api.CaseListView.as_view(), name="api-cases"),
    path("cases/<int:pk>/", api.CaseDetailView.as_view(), name="api-case"),
    path("cases/<int:pk>/withdraw/", api.CaseWithdrawView.as_view(), name="api-case-withdraw"),
    path("cases/<int:pk>/adopt/", api.CaseAdoptView.as_view(), name="api-case-adopt"),
]
