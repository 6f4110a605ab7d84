"""API URLs: projects (included by api_urls.py under /api/v1/)."""

urlpatterns: list = []
