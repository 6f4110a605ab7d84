"""Pages: certification (認定) of a cohort, the leader list (with export) and one leader's roles."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from dxtalent.core.exports import export_response
from dxtalent.core.forms import apply_errors
from dxtalent.core.wareki import format_wareki
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import Employee, OrgKind
from dxtalent.org.selectors import org_snapshot
from dxtalent.policy.selectors import pack_by_id

from .. import selectors_groups as sel
from .. import services
from ..errors import WorkflowError
from ..forms_groups import (
    CertifyForm,
    LeaderFilterForm,
    RoleChangeForm,
    RoleEndForm,
)
from ..models import Cohort
from .groups import _deny, cohort_crumbs

# ---------------------------------------------------------------- certification


@access.require(Action.VIEW_PROGRAMME)
def certification(request, cohort_pk: int):
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    can_certify = access.may(request.user, Action.MANAGE_PROGRAMME)
    candidates = sel.certification_candidates(cohort, request.user)
    choices = [(c.member.pk, c.member.employee.name) for c in candidates if c.selectable]
    form = CertifyForm(initial={"certified_on": timezone.localdate()}, member_choices=choices)
    if request.method == "POST":
        if not can_certify:
            _deny()
        form = CertifyForm(request.POST, member_choices=choices)
        if form.is_valid():
            d = form.cleaned_data
            try:
                made = services.cohort_certify(
                    cohort=cohort,
                    member_ids=d["member_ids"],
                    certified_on=d["certified_on"],
                    by=request.user,
                    note=d["note"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, f"{len(made)}名を{format_wareki(d['certified_on'])}付けでDX推進リーダーに認定しました。"
                )
                return redirect("leaders:certification", cohort_pk=cohort.pk)
    pack = pack_by_id(cohort.pack_id)
    return render(
        request,
        "leaders/certification_list.html",
        {
            "cohort": cohort,
            "candidates": candidates,
            "phases": pack.required_phases,
            "rule": pack.completion_rule,
            "form": form,
            "can_certify": can_certify,
            "counts": {
                "eligible": sum(1 for c in candidates if c.selectable),
                "not_eligible": sum(1 for c in candidates if not c.eligible and not c.certified),
                "certified": sum(1 for c in candidates if c.certified),
            },
            "crumbs": cohort_crumbs(cohort, ("認定", None)),
            "certify_hint": (
                f"認定日から役割「{pack.role_type(pack.default_role_type).name}」のDX推進リーダーとなり、"
                "ログインに「DX推進リーダー」ロールが付きます。"
            ),
        },
    )


# ---------------------------------------------------------------- leaders


def _leader_rows(request):
    today = timezone.localdate()
    form = LeaderFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    day = d.get("as_of") or today
    rows = sel.leader_list(user=request.user, day=day, top=d.get("top"), role_type=d.get("role_type") or "")
    return form, d, day, rows


@access.require(Action.VIEW_PROGRAMME)
def leader_list(request):
    form, d, day, rows = _leader_rows(request)
    snap = org_snapshot(day)
    tops = sorted(snap.units_of_kind(OrgKind.KYOKU, OrgKind.KU), key=lambda n: (n.sort_order, n.code))
    return render(
        request,
        "leaders/leader_list.html",
        {
            "form": form,
            "filters": d,
            "day": day,
            "rows": rows,
            "practice_count": sum(1 for r in rows if r.in_practice_year),
            "tops": tops,
            "role_types": sel.role_types_on(day),
            "crumbs": [("DX推進リーダー一覧", None)],
        },
    )


LEADER_HEADERS = [
    "職員番号",
    "氏名",
    "氏名カナ",
    "局区",
    "部",
    "所属",
    "役割類型",
    "役割の開始日",
    "期",
    "認定日",
    "実践年度",
]


@access.require(Action.VIEW_PROGRAMME)
def leader_export(request, fmt: str):
    _form, d, day, rows = _leader_rows(request)
    data = [
        [
            r.employee.number,
            r.employee.name,
            r.employee.name_kana,
            r.top,
            r.bu,
            r.unit_label,
            r.role_type_name,
            r.role.valid_from,
            str(r.cohort) if r.cohort else "",
            r.role.certification.certified_on,
            "実践年度" if r.in_practice_year else "",
        ]
        for r in rows
    ]
    return export_response(
        user=request.user,
        fmt=fmt,
        filename=f"DX推進リーダー一覧_{day:%Y%m%d}",
        headers=LEADER_HEADERS,
        rows=data,
        kind="DX推進リーダー一覧",
        filters={"as_of": day, **{k: v for k, v in d.items() if v and k != "as_of"}},
        personal=True,
    )


def leader_detail(request, pk: int):
    employee = get_object_or_404(Employee, pk=pk)
    user = request.user
    own = access.employee_of(user) == employee
    if not own and not (access.may(user, Action.VIEW_PROGRAMME) and access.may_view_employee(user, employee)):
        _deny("このリーダーの情報を見る権限がありません。")
    can_manage = access.may(user, Action.MANAGE_LEADER_ROLES) and access.may_view_employee(user, employee)
    today = timezone.localdate()
    role_types = [(r.code, r.name) for r in sel.role_types_on(today)]
    change_form = RoleChangeForm(initial={"on": today}, role_types=role_types)
    end_form = RoleEndForm()
    if request.method == "POST":
        if not can_manage:
            _deny()
        action = request.POST.get("action")
        form_class, kwargs = (RoleChangeForm, {"role_types": role_types}) if action == "change" else (RoleEndForm, {})
        if action not in ("change", "end"):
            raise Http404("不明な操作です")
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            d = form.cleaned_data
            try:
                if action == "change":
                    services.leader_role_change(
                        employee=employee, role_type=d["role_type"], on=d["on"], note=d["note"], by=user
                    )
                else:
                    services.leader_role_end(employee=employee, on=d["on"], reason=d["reason"], by=user)
            except ValidationError as exc:
                apply_errors(form, exc)
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, "役割を変更しました。" if action == "change" else "リーダーの役割を終了しました。"
                )
                return redirect("leaders:leader_detail", pk=employee.pk)
        if action == "change":
            change_form = form
        else:
            end_form = form
    detail = sel.leader_detail(employee, today)
    if not detail.roles:
        raise Http404("この職員はDX推進リーダーではありません")
    crumbs = [("DX推進リーダー一覧", reverse("leaders:leader_list"))] if access.may(user, Action.VIEW_PROGRAMME) else []
    return render(
        request,
        "leaders/leader_detail.html",
        {
            "employee": employee,
            "detail": detail,
            "can_manage": can_manage,
            "change_form": change_form,
            "end_form": end_form,
            "crumbs": [*crumbs, (employee.name, None)],
        },
    )
