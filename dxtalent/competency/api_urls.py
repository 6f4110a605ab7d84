"""/api/v1/ routes of the competency app."""

from django.urls import path

from .api import assessments, campaigns, frameworks

urlpatterns = [
    path("competency/frameworks/", frameworks.FrameworkListView.as_view(), name="api-competency-frameworks"),
    path(
        "competency/frameworks/<str:code>/",
        frameworks.FrameworkDetailView.as_view(),
        name="api-competency-framework",
    ),
    path("competency/campaigns/", campaigns.CampaignListView.as_view(), name="api-competency-campaigns"),
    path("competency/campaigns/<int:pk>/", campaigns.CampaignDetailView.as_view(), name="api-competency-campaign"),
    path(
        "competency/campaigns/<int:pk>/close/",
        campaigns.CampaignCloseView.as_view(),
        name="api-competency-campaign-close",
    ),
    path(
        "competency/campaigns/<int:pk>/people/",
        campaigns.CampaignPeopleView.as_view(),
        name="api-competency-campaign-people",
    ),
    path("competency/assessments/", assessments.AssessmentListView.as_view(), name="api-competency-assessments"),
    path(
        "competency/assessments/<int:pk>/",
        assessments.AssessmentDetailView.as_view(),
        name="api-competency-assessment",
    ),
    path(
        "competency/assessments/<int:pk>/rate/",
        assessments.AssessmentRateView.as_view(),
        name="api-competency-assessment-rate",
    ),
    path(
        "competency/assessments/<int:pk>/evidence/",
        assessments.AssessmentEvidenceView.as_view(),
        name="api-competency-assessment-evidence",
    ),
]
