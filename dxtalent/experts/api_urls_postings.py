"""API URLs: ジョブチャレンジ postings and applications (included by api_urls.py under /api/v1/)."""

from django.urls import path

from . import api_postings as api
from . import api_postings_applications as apps

urlpatterns = [
    path("postings/", api.PostingListView.as_view(), name="api-postings"),
    path("postings/<int:pk>/", api.PostingDetailView.as_view(), name="api-posting"),
    path("postings/<int:pk>/close/", api.PostingCloseView.as_view(), name="api-posting-close"),
    path("applications/", apps.ApplicationListView.as_view(), name="api-applications"),
    path("applications/<int:pk>/", apps.ApplicationDetailView.as_view(), name="api-application"),
    path("applications/<int:pk>/advance/", apps.ApplicationAdvanceView.as_view(), name="api-application-advance"),
    path("applications/<int:pk>/withdraw/", apps.ApplicationWithdrawView.as_view(), name="api-application-withdraw"),
]
