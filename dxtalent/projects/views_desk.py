"""Pages of the support desk (相談窓口) under /desk/: the list (the desk's overview by age and handler, the table
with filters and sort, its export), the form to open a consultation, one consultation (thread, files, the desk's
controls) and the download of its files.

Thin: parse a form, call a service or selector, render. Who may see what: `selectors.consultations` (built on
`dxtalent.org.access`); a consultation (or its file) the user may not see answers 404, like one that does not
exist — also for roles that do not use the desk at all.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from dxtalent.core.exports import export_response
from dxtalent.core.uploads import UPLOAD_HINT
from dxtalent.leaders.errors import WorkflowError
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import Employee

from . import services
from .forms_desk import (
    AssignForm,
    AttachmentForm,
    CaseLinkForm,
    ConsultationForm,
    DeskFilterForm,
    ReplyForm,
    StatusForm,
    apply_errors,
)
from .models import Case, Project
from .selectors import consultations as sel

CRUMB = ("相談窓口", None)


def _crumbs(*tail):
    return [("相談窓口", reverse("desk:list")), *tail]


def _filter_form(request):
    handlers = sel.desk_handlers()
    form = DeskFilterForm(
        request.GET or None, kinds=list(sel.kind_labels().items()), handlers=handlers, tops=sel.top_units()
    )
    return form, form.filters() if request.GET else sel.DeskFilter(), handlers


@access.require(Action.VIEW_CONSULTATIONS)
def desk_list(request):
    form, filters, _handlers = _filter_form(request)
    is_desk = sel.is_desk(request.user)
    rows = sel.desk_rows(request.user, filters)
    return render(
        request,
        "projects/desk_list.html",
        {
            "form": form,
            "filters": filters,
            "rows": rows,
            "is_desk": is_desk,
            "summary": sel.desk_summary(request.user) if is_desk else None,
            "can_open": access.may(request.user, Action.OPEN_CONSULTATION),
            "me": access.employee_of(request.user),
            "crumbs": [CRUMB],
        },
    )


DESK_HEADERS = [
    "ID",
    "受付日",
    "件名",
    "相談の種類",
    "状態",
    "相談者",
    "局区",
    "所属",
    "担当者",
    "関連するプロジェクト",
    "参考事例",
    "やりとり（件）",
    "経過日数",
    "完了日",
    "解決までの日数",
]


@access.require(Action.VIEW_CONSULTATIONS)
def desk_export(request, fmt: str):
    _form, filters, _handlers = _filter_form(request)
    rows = sel.desk_rows(request.user, filters)
    data = [
        [
            r.consultation.pk,
            sel.local_day(r.consultation.opened_at),
            r.consultation.title,
            r.kind_label,
            r.consultation.get_status_display(),
            r.consultation.requester.name,
            r.top,
            r.unit_label,
            r.consultation.handler.name if r.consultation.handler_id else "",
            r.consultation.project.title if r.consultation.project_id else "",
            r.consultation.case.title if r.consultation.case_id else "",
            r.messages,
            r.days_open,
            sel.local_day(r.consultation.closed_at) if r.consultation.closed_at else None,
            r.resolution_days,
        ]
        for r in rows
    ]
    return export_response(
        user=request.user,
        fmt=fmt,
        filename="相談一覧",
        headers=DESK_HEADERS,
        rows=data,
        kind="相談一覧",
        filters=filters.as_dict(),
        personal=True,
    )


@access.require(Action.OPEN_CONSULTATION)
def desk_new(request):
    kinds = list(sel.kind_labels().items())
    projects = sel.projects_for_consultation(request.user)
    initial = {}
    if request.GET.get("project", "").isdigit():
        initial["project"] = int(request.GET["project"])
    form = ConsultationForm(
        request.POST or None, request.FILES or None, kinds=kinds, projects=projects, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        project = Project.objects.filter(pk=d["project"]).first() if d["project"] else None
        try:
            with transaction.atomic():  # a refused file leaves nothing behind, not even the consultation
                consultation = services.consultation_open(
                    by=request.user, title=d["title"], kind=d["kind"], description=d["description"], project=project
                )
                for f in d["files"]:
                    services.consultation_attachment_add(consultation=consultation, by=request.user, file=f)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"相談「{consultation.title}」を受け付けました。")
            return redirect("desk:detail", pk=consultation.pk)
    return render(
        request,
        "projects/desk_new.html",
        {"form": form, "no_pack": not kinds, "file_hint": UPLOAD_HINT, "crumbs": _crumbs(("相談する", None))},
    )


# ---------------------------------------------------------------- one consultation


def _reply(request, c, ctx):
    form = ctx["reply_form"] = ReplyForm(request.POST)
    if form.is_valid():
        services.consultation_reply(consultation=c, by=request.user, body=form.cleaned_data["body"])
        return "返信しました。"
    return None


def _attach(request, c, ctx):
    form = ctx["attachment_form"] = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        services.consultation_attachment_add(consultation=c, by=request.user, file=d["file"], title=d["title"])
        return "ファイルを追加しました。"
    return None


def _assign(request, c, ctx):
    form = ctx["assign_form"] = AssignForm(request.POST, handlers=ctx["handlers"])
    if form.is_valid():
        pk = form.cleaned_data["handler"]
        handler = Employee.objects.filter(pk=pk).first() if pk else None
        services.consultation_assign(consultation=c, by=request.user, handler=handler)
        return f"担当者を{handler.name}さんにしました。" if handler else "担当者を外しました。"
    return None


def _status(request, c, ctx):
    form = ctx["status_form"] = StatusForm(request.POST)
    if form.is_valid():
        services.consultation_set_status(consultation=c, by=request.user, status=form.cleaned_data["status"])
        return f"状態を「{c.get_status_display()}」にしました。"
    return None


def _link_case(request, c, ctx):
    form = ctx["case_form"] = CaseLinkForm(request.POST, cases=ctx["cases"])
    if form.is_valid():
        pk = form.cleaned_data["case"]
        case = Case.objects.filter(pk=pk).first() if pk else None
        services.consultation_link_case(consultation=c, by=request.user, case=case)
        return "参考になる事例を紹介しました。" if case else "事例の紹介を外しました。"
    return None


# action → (who may: "part" = requester or desk, "desk" = desk only; handler returning a message or None)
ACTIONS = {
    "reply": ("part", _reply, "reply_form"),
    "attach": ("part", _attach, "attachment_form"),
    "assign": ("desk", _assign, "assign_form"),
    "status": ("desk", _status, "status_form"),
    "link_case": ("desk", _link_case, "case_form"),
}


def _detail_context(request, c) -> dict:
    is_desk = sel.is_desk(request.user)
    handlers = sel.desk_handlers() if is_desk else []
    cases = sel.published_cases() if is_desk else []
    allowed = services.CONSULTATION_TRANSITIONS[c.status]
    return {
        "c": c,
        "detail": sel.consultation_detail(c),
        "is_desk": is_desk,
        "can_take_part": sel.may_take_part(request.user, c),
        "handlers": handlers,
        "cases": cases,
        "next_statuses": [(s, sel.ConsultationStatus(s).label) for s in allowed],
        "reply_form": ReplyForm(),
        "attachment_form": AttachmentForm(),
        "assign_form": AssignForm(initial={"handler": c.handler_id}, handlers=handlers),
        "status_form": StatusForm(initial={"status": allowed[0] if allowed else c.status}),
        "case_form": CaseLinkForm(initial={"case": c.case_id}, cases=cases),
        "file_hint": UPLOAD_HINT,
        "crumbs": _crumbs((c.title, None)),
    }


def desk_detail(request, pk: int):
    c = sel.consultation_for(request.user, pk)
    if c is None:
        raise Http404("この相談は見つかりません。")
    ctx = _detail_context(request, c)
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ACTIONS:
            raise Http404("不明な操作です")
        who, handler, form_key = ACTIONS[action]
        if not (ctx["is_desk"] if who == "desk" else ctx["can_take_part"]):
            raise PermissionDenied(
                "この操作は相談窓口（事務局）だけが行えます。"
                if who == "desk"
                else "この相談に書き込めるのは相談者と相談窓口（事務局）だけです。"
            )
        try:
            done = handler(request, c, ctx)
        except ValidationError as exc:
            apply_errors(ctx[form_key], exc)
            done = None
        except WorkflowError as exc:
            ctx["workflow_error"] = str(exc)
            done = None
        if done:
            messages.success(request, done)
            return redirect("desk:detail", pk=c.pk)
        ctx["detail"] = sel.consultation_detail(c)
        ctx["open_panel"] = action
    return render(request, "projects/desk_detail.html", ctx)


def desk_attachment(request, pk: int):
    attachment = sel.attachment_for(request.user, pk)
    if attachment is None or not attachment.file:
        raise Http404("このファイルは見つかりません。")
    name = attachment.file.name.rsplit("/", 1)[-1]
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=name)
