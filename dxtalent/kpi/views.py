"""Programme dashboard (② DX推進リーダー KPIs), its Excel exports, and the page showing the loaded policy pack.

Thin: parse the date, call `selectors.programme_kpis`, render. The exports are aggregates (counts per 年度, per
cohort, per 局区, and the names of uncovered 部): no personal data, so they are not recorded as personal exports.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from dxtalent.core.exports import export_response
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.forms import AsOfForm
from dxtalent.policy.models import PolicyPack
from dxtalent.policy.selectors import NoPolicyPack, current_pack, pack_of

from . import selectors


def _as_of(request):
    today = timezone.localdate()
    form = AsOfForm(request.GET or None)
    return form, form.day(today), today


@access.require(Action.VIEW_DASHBOARD)
def dashboard(request):
    form, day, today = _as_of(request)
    context = {"form": form, "day": day, "today": today, "kpis": None}
    try:
        context["kpis"] = selectors.programme_kpis(day)
    except NoPolicyPack as exc:
        context["no_pack"] = str(exc)
    return render(request, "kpi/dashboard.html", context)


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else ""


def _targets(k: dict) -> tuple[list, list]:
    headers = ["年度", "累計目標（人）", "年度内の認定（人）", "累計認定（人）", "目標までの不足（人）", "状況"]
    rows = [[y["label"], y["target"], y["certified"], y["cumulative"], y["gap"], y["status_label"]] for y in k["years"]]
    return headers, rows


def _funnel(k: dict) -> tuple[list, list]:
    headers = ["期", "研修年度", "計画人数", "推薦", "選定", "修了", "認定", "辞退", "選定→認定"]
    rows = [
        [
            f["label"],
            f["fiscal_year_label"],
            f["target_size"],
            f["nominated"],
            f["selected"],
            f["completed"],
            f["certified"],
            f["withdrawn"],
            _pct(f["certified"], f["selected"]),
        ]
        for f in k["funnel"]
    ]
    return headers, rows


def _uncovered(k: dict) -> tuple[list, list]:
    headers = ["局区", "局区コード", "部", "部コード"]
    rows = [[t["name"], t["code"], bu["name"], bu["code"]] for t in k["coverage"]["by_unit"] for bu in t["uncovered"]]
    return headers, rows


def _leaders_by_unit(k: dict) -> tuple[list, list]:
    headers = ["局区", "局区コード", "部の数", "リーダーのいる部", "リーダーのいない部", "配置率", "リーダー数"]
    rows = [
        [
            t["name"],
            t["code"],
            t["bu_total"],
            t["bu_covered"],
            t["bu_total"] - t["bu_covered"],
            _pct(t["bu_covered"], t["bu_total"]),
            t["leaders"],
        ]
        for t in k["coverage"]["by_unit"]
    ]
    return headers, rows


EMPTY = {"years": [], "funnel": [], "coverage": {"by_unit": []}}
EXPORTS = {
    "targets": ("累計認定者数と目標", _targets),
    "funnel": ("期ごとの推薦から認定まで", _funnel),
    "coverage": ("リーダーのいない部", _uncovered),
    "leaders_by_unit": ("局区ごとのリーダー配置", _leaders_by_unit),
}


@access.require(Action.VIEW_DASHBOARD)
def export(request):
    table = request.GET.get("table") or "targets"
    fmt = request.GET.get("fmt") or "xlsx"
    if table not in EXPORTS or fmt not in ("xlsx", "csv"):
        raise Http404("出力できる表ではありません。")
    _form, day, _today = _as_of(request)
    title, build = EXPORTS[table]
    try:
        headers, rows = build(selectors.programme_kpis(day))
    except NoPolicyPack:  # nothing to count against yet: the headers alone, like the page's message
        headers, rows = build(EMPTY)
    return export_response(
        user=request.user,
        fmt=fmt,
        filename=f"{title}_{day:%Y%m%d}現在",
        headers=headers,
        rows=rows,
        kind=title,
        filters={"table": table, "as_of": day},
        personal=False,
    )


@access.require(Action.VIEW_DASHBOARD)
def policy(request):
    """The policy pack in force today (or ?pack=ID), and the list of every loaded version."""
    versions = list(PolicyPack.objects.order_by("code", "-effective_from", "-loaded_at"))
    chosen = request.GET.get("pack")
    pack = None
    if chosen:
        row = next((v for v in versions if str(v.pk) == chosen), None)
        if row is None:
            raise Http404("そのポリシーパックはありません。")
        pack = pack_of(row)
    elif versions:
        try:
            pack = current_pack()
        except NoPolicyPack:  # pragma: no cover - versions exist, so a pack is found
            pack = None
    row = next((v for v in versions if pack and v.pk == pack.pk), None)
    return render(request, "kpi/policy.html", {"pack": pack, "row": row, "versions": versions})
