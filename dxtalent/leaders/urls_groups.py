"""Pages of practice groups, certification (認定) and leaders (app_name "leaders", see urls.py)."""

from django.urls import path, re_path

from . import views_groups as views

urlpatterns = [
    path("cohorts/<int:cohort_pk>/groups/", views.groups_page, name="groups"),
    path("groups/mine/", views.group_mine, name="my_groups"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("deliverables/<int:pk>/file/", views.deliverable_file, name="deliverable_file"),
    path("cohorts/<int:cohort_pk>/certification/", views.certification, name="certification"),
    path("list/", views.leader_list, name="leader_list"),
    re_path(r"^list/export\.(?P<fmt>xlsx|csv)$", views.leader_export, name="leader_export"),
    path("people/<int:pk>/", views.leader_detail, name="leader_detail"),
]
