"""API URLs: rollups (included by api_urls.py under /api/v1/)."""

urlpatterns: list = []
