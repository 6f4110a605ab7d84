"""The programme overview page for every role."""

from django.shortcuts import render
from django.utils import timezone

from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.selectors import org_snapshot

from .. import selectors_cohorts as sel
from ..models import CohortMember, Nomination
from ._common import S, _can

# ---------------------------------------------------------------- home


def home(request):
    """Programme overview for the role: the window, my 局区's nominations (liaison), cohorts (secretariat)."""
    user = request.user
    today = timezone.localdate()
    window = sel.current_window(today)
    context = {"can": _can(user), "window": window, "today": today, "crumbs": [("DX推進リーダー", None)]}
    if window is not None:
        window.state = sel.window_state(window, today)
        window.state_label = sel.WINDOW_STATE_LABELS[window.state]
    if window is not None and access.may(user, Action.VIEW_NOMINATIONS):
        mine = sel.nominations_visible_to(user, Nomination.objects.filter(window=window))
        context["my_counts"] = {s: 0 for s in S.values}
        for status in mine.values_list("status", flat=True):
            context["my_counts"][status] += 1
        units = sel.liaison_units(user)
        if units:
            snap = org_snapshot(today)
            context["my_units"] = [snap.nodes[u].name for u in sorted(units) if u in snap.nodes]
            context["my_nominations"] = list(
                mine.select_related("employee").exclude(status=S.WITHDRAWN).order_by("employee__kana_key")[:50]
            )
    if access.may(user, Action.VIEW_PROGRAMME):
        context["cohorts"] = sel.cohort_list(user)
    me = access.employee_of(user)
    if me is not None:
        context["my_memberships"] = list(
            CohortMember.objects.filter(employee=me).select_related("cohort").order_by("-cohort__fiscal_year")
        )
    return render(request, "leaders/home.html", context)
