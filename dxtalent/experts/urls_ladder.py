"""Pages of the ③ OJT ladder (/experts/, namespace "experts")."""

from django.urls import path, re_path

from . import views_ladder as views

app_name = "experts"

urlpatterns = [
    path("", views.home, name="home"),
    path("people/", views.people, name="people"),
    re_path(r"^people/export\.(?P<fmt>xlsx|csv)$", views.people_export, name="people_export"),
    path("people/<int:employee_pk>/", views.person, name="person"),
    path("people/<int:employee_pk>/leave/", views.leave, name="leave"),
    path("people/<int:employee_pk>/plans/<int:fiscal_year>/", views.plan_edit, name="plan_edit"),
    path("people/<int:employee_pk>/promote/", views.promotion_propose, name="promotion_propose"),
    path("plans/<int:plan_pk>/reviews/<int:half>/", views.review_edit, name="review_edit"),
    path("enter/", views.enter, name="enter"),
    path("promotions/", views.promotions, name="promotions"),
    path("promotions/<int:pk>/decide/", views.promotion_decide, name="promotion_decide"),
    path("mentees/", views.mentees, name="mentees"),
]
