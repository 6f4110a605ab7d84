from django.urls import path, re_path

from . import import_views, views

app_name = "org"

urlpatterns = [
    path("org/", views.org_tree, name="tree"),
    path("employees/", views.employee_list, name="employee_list"),
    re_path(r"^employees/export\.(?P<fmt>xlsx|csv)$", views.employee_export, name="employee_export"),
    path("employees/<int:pk>/", views.employee_detail, name="employee_detail"),
    path("imports/roster/", import_views.import_roster_page, name="import_roster"),
    path("imports/org/", import_views.import_org_page, name="import_org"),
]
