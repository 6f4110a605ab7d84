"""Pages: the posting list (tabs, filters, sort, paging), my applications, my staff's applications."""

from django.shortcuts import render
from django.urls import reverse

from dxtalent.org import access
from dxtalent.org.access import Action

from ..forms_postings import PostingFilterForm
from ..models import ApplicationStatus
from ..selectors import postings as sel
from ..services.applications import OPEN_STATUSES

STAFF_LIMIT = 500


@access.require(Action.VIEW_POSTINGS)
def posting_list(request):
    form = PostingFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    filters = sel.PostingFilter(
        tab=d.get("tab") or "open",
        kind=d.get("kind") or "",
        q=(d.get("q") or "").strip(),
        sort=d.get("sort") or "deadline",
    )
    result = sel.posting_list(user=request.user, filters=filters, page=d.get("page") or 1)
    return render(
        request,
        "experts/posting_list.html",
        {
            "form": form,
            "filters": filters,
            "result": result,
            "tabs": [(k, label, result.tab_counts.get(k, 0)) for k, label in sel.TABS.items()],
            "statuses": ApplicationStatus.choices,
            "can_manage": access.may(request.user, Action.MANAGE_POSTINGS),
            "can_see_counts": access.may(request.user, Action.VIEW_APPLICATIONS),
            "can_see_staff": access.may(request.user, Action.VIEW_STAFF_APPLICATIONS),
            "crumbs": [("ジョブチャレンジ", None)],
        },
    )


@access.require(Action.VIEW_POSTINGS)
def my_applications(request):
    rows = sel.application_rows(sel.my_applications(request.user))
    return render(
        request,
        "experts/application_mine.html",
        {
            "rows": rows,
            "open_statuses": OPEN_STATUSES,
            "has_employee": access.employee_of(request.user) is not None,
            "crumbs": [("ジョブチャレンジ", reverse("jobs:list")), ("自分の応募", None)],
        },
    )


@access.require(Action.VIEW_STAFF_APPLICATIONS)
def staff_applications(request):
    told = sel.managers_told()
    rows = []
    if told:
        qs = (
            sel.staff_applications(request.user)
            .select_related("posting", "employee", "manager")
            .order_by("-applied_at", "-pk")
        )
        rows = sel.application_rows(qs[:STAFF_LIMIT])
    return render(
        request,
        "experts/application_staff.html",
        {
            "told": told,
            "rows": rows,
            "limit": STAFF_LIMIT,
            "crumbs": [("ジョブチャレンジ", reverse("jobs:list")), ("職員の応募", None)],
        },
    )
