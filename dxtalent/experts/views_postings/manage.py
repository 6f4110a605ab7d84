"""Pages: post a new opening, edit one, close one (with a confirmation page) (MANAGE_POSTINGS: secretariat, hr)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from dxtalent.core.errors import WorkflowError
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import OrgUnit

from .. import services
from ..forms_postings import PostingForm, apply_errors
from ..selectors import postings as sel
from ..services.postings import EDITABLE_FIELDS


def _fields(form: PostingForm) -> dict:
    d = dict(form.cleaned_data)
    d["unit"] = OrgUnit.objects.filter(pk=d["unit"]).first() if d.get("unit") else None
    return {k: d[k] for k in EDITABLE_FIELDS}


@access.require(Action.MANAGE_POSTINGS)
def posting_create(request):
    form = PostingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            posting = services.posting_create(by=request.user, **_fields(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"募集「{posting.title}」を登録しました。")
            return redirect("jobs:detail", pk=posting.pk)
    return render(
        request,
        "experts/posting_form.html",
        {"form": form, "crumbs": [("ジョブチャレンジ", reverse("jobs:list")), ("募集の登録", None)]},
    )


@access.require(Action.MANAGE_POSTINGS)
def posting_edit(request, pk: int):
    posting = sel.get_posting(request.user, pk)
    initial = {k: getattr(posting, k) for k in EDITABLE_FIELDS if k != "unit"}
    initial["unit"] = posting.unit_id
    form = PostingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.posting_update(posting=posting, by=request.user, **_fields(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "募集を更新しました。")
            return redirect("jobs:detail", pk=posting.pk)
    return render(
        request,
        "experts/posting_form.html",
        {
            "form": form,
            "posting": posting,
            "crumbs": [
                ("ジョブチャレンジ", reverse("jobs:list")),
                (posting.title, reverse("jobs:detail", args=[posting.pk])),
                ("変更", None),
            ],
        },
    )


@access.require(Action.MANAGE_POSTINGS)
def posting_close(request, pk: int):
    """GET: a confirmation page; POST: close the posting."""
    posting = sel.get_posting(request.user, pk)
    if request.method != "POST":
        crumbs = [
            ("ジョブチャレンジ", reverse("jobs:list")),
            (posting.title, reverse("jobs:detail", args=[posting.pk])),
            ("募集終了", None),
        ]
        return render(request, "experts/posting_close.html", {"p": posting, "crumbs": crumbs})
    try:
        services.posting_close(posting=posting, by=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"募集「{posting.title}」を募集終了にしました。")
    return redirect("jobs:detail", pk=posting.pk)
