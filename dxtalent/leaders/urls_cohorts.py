"""Pages of nomination, selection and cohorts (included by urls.py under /leaders/, namespace "leaders")."""

from django.urls import path, re_path

from . import views_cohorts as v

urlpatterns = [
    path("", v.home, name="home"),
    path("windows/", v.window_list, name="window_list"),
    path("windows/new/", v.window_create, name="window_create"),
    path("windows/<int:pk>/", v.window_detail, name="window_detail"),
    path("windows/<int:pk>/edit/", v.window_edit, name="window_edit"),
    path("windows/<int:pk>/quotas/", v.window_quotas, name="window_quotas"),
    path("windows/<int:pk>/nominate/", v.nomination_create, name="nomination_create"),
    re_path(r"^windows/(?P<pk>[0-9]+)/nominations\.(?P<fmt>xlsx|csv)$", v.nomination_export, name="nomination_export"),
    path("windows/<int:pk>/cohort/", v.cohort_form, name="cohort_form"),
    path("nominations/<int:pk>/edit/", v.nomination_edit, name="nomination_edit"),
    path("nominations/<int:pk>/withdraw/", v.nomination_withdraw, name="nomination_withdraw"),
    path("selection/", v.selection, name="selection"),
    path("cohorts/", v.cohort_list, name="cohort_list"),
    path("cohorts/<int:pk>/", v.cohort_detail, name="cohort_detail"),
    re_path(r"^cohorts/(?P<pk>[0-9]+)/members\.(?P<fmt>xlsx|csv)$", v.cohort_export, name="cohort_export"),
    path("cohorts/<int:pk>/schedule/", v.cohort_schedule, name="cohort_schedule"),
    path("cohorts/<int:pk>/members/add/", v.cohort_add_member, name="cohort_add_member"),
]
