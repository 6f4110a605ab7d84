"""My assessments: as the person, and those I evaluate."""

from django.shortcuts import render

from dxtalent.org import access
from dxtalent.org.access import Action

from ..selectors import assessments as sel


@access.require(Action.VIEW_ASSESSMENTS)
def mine(request):
    try:
        page = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        page = 1
    lists = sel.my_assessments(request.user, page=page)
    return render(
        request,
        "competency/mine.html",
        {
            "own": lists["own"],
            "evaluating": lists["evaluating"],
            "can_view_all": access.may(request.user, Action.VIEW_ALL_ASSESSMENTS),
            "can_manage": access.may(request.user, Action.MANAGE_CAMPAIGNS),
            "crumbs": [("マインド・スキル評価", None)],
        },
    )
