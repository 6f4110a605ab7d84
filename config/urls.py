from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated

from dxtalent.core.forms import StaffLoginForm
from dxtalent.org import api as org_api
from dxtalent.org import views as org_views

admin.site.site_header = "dxtalent マスタ管理"
admin.site.site_title = "dxtalent"
admin.site.index_title = "マスタデータ"

urlpatterns = [
    path("", org_views.home, name="home"),
    path(
        "accounts/login/",
        login_not_required(
            auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=StaffLoginForm)
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    # API: DRF views are login_not_required and answer 401/403 JSON themselves (IsAuthenticated by default).
    path("api/v1/auth/token/", org_api.ObtainTokenView.as_view(), name="api-token"),
    path("api/v1/", include("dxtalent.org.api_urls")),
    path("api/v1/", include("dxtalent.policy.api_urls")),
    path("api/v1/", include("dxtalent.training.api_urls")),
    path("api/v1/", include("dxtalent.competency.api_urls")),
    path("api/v1/", include("dxtalent.leaders.api_urls")),
    path("api/v1/", include("dxtalent.experts.api_urls")),
    path("api/v1/", include("dxtalent.projects.api_urls")),
    path("api/v1/", include("dxtalent.kpi.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="api-schema"),
    # Swagger UI from drf-spectacular-sidecar (no CDN); the split view serves its init script as a file,
    # so it runs under our CSP (script-src 'self'). A browser page: anonymous users go to the login page.
    path(
        "api/docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema", permission_classes=[IsAuthenticated])
        ),
        name="api-docs",
    ),
    path("", include("dxtalent.org.urls")),
    path("training/", include("dxtalent.training.urls")),
    path("competency/", include("dxtalent.competency.urls")),
    path("leaders/", include("dxtalent.leaders.urls")),
    path("experts/", include("dxtalent.experts.urls_ladder")),
    path("hiring/", include("dxtalent.experts.urls_routes")),
    path("jobs/", include("dxtalent.experts.urls_postings")),
    path("projects/", include("dxtalent.projects.urls")),
    path("desk/", include("dxtalent.projects.urls_desk")),
    path("library/", include("dxtalent.projects.urls_library")),
    path("dashboard/", include("dxtalent.kpi.urls")),
]
