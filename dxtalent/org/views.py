from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from dxtalent.core.exports import export_response

from . import access, selectors
from .access import Action
from .forms import AsOfForm, EmployeeFilterForm
from .hooks import hire_route_label
from .models import Employee

PAGE_SIZE = 50


def home(request):
    user = request.user
    return render(
        request,
        "org/home.html",
        {
            "me": access.employee_of(user),
            "can": {a.value: access.may(user, a) for a in Action},
            "scope": access.scope(user),
        },
    )


@access.require(Action.VIEW_ORG_TREE)
def org_tree(request):
    today = timezone.localdate()
    form = AsOfForm(request.GET or None)
    day = form.day(today)
    snapshot = selectors.org_tree_with_headcount(day)
    return render(request, "org/tree.html", {"form": form, "day": day, "snapshot": snapshot, "today": today})


def _employee_rows(request):
    form = EmployeeFilterForm(request.GET or None)
    filters = form.to_filter()
    qs = selectors.employee_list(user=request.user, filters=filters)
    return form, filters, qs


@access.require(Action.VIEW_EMPLOYEE_LIST)
def employee_list(request):
    form, filters, qs = _employee_rows(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    snapshot = selectors.org_snapshot()
    rows = [(e, (e.current_assignments or [None])[0]) for e in page.object_list]
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "rows": [(e, a, snapshot.path_of(a.unit_id) if a else {}) for e, a in rows],
        "choices": selectors.filter_choices(),
    }
    template = "org/employee_list.html#results" if request.headers.get("HX-Request") else "org/employee_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])  # same URL answers a fragment or the whole page
    return response


EXPORT_HEADERS = [
    "職員番号",
    "氏名",
    "氏名カナ",
    "局区",
    "部",
    "課",
    "係",
    "職種",
    "職位",
    "採用年月日",
    "メールアドレス",
]


@access.require(Action.EXPORT_EMPLOYEES)
def employee_export(request, fmt: str):
    _form, filters, qs = _employee_rows(request)
    snapshot = selectors.org_snapshot()
    rows = []
    for e in qs:
        a = (e.current_assignments or [None])[0]
        path = snapshot.path_of(a.unit_id) if a else {}
        rows.append(
            [
                e.number,
                e.name,
                e.name_kana,
                *(path[k].name if k in path else "" for k in ("top", "bu", "ka", "kakari")),
                e.job_type.name,
                a.position.name if a else "",
                e.hire_date,
                e.email,
            ]
        )
    return export_response(
        user=request.user,
        fmt=fmt,
        filename=f"職員一覧_{timezone.localdate():%Y%m%d}",
        headers=EXPORT_HEADERS,
        rows=rows,
        kind="職員一覧",
        filters=filters.as_dict(),
        personal=True,
    )


def employee_detail(request, pk: int):
    employee = get_object_or_404(Employee.objects.select_related("job_type"), pk=pk)
    if not access.may_view_employee(request.user, employee):
        raise PermissionDenied("この職員の情報を見る権限がありません。")
    history = selectors.assignment_history(employee)
    labels = selectors.unit_labels_for(history)
    today = timezone.localdate()
    current = next((a for a in history if a.is_valid_on(today)), None)
    return render(
        request,
        "org/employee_detail.html",
        {
            "employee": employee,
            "current": current,
            "current_label": selectors.org_snapshot().label_of(current.unit_id) if current else "",
            "history": [(a, labels.get(a.pk, "")) for a in history],
            "changes": selectors.change_history(employee),
            "hire_route_label": hire_route_label(employee.hire_route),
        },
    )
