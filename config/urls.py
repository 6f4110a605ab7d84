from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from dxtalent.org import views as org_views

admin.site.site_header = "dxtalent マスタ管理"
admin.site.site_title = "dxtalent"
admin.site.index_title = "マスタデータ"

urlpatterns = [
    path("", org_views.home, name="home"),
    path(
        "accounts/login/",
        login_not_required(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("dxtalent.org.urls")),
]
