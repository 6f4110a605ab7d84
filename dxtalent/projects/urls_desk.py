"""The support desk (案件相談・伴走支援) under /desk/."""

from django.urls import path, re_path

from . import views_desk as v

app_name = "desk"
urlpatterns = [
    path("", v.desk_list, name="list"),
    re_path(r"^export\.(?P<fmt>xlsx|csv)$", v.desk_export, name="export"),
    path("new/", v.desk_new, name="new"),
    path("<int:pk>/", v.desk_detail, name="detail"),
    path("attachments/<int:pk>/", v.desk_attachment, name="attachment"),
]
