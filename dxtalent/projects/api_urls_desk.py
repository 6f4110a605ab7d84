"""API URLs: desk (included by api_urls.py under /api/v1/)."""

urlpatterns: list = []
