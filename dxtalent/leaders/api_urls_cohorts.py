"""/api/v1/ routes for nomination windows, quotas, nominations and cohorts (names start with "api-")."""

from django.urls import path

from . import api_cohorts as api

urlpatterns = [
    path("nomination-windows/", api.WindowListView.as_view(), name="api-leader-windows"),
    path("nomination-windows/<int:pk>/", api.WindowDetailView.as_view(), name="api-leader-window"),
    path("nomination-windows/<int:pk>/quotas/", api.QuotaView.as_view(), name="api-leader-window-quotas"),
    path("nominations/", api.NominationListView.as_view(), name="api-leader-nominations"),
    path("nominations/<int:pk>/", api.NominationDetailView.as_view(), name="api-leader-nomination"),
    path("nominations/<int:pk>/withdraw/", api.NominationWithdrawView.as_view(), name="api-leader-nomination-withdraw"),
    path("nominations/<int:pk>/decide/", api.NominationDecideView.as_view(), name="api-leader-nomination-decide"),
    path("cohorts/", api.CohortListView.as_view(), name="api-leader-cohorts"),
    path("cohorts/<int:pk>/", api.CohortDetailView.as_view(), name="api-leader-cohort"),
    path("cohorts/<int:pk>/members/", api.CohortMembersView.as_view(), name="api-leader-cohort-members"),
    path("cohorts/<int:pk>/sessions/", api.CohortSessionsView.as_view(), name="api-leader-cohort-sessions"),
]
