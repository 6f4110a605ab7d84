"""Pages: projects (included by urls.py, namespace "projects")."""

urlpatterns: list = []
