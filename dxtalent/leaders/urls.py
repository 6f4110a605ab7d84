"""Pages of the leader programme. Nominations/cohorts and groups/certification/roles live in separate modules."""

from . import urls_cohorts, urls_groups

app_name = "leaders"
urlpatterns = [*urls_cohorts.urlpatterns, *urls_groups.urlpatterns]
