"""The list of ③ staff (filters, sort, paging) with its Excel/CSV export, and one person's record."""

from django.shortcuts import render
from django.urls import reverse

from dxtalent.core.exports import export_response
from dxtalent.core.wareki import format_wareki
from dxtalent.org import access
from dxtalent.org.access import Action

from ..forms_ladder import DecideForm, LadderFilterForm, LeaveForm
from ..selectors import ladder_people as sel
from ..selectors.ladder_person import person_record, stage_names
from .common import NO_PACK, crumbs, pack_and_day

EXPORT_HEADERS = [
    "職員番号",
    "氏名",
    "所属",
    "採用区分",
    "段階",
    "段階の開始日",
    "段階の在籍年数",
    "育成開始日",
    "通算年数",
    "OJT指導者",
    "昇格基準",
    "満たしていない基準",
    "長期滞留",
]


def _filters(request, pack) -> tuple[LadderFilterForm, sel.LadderFilter, int]:
    form = LadderFilterForm(request.GET or None, pack=pack)
    d = form.cleaned_data if form.is_valid() else {}
    filters = sel.LadderFilter(
        stage=d.get("stage") or "",
        ready=bool(d.get("ready")),
        long_stay=bool(d.get("long_stay")),
        hire_route=d.get("hire_route") or "",
        q=(d.get("q") or "").strip(),
        sort=d.get("sort") or "kana",
    )
    return form, filters, d.get("page") or 1


@access.require(Action.VIEW_EXPERT_RECORDS)
def people(request):
    pack, day = pack_and_day()
    form, filters, page = _filters(request, pack)
    result = sel.ladder_page(user=request.user, filters=filters, pack=pack, day=day, page=page) if pack else None
    return render(
        request,
        "experts/ladder_people.html",
        {
            "form": form,
            "filters": filters,
            "result": result,
            "day": day,
            "no_pack": NO_PACK if pack is None else "",
            "can_enter": access.may(request.user, Action.MANAGE_OJT),
            "crumbs": crumbs(("育成対象の職員", None)),
        },
    )


@access.require(Action.VIEW_EXPERT_RECORDS)
def people_export(request, fmt: str):
    pack, day = pack_and_day()
    _form, filters, _page = _filters(request, pack)
    rows = sel.attach(sel.ladder_rows(user=request.user, filters=filters, pack=pack, day=day), day) if pack else []
    out = []
    for r in rows:
        e, rd = r.employee, r.readiness
        out.append(
            [
                e.number,
                e.name,
                r.unit,
                r.hire_route,
                r.stage_name,
                format_wareki(r.period.valid_from),
                rd.years_in_stage,
                format_wareki(rd.entered_on),
                rd.years_since_entry,
                r.mentor.name if r.mentor else "",
                "最上位" if rd.is_top else ("満たす" if rd.ready else f"未達 {len(rd.unmet)}件"),
                " / ".join(rd.unmet),
                "長期滞留" if rd.long_stay else "",
            ]
        )
    return export_response(
        user=request.user,
        fmt=fmt,
        filename="高度デジタル人材 育成対象の職員",
        headers=EXPORT_HEADERS,
        rows=out,
        kind="experts_ladder",
        filters=filters.as_dict(),
        personal=True,
    )


@access.require(Action.VIEW_EXPERT_RECORDS)
def person(request, employee_pk: int):
    pack, day = pack_and_day()
    if pack is None:
        return render(request, "experts/ladder_person.html", {"no_pack": NO_PACK, "crumbs": crumbs(("職員", None))})
    rec = person_record(user=request.user, employee_pk=employee_pk, pack=pack, day=day)
    return render(
        request,
        "experts/ladder_person.html",
        {
            "rec": rec,
            "r": rec.readiness,
            "day": day,
            "stage_names": stage_names(pack),
            "leave_form": LeaveForm(initial={"on": day}) if rec.can_manage and rec.in_ladder else None,
            "decide_form": DecideForm(initial={"effective_on": day}) if rec.is_head and rec.pending else None,
            "crumbs": crumbs(("育成対象の職員", reverse("experts:people")), (rec.employee.name, None)),
        },
    )
