"""Pages: the roll-up dashboard (業務改善の効果, /projects/rollups/) and the practice-year leaders
(/projects/practice/).

Thin: parse the filters, call `selectors.rollups.project_rollups` / `selectors.practice.practice_leaders`, render or
export. The roll-ups are aggregates (personal=False); the practice list names people (personal=True, recorded).
"""

from urllib.parse import quote

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from dxtalent.core.exports import XLSX_TYPE, export_response, to_xlsx_book
from dxtalent.core.wareki import fiscal_year, fiscal_year_from_wareki, format_fiscal_year
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.forms import FlexibleDateField

from .selectors.practice import PracticeStatus, practice_leaders
from .selectors.rollups import RollupFilter, pack_or_none, project_rollups

# ---------------------------------------------------------------- filters


class FiscalYearField(forms.CharField):
    """2026, 令和8年度, R8 → 2026; empty or "all" → None."""

    def to_python(self, value):
        value = (value or "").strip()
        if value in ("", "all"):
            return None
        if value.isdigit():
            year = int(value)
        else:
            try:
                year = fiscal_year_from_wareki(value)
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from None
        if not 1989 <= year <= 2100:
            raise forms.ValidationError("年度は 2026 や 令和8年度 の形式で指定してください。")
        return year


class RollupFilterForm(forms.Form):
    fiscal_year = FiscalYearField(label="年度", required=False)
    as_of = FlexibleDateField(label="組織の基準日", required=False)

    def values(self, *, default_year=None) -> tuple[int | None, object]:
        d = self.cleaned_data if self.is_valid() else {}
        year = d.get("fiscal_year") if "fiscal_year" in (self.data or {}) else default_year
        if self.errors.get("fiscal_year"):
            year = default_year
        return year, d.get("as_of") or timezone.localdate()


def _rollups(request):
    form = RollupFilterForm(request.GET or None)
    year, day = form.values()
    pack = pack_or_none()
    return form, pack, project_rollups(RollupFilter(fiscal_year=year, as_of=day), pack)


def _chart(k: dict) -> dict:
    return {
        "labels": [r["name"] for r in k["by_top"]],
        "verified": [float(r["verified_hours"]) for r in k["by_top"]],
        "planned": [float(r["planned_hours"]) for r in k["by_top"]],
    }


def _year_choices(k: dict) -> list[tuple[int, str]]:
    years = {r["fiscal_year"] for r in k["by_year"] if r["fiscal_year"]} | {k["current_fiscal_year"]}
    if k["fiscal_year"]:
        years.add(k["fiscal_year"])
    return [(y, format_fiscal_year(y)) for y in sorted(years, reverse=True)]


# ---------------------------------------------------------------- roll-ups


@access.require(Action.VIEW_DASHBOARD)
def rollups(request):
    form, pack, k = _rollups(request)
    return render(
        request,
        "projects/rollups_dashboard.html",
        {
            "form": form,
            "k": k,
            "no_pack": pack is None,
            "chart": _chart(k),
            "years": _year_choices(k),
            "crumbs": [("業務改善の効果", None)],
        },
    )


@access.require(Action.VIEW_DASHBOARD)
def rollups_export(request):
    table = request.GET.get("table") or "all"
    fmt = request.GET.get("fmt") or "xlsx"
    if (table != "all" and table not in ROLLUP_TABLES) or fmt not in ("xlsx", "csv") or (table, fmt) == ("all", "csv"):
        raise Http404("出力できる表ではありません。")
    _form, _pack_row, k = _rollups(request)
    stamp = f"{k['fiscal_year_label']}_{k['as_of']:%Y%m%d}現在"
    if table == "all":
        sheets = [(title, *build(k)) for title, build in ROLLUP_TABLES.values()]
        response = HttpResponse(to_xlsx_book(sheets), content_type=XLSX_TYPE)
        name = f"業務改善の効果_{stamp}.xlsx"
        response["Content-Disposition"] = f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(name)}"
        return response
    title, build = ROLLUP_TABLES[table]
    headers, rows = build(k)
    return export_response(
        user=request.user,
        fmt=fmt,
        filename=f"{title}_{stamp}",
        headers=headers,
        rows=rows,
        kind=title,
        filters={"table": table, "fiscal_year": k["fiscal_year"], "as_of": k["as_of"]},
        personal=False,
    )


# ---------------------------------------------------------------- practice year


def _project_url(pk: int) -> str:
    try:
        return reverse("projects:detail", args=[pk])
    except NoReverseMatch:  # the project pages are another module's; the list still works without links
        return ""


def _practice(request):
    form = RollupFilterForm(request.GET or None)
    today = timezone.localdate()
    year, day = form.values(default_year=fiscal_year(today))
    data = practice_leaders(user=request.user, year=year or fiscal_year(today), day=day, pack=pack_or_none())
    return form, data


