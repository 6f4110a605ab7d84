"""Pages of improvement projects and their roll-ups, under /projects/ (namespace "projects").

The support desk (/desk/, `urls_desk.py`) and the case library (/library/, `urls_library.py`) have their own
namespaces; config/urls.py includes all three.
"""

from . import urls_projects, urls_rollups

app_name = "projects"
urlpatterns = [*urls_rollups.urlpatterns, *urls_projects.urlpatterns]
