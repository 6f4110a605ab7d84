"""API URLs: desk (included by api_urls.py under /api/v1/)."""

from django.urls import path

from . import api_desk as api

urlpatterns = [
    path("consultations/", api.ConsultationsView.as_view(), name="api-consultations"),
    path("consultations/<int:pk>/", api.ConsultationDetailView.as_view(), name="api-consultation"),
    path("consultations/<int:pk>/messages/", api.ConsultationMessagesView.as_view(), name="api-consultation-messages"),
    path(
        "consultations/<int:pk>/attachments/",
        api.ConsultationAttachmentsView.as_view(),
        name="api-consultation-attachments",
    ),
    path("consultations/<int:pk>/assign/", api.ConsultationAssignView.as_view(), name="api-consultation-assign"),
    path("consultations/<int:pk>/status/", api.ConsultationStatusView.as_view(), name="api-consultation-status"),
    path(
        "consultations/<int:pk>/link-case/", api.ConsultationLinkCaseView.as_view(), name="api-consultation-link-case"
    ),
]
