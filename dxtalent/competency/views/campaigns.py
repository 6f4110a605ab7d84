"""Pages: campaigns (list, new, one campaign with its people), adding people, closing, the results export."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dxtalent.core.errors import WorkflowError
from dxtalent.core.exports import export_response
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import Employee
from dxtalent.training.models import CourseRun, Enrollment, EnrollmentStatus

from .. import services
from ..forms import AddPeopleForm, CampaignFilterForm, CampaignForm, apply_errors, parse_numbers
from ..frozen import framework_of, items_in_order
from ..selectors import campaigns as sel
from ..selectors.exports import RESULT_HEADERS, campaign_result_rows
from ..selectors.people import default_evaluators

ENROLLED = (
    EnrollmentStatus.APPROVED,
    EnrollmentStatus.IN_PROGRESS,
    EnrollmentStatus.COMPLETED,
    EnrollmentStatus.INCOMPLETE,
)
CRUMB = ("評価の回", None)


def _crumbs(*tail):
    return [("マインド・スキル評価", reverse("competency:mine")), *tail]


@access.require(Action.VIEW_ALL_ASSESSMENTS)
def campaign_list(request):
    form = CampaignFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    filters = sel.CampaignFilter(
        fiscal_year=d.get("fiscal_year"),
        kind=d.get("kind") or "",
        status=d.get("status") or "",
        framework=d.get("framework") or "",
        q=(d.get("q") or "").strip(),
        sort=d.get("sort") or "new",
    )
    result = sel.campaign_list(request.user, filters, page=d.get("page") or 1)
    return render(
        request,
        "competency/campaign_list.html",
        {
            "form": form,
            "filters": filters,
            "result": result,
            "can_manage": access.may(request.user, Action.MANAGE_CAMPAIGNS),
            "crumbs": _crumbs(CRUMB),
        },
    )


@access.require(Action.MANAGE_CAMPAIGNS)
def campaign_create(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            campaign = services.campaign_create(
                by=request.user,
                name=d["name"],
                kind=d["kind"],
                fiscal_year=d["fiscal_year"],
                framework_code=d["framework_code"],
                opens_on=d["opens_on"],
                closes_on=d["closes_on"],
                run=CourseRun.objects.filter(pk=d["run"]).first() if d.get("run") else None,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"評価の回「{campaign.name}」を作成しました。対象者を追加してください。")
            return redirect("competency:campaign", pk=campaign.pk)
    return render(
        request,
        "competency/campaign_form.html",
        {"form": form, "crumbs": _crumbs(("評価の回", reverse("competency:campaigns")), ("新規作成", None))},
    )


def _page(request) -> int:
    try:
        return max(1, int(request.GET.get("page") or 1))
    except ValueError:
        return 1


@access.require(Action.VIEW_ALL_ASSESSMENTS)
def campaign_detail(request, pk: int, add_form: AddPeopleForm | None = None):
    campaign = sel.get_campaign(request.user, pk)
    q, status = (request.GET.get("q") or "").strip(), request.GET.get("status") or ""
    people = sel.campaign_people(
        campaign, q=q, status=status, sort=request.GET.get("sort") or "kana", page=_page(request)
    )
    fw = framework_of(campaign)
    return render(
        request,
        "competency/campaign_detail.html",
        {
            "campaign": campaign,
            "framework": fw,
            "items": items_in_order(fw),
            "people": people,
            "q": q,
            "status": status,
            "add_form": add_form or AddPeopleForm(),
            "can_manage": access.may(request.user, Action.MANAGE_CAMPAIGNS) and campaign.status == "open",
            "crumbs": _crumbs(("評価の回", reverse("competency:campaigns")), (campaign.name, None)),
        },
        status=400 if add_form is not None and add_form.errors else 200,
    )


def _people_from_numbers(form: AddPeopleForm) -> list[tuple[Employee, Employee | None]] | None:
    numbers = parse_numbers(form.cleaned_data["numbers"])
    evaluator_number = parse_numbers(form.cleaned_data.get("evaluator") or "")
    if not numbers:
        form.add_error("numbers", "職員番号を入力してください。")
        return None
    found = {e.number: e for e in Employee.objects.filter(number__in=numbers + evaluator_number)}
    missing = [n for n in numbers if n not in found]
    if missing:
        form.add_error("numbers", f"次の職員番号は見つかりません: {'、'.join(missing)}")
    evaluator = None
    if evaluator_number:
        evaluator = found.get(evaluator_number[0])
        if evaluator is None:
            form.add_error("evaluator", f"職員番号 {evaluator_number[0]} の職員は見つかりません。")
    if form.errors:
        return None
    persons = [found[n] for n in dict.fromkeys(numbers)]
    return _with_evaluators(persons, evaluator)


def _with_evaluators(persons, evaluator=None) -> list[tuple[Employee, Employee | None]]:
    if evaluator is not None:
        return [(p, evaluator) for p in persons]
    defaults = default_evaluators(persons)
    return [(p, defaults.get(p.pk)) for p in persons]


@require_POST
@access.require(Action.MANAGE_CAMPAIGNS)
def campaign_people(request, pk: int):
    campaign = sel.get_campaign(request.user, pk)
    form = AddPeopleForm(request.POST)
    if request.POST.get("from_run"):
        if campaign.run_id is None:
            messages.error(request, "この評価の回には対象の研修（期）が設定されていません。")
            return redirect("competency:campaign", pk=pk)
        persons = [
            e.employee
            for e in Enrollment.objects.filter(run_id=campaign.run_id, status__in=ENROLLED)
            .select_related("employee")
            .order_by("employee__kana_key")
        ]
        pairs = _with_evaluators(persons)
    else:
        pairs = _people_from_numbers(form) if form.is_valid() else None
        if pairs is None:
            return campaign_detail(request, pk, add_form=form)
    try:
        added = services.campaign_add_people(campaign=campaign, by=request.user, people=pairs)
    except ValidationError as exc:
        apply_errors(form, exc)
        return campaign_detail(request, pk, add_form=form)
    except (WorkflowError, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        no_eval = sum(1 for a in added if a.evaluator_id is None)
        note = f"（うち{no_eval}名は評価者が未設定です）" if no_eval else ""
        messages.success(request, f"{len(added)}名を対象者にしました{note}。")
    return redirect("competency:campaign", pk=pk)


@require_POST
@access.require(Action.MANAGE_CAMPAIGNS)
def campaign_close(request, pk: int):
    campaign = sel.get_campaign(request.user, pk)
    try:
        services.campaign_close(campaign=campaign, by=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"「{campaign.name}」を締め切りました。")
    return redirect("competency:campaign", pk=pk)


@access.require(Action.VIEW_ALL_ASSESSMENTS)
def campaign_export(request, pk: int, fmt: str):
    campaign = sel.get_campaign(request.user, pk)
    return export_response(
        user=request.user,
        fmt=fmt,
        filename=f"評価結果_{campaign.name}",
        headers=RESULT_HEADERS,
        rows=campaign_result_rows(campaign),
        kind="competency_results",
        filters={"campaign": campaign.pk},
        personal=True,
    )
