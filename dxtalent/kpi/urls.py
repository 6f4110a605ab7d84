from django.urls import path

from . import views

app_name = "kpi"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/", views.export, name="export"),
    path("policy/", views.policy, name="policy"),
]
