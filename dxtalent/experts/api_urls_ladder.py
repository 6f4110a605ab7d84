"""/api/v1/ routes of the ③ OJT ladder (included by api_urls.py)."""

from django.urls import path

from .api_ladder import views as api
from .api_ladder import views_plans as plans

urlpatterns = [
    path("ladder/stages/", api.LadderStagesView.as_view(), name="api-ladder-stages"),
    path("ladder/people/", api.LadderPeopleView.as_view(), name="api-ladder-people"),
    path(
        "ladder/people/<int:employee_pk>/stage-periods/",
        api.StagePeriodsView.as_view(),
        name="api-ladder-stage-periods",
    ),
    path("ojt-plans/", plans.PlanListView.as_view(), name="api-ojt-plans"),
    path("ojt-plans/<int:pk>/", plans.PlanDetailView.as_view(), name="api-ojt-plan"),
    path("ojt-plans/<int:pk>/reviews/", plans.ReviewView.as_view(), name="api-ojt-plan-reviews"),
    path("promotions/", plans.PromotionListView.as_view(), name="api-promotions"),
    path("promotions/<int:pk>/", plans.PromotionDetailView.as_view(), name="api-promotion"),
    path("promotions/<int:pk>/decide/", plans.PromotionDecideView.as_view(), name="api-promotion-decide"),
]
