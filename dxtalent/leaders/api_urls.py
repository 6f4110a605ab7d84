from . import api_urls_cohorts, api_urls_groups

urlpatterns = [*api_urls_cohorts.urlpatterns, *api_urls_groups.urlpatterns]
