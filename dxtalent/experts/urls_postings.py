"""Pages: ジョブチャレンジ (included under /jobs/, namespace "jobs")."""

from django.urls import path, re_path

from . import views_postings as views

app_name = "jobs"

urlpatterns = [
    path("", views.posting_list, name="list"),
    path("new/", views.posting_create, name="new"),
    path("mine/", views.my_applications, name="mine"),
    path("staff/", views.staff_applications, name="staff"),
    path("<int:pk>/", views.posting_detail, name="detail"),
    path("<int:pk>/edit/", views.posting_edit, name="edit"),
    path("<int:pk>/close/", views.posting_close, name="close"),
    re_path(r"^(?P<pk>\d+)/applications\.(?P<fmt>xlsx|csv)$", views.applications_export, name="applications_export"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
]
