"""API of projects, consultations, cases and roll-ups under /api/v1/ (each area in its own module)."""

from . import api_urls_desk, api_urls_library, api_urls_projects, api_urls_rollups

urlpatterns = [
    *api_urls_projects.urlpatterns,
    *api_urls_desk.urlpatterns,
    *api_urls_library.urlpatterns,
    *api_urls_rollups.urlpatterns,
]
