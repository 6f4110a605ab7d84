"""Helpers shared by the training pages."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from dxtalent.org import access
from dxtalent.org.access import Action


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def tabs(user) -> list[tuple[str, str, str]]:
    """The training area's own menu (key, label, url), by what the user may do."""
    items = [
        ("catalog", "研修メニュー", reverse("training:catalog")),
        ("mine", "わたしの研修", reverse("training:my_training")),
    ]
    if access.may(user, Action.APPROVE_ENROLLMENTS):
        items.append(("approvals", "受講申込の承認", reverse("training:approvals")))
    if access.may(user, Action.MANAGE_TRAINING):
        items.append(("manage", "研修の管理", reverse("training:manage_courses")))
        items.append(("export", "出欠の出力", reverse("training:attendance_export_unit")))
        items.append(("import", "eラーニング修了の取込", reverse("training:import_elearning")))
    return items


def context(request, current: str, **extra) -> dict:
    return {"training_tabs": tabs(request.user), "training_current": current, **extra}


def back(request, default: str, *args):
    """Redirect to a safe `next` (same host) or to the default URL name."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return redirect(target)
    return redirect(default, *args)
