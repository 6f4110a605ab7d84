"""/competency/ pages: my assessments, campaigns, one assessment, cohort pre/post and group gaps."""

from django.urls import path, re_path

from . import views

app_name = "competency"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign_new"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/people/", views.campaign_people, name="campaign_people"),
    path("campaigns/<int:pk>/close/", views.campaign_close, name="campaign_close"),
    re_path(r"^campaigns/(?P<pk>[0-9]+)/export\.(?P<fmt>xlsx|csv)$", views.campaign_export, name="campaign_export"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:pk>/rate/", views.assessment_rate, name="assessment_rate"),
    path("assessments/<int:pk>/evidence/", views.assessment_evidence, name="assessment_evidence"),
    path("cohort/", views.cohort, name="cohort"),
    path("cohort/export.xlsx", views.cohort_export, name="cohort_export"),
    path("gaps/", views.gaps, name="gaps"),
    path("gaps/export.xlsx", views.gaps_export, name="gaps_export"),
]
