"""Pages: hire route comparison (/hiring/) and the 20 designated cities survey (/hiring/survey/), with exports.

Aggregates only (no personal data): every role with VIEW_DASHBOARD; exports are not recorded as personal exports.
"""

from urllib.parse import quote

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from dxtalent.core.exports import XLSX_TYPE, to_xlsx_book
from dxtalent.core.wareki import format_wareki
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.forms import AsOfForm
from dxtalent.policy.selectors import NoPolicyPack, current_pack

from .selectors import routes as route_sel
from .selectors import survey as survey_sel


def _book(filename: str, sheets) -> HttpResponse:
    response = HttpResponse(to_xlsx_book(sheets), content_type=XLSX_TYPE)
    name = f"{filename}.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(name)}"
    return response


def _comparison(request):
    today = timezone.localdate()
    form = AsOfForm(request.GET or None)
    day = form.day(today)
    pack = current_pack(day)
    comparison = route_sel.route_comparison(pack, day=day, target_code=request.GET.get("target"))
    return form, day, today, pack, comparison


@access.require(Action.VIEW_DASHBOARD)
def routes(request):
    context = {"crumbs": [("採用区分・育成経路の比較", None)]}
    try:
        form, day, today, pack, c = _comparison(request)
    except NoPolicyPack as exc:
        return render(request, "experts/routes_comparison.html", {**context, "no_pack": str(exc)})
    rows = [
        {
            "r": r,
            "stage_counts": r.stage_counts(c.stages),
            "median": route_sel.years_label(r.median_years),
            "mean": route_sel.years_label(r.mean_years),
        }
        for r in c.routes
    ]
    context.update(
        form=form,
        day=day,
        today=today,
        pack=pack,
        c=c,
        rows=rows,
        totals=c.totals,
        total_counts=c.totals.stage_counts(c.stages),
        chart=c.chart(),
        policy_routes=[r for r in c.routes if r.pattern or r.pros or r.cons or r.summary],
    )
    return render(request, "experts/routes_comparison.html", context)


@access.require(Action.VIEW_DASHBOARD)
def routes_export(request):
    try:
        _form, day, _today, _pack, c = _comparison(request)
    except NoPolicyPack:  # nothing to compare yet: an empty comparison, like the page's message
        day = timezone.localdate()
        c = route_sel.RouteComparison(day=day, stages=(), target=None, routes=[])
    target = c.target.name if c.target else "—"
    headers = ["採用区分・育成経路", "育成段階に入った人数", *[f"現在 {s.name}" for s in c.stages], "現在の合計"]
    headers += [f"{target}に到達した人数", f"{target}までの年数（中央値）", f"{target}までの年数（平均）"]
    headers += ["離脱者数", "離脱率"]
    numbers = []
    for r in [*c.routes, c.totals]:
        rate = round(r.leaver_rate, 4) if r.leaver_rate is not None else None
        numbers.append(
            [
                r.name,
                r.entrants,
                *r.stage_counts(c.stages),
                r.current,
                r.reached,
                r.median_years,
                r.mean_years,
                r.leavers,
                rate,
            ]
        )
    policy = [
        [r.name, r.pattern, "\n".join(r.pros), "\n".join(r.cons), r.summary]
        for r in c.routes
        if r.pattern or r.pros or r.cons or r.summary
    ]
    return _book(
        f"採用区分・育成経路の比較_{day:%Y%m%d}現在",
        [
            (f"実績（{format_wareki(day)}現在）", headers, numbers),
            ("方針の比較（メリット・デメリット）", ["経路", "パターン", "メリット", "デメリット", "まとめ"], policy),
        ],
    )


def _survey(request):
    sort = request.GET.get("sort") or "order"
    return survey_sel.city_survey(current_pack(), sort=sort if sort in survey_sel.SORTS else "order")


def _empty_survey():
    from dxtalent.policy.pack_talent import SurveyFindings

    return survey_sel.Survey("", "", [], SurveyFindings(0, 0, (), (), ()))


@access.require(Action.VIEW_DASHBOARD)
def survey(request):
    context = {"crumbs": [("採用区分・育成経路の比較", reverse("hiring:routes")), ("政令指定都市の専門採用枠", None)]}
    try:
        s = _survey(request)
    except NoPolicyPack as exc:
        return render(request, "experts/survey_cities.html", {**context, "no_pack": str(exc)})
    context.update(s=s, f=s.findings, d=s.as_dict(), chart=s.chart(), sort=request.GET.get("sort") or "order")
    return render(request, "experts/survey_cities.html", context)


@access.require(Action.VIEW_DASHBOARD)
def survey_export(request):
    try:
        s = _survey(request)
    except NoPolicyPack:
        s = _empty_survey()
    d = s.as_dict()
    rows = [[n, r.city, "有" if r.has_track else "無", r.hire_category or "", r.placement or ""] for n, r in s.rows]
    findings = [
        ["調査した都市", "", d["cities"], ""],
        ["専門枠あり", "", d["with_track"], f"{d['percent']}%"],
        *[["採用区分（専門枠ありの都市）", x["category"], x["count"], x["share"]] for x in d["by_category"]],
        *[["配属先（専門枠ありの都市）", x["placement"], x["count"], x["share"]] for x in d["by_placement"]],
        *[
            [f"配属先（{c['category']}）", x["placement"], x["count"], x["share"]]
            for c in d["placement_by_category"]
            for x in c["by_placement"]
        ],
    ]
    return _book(
        s.title or "政令指定都市の専門採用枠",
        [
            ("都市別", ["No.", "都市", "専門枠", "採用区分", "配属先（想定含む）"], rows),
            ("集計", ["項目", "区分", "都市数", "割合"], findings),
            ("出典", ["タイトル", "出典"], [[s.title, s.source]]),
        ],
    )
