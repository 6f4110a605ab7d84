"""Pages: rollups (included by urls.py, namespace "projects")."""

urlpatterns: list = []
