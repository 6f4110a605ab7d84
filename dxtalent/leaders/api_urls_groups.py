"""/api/v1/ routes for practice groups, deliverables, evaluations, certification and leader roles."""

from django.urls import path

from . import api_groups as api

urlpatterns = [
    path("cohorts/<int:cohort_pk>/groups/", api.CohortGroupsView.as_view(), name="api-leader-groups"),
    path(
        "cohorts/<int:cohort_pk>/groups/propose/",
        api.CohortGroupsProposeView.as_view(),
        name="api-leader-groups-propose",
    ),
    path("groups/<int:pk>/", api.GroupDetailView.as_view(), name="api-leader-group"),
    path("groups/<int:pk>/theme/", api.GroupThemeView.as_view(), name="api-leader-group-theme"),
    path("groups/<int:pk>/members/", api.GroupMoveView.as_view(), name="api-leader-group-move"),
    path("groups/<int:pk>/deliverables/", api.DeliverablesView.as_view(), name="api-leader-deliverables"),
    path("groups/<int:pk>/evaluation/", api.EvaluationView.as_view(), name="api-leader-evaluation"),
    path("cohorts/<int:cohort_pk>/certification/", api.CertificationView.as_view(), name="api-leader-certification"),
    path("leader-roles/", api.LeaderRolesView.as_view(), name="api-leader-roles"),
    path("leader-roles/change/", api.LeaderRoleChangeView.as_view(), name="api-leader-roles-change"),
    path("leader-roles/end/", api.LeaderRoleEndView.as_view(), name="api-leader-roles-end"),
]
