"""The case library (優良事例・横展開) under /library/."""

from django.urls import path, re_path

from . import views_library as views

app_name = "library"
urlpatterns = [
    path("", views.search, name="search"),
    re_path(r"^export\.(?P<fmt>xlsx|csv)$", views.export, name="export"),
    path("publish/", views.publishable, name="publishable"),
    path("publish/<int:project_pk>/", views.publish, name="publish"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/adopt/", views.adopt, name="adopt"),
]