@access.require(Action.VIEW_PROGRAMME)
def practice(request):
    form, data = _practice(request)
    for r in data["rows"]:
        r.url = _project_url(r.project.pk) if r.project else ""
    this_year = fiscal_year(timezone.localdate())
    years = sorted({this_year + 1, this_year, this_year - 1, this_year - 2, data["fiscal_year"]}, reverse=True)
    return render(
        request,
        "projects/practice_list.html",
        {
            "form": form,
            "data": data,
            "years": [(y, format_fiscal_year(y)) for y in years],
            "statuses": PracticeStatus,
            "crumbs": [("実践年度のリーダー", None)],
        },
    )


@access.require(Action.VIEW_PROGRAMME)
def practice_export(request):
    fmt = request.GET.get("fmt") or "xlsx"
    if fmt not in ("xlsx", "csv"):
        raise Http404("出力できる形式ではありません。")
    _form, data = _practice(request)
    return export_response(
        user=request.user,
        fmt=fmt,
        filename=f"実践年度のリーダー_{data['fiscal_year_label']}",
        headers=PRACTICE_HEADERS,
        rows=practice_rows(data),
        kind="実践年度のリーダー",
        filters={"fiscal_year": data["fiscal_year"], "as_of": data["as_of"]},
        personal=True,
    )


# ---------------------------------------------------------------- the tables as (headers, rows)

SAVING_HEADERS = ["削減時間・実績（時間/月）", "実績の件数", "削減時間・見込み（時間/月）", "見込みの件数"]


def _saving(r: dict) -> list:
    return [r["verified_hours"], r["verified_projects"], r["planned_hours"], r["planned_projects"]]


def _t_top(k):
    return ["局区", "局区コード", *SAVING_HEADERS], [[r["name"], r["code"], *_saving(r)] for r in k["by_top"]]


def _t_bu(k):
    rows = [[r["top_name"], r["name"], r["code"], *_saving(r)] for r in k["by_bu"]]
    return ["局区", "部", "部コード", *SAVING_HEADERS], rows


def _t_cohort(k):
    rows = [[r["label"], r["fiscal_year"] or "", *_saving(r)] for r in k["by_cohort"]]
    return ["期", "研修年度", *SAVING_HEADERS], rows


def _t_year(k):
    rows = [[r["label"], r["fiscal_year"] or "", *_saving(r)] for r in k["by_year"]]
    return ["年度", "年度（西暦）", *SAVING_HEADERS], rows


def _t_step(k):
    return ["ステップ・状態", "件数"], [[r["label"], r["projects"]] for r in k["by_step"]]


def _t_step_days(k):
    rows = [[r["label"], r["completed"], r["average_days"]] for r in k["step_days"]]
    return ["ステップ", "完了件数", "平均所要日数"], rows


def _t_consultations(k):
    headers = ["相談の種類", "件数", "未完了", "解決", "対象外", "解決までの平均日数"]
    keys = ("label", "consultations", "open", "resolved", "out_of_scope", "average_resolution_days")
    return headers, [[r[key] for key in keys] for r in k["consultations"]]


def _t_adopted(k):
    headers = [
        "事例名",
        "業務分類",
        "ツールの種類",
        "横展開した所属数",
        "横展開の件数",
        "うち効果検証済み",
        "横展開先の削減時間・実績（時間/月）",
        "元の事例の削減時間（時間/月）",
    ]
    keys = (
        "title",
        "work_category_label",
        "tool_kind_label",
        "adopting_units",
        "adoptions",
        "adoptions_verified",
        "adopted_verified_hours",
        "case_verified_hours",
    )
    return headers, [[r[key] for key in keys] for r in k["most_adopted"]]


# key: (sheet title, builder), in sheet order
ROLLUP_TABLES = {
    "top": ("局区別の削減時間", _t_top),
    "bu": ("部別の削減時間", _t_bu),
    "cohort": ("期別の削減時間", _t_cohort),
    "year": ("年度別の削減時間", _t_year),
    "step": ("ステップ別の件数", _t_step),
    "step_days": ("ステップの平均所要日数", _t_step_days),
    "consultations": ("種類別の相談", _t_consultations),
    "adopted": ("横展開の多い事例", _t_adopted),
}

PRACTICE_HEADERS = [
    "職員番号",
    "氏名",
    "氏名カナ",
    "局区",
    "部",
    "所属",
    "期",
    "認定日",
    "実践の状況",
    "プロジェクト",
    "現在のステップ",
    "削減時間・実績（時間/月）",
]


def practice_rows(data: dict) -> list[list]:
    return [
        [
            r.employee.number,
            r.employee.name,
            r.employee.name_kana,
            r.top,
            r.bu,
            r.unit_label,
            str(r.cohort),
            r.certification.certified_on,
            r.status_label + ("（中止）" if r.cancelled else ""),
            r.project.title if r.project else "",
            r.step_name,
            r.verified_hours,
        ]
        for r in data["rows"]
    ]
