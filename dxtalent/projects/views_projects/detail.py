"""Page: one project — the four steps as a timeline, the event log, attachments, participants, and the current
step's form / complete / send back / cancel for those allowed (POST action=…)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from dxtalent.core.uploads import UPLOAD_HINT
from dxtalent.leaders.errors import WorkflowError
from dxtalent.leaders.models import PracticeGroup
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import Employee

from .. import services
from ..forms_projects import (
    AttachmentForm,
    CancelForm,
    ParticipantsForm,
    SendBackForm,
    StepForm,
    apply_errors,
    group_choices,
    leader_choices,
    resolve_employee,
)
from ..models import Attachment
from ..selectors import projects as sel


def _deny(message="この操作を行う権限がありません。"):
    raise PermissionDenied(message)


def _step_form(project, data=None):
    kw = {}
    if project.step == 1:
        kw = {"leaders": leader_choices(), "groups": group_choices()}
    initial = None if data is not None else StepForm.initial_for(project)
    return StepForm(data, initial=initial, step=project.step, **kw)


def _context(request, detail: sel.ProjectDetail, **forms) -> dict:
    p = detail.project
    can = sel.abilities(request.user, p)
    ctx = {
        "d": detail,
        "p": p,
        **can,
        "saving_label": sel.saving_label(p.saving_hours),
        "planned_label": sel.saving_label(p.planned_saving_hours),
        "days_in_step": sel.days_since(p.step_entered_at),
        "created_on": timezone.localdate(p.created_at),
        "file_hint": UPLOAD_HINT,
        "can_consult": access.may(request.user, Action.OPEN_CONSULTATION) and p.status == "active",
        "crumbs": [("業務改善プロジェクト", reverse("projects:list")), (p.title, None)],
    }
    if can["can_edit"]:
        ctx["step_form"] = forms.get("step_form") or _step_form(p)
        ctx["current_step"] = detail.steps[p.step - 1]
    if can["can_send_back"]:
        ctx["send_back_form"] = forms.get("send_back_form") or SendBackForm(current=p.step, names=detail.step_names)
    if can["can_cancel"]:
        ctx["cancel_form"] = forms.get("cancel_form") or CancelForm()
    if can["can_attach"]:
        ctx["attachment_form"] = forms.get("attachment_form") or AttachmentForm()
        lines = "\n".join(f"{x.employee.number} {x.contribution}".strip() for x in detail.participants)
        ctx["participants_form"] = forms.get("participants_form") or ParticipantsForm(initial={"lines": lines})
    return ctx


def _step_fields(form: StepForm) -> dict | None:
    """Cleaned step fields with FKs resolved; None when a person or group is unknown (errors on the form)."""
    d = dict(form.cleaned_data)
    if "leader" in d:
        d["leader"] = Employee.objects.filter(pk=d["leader"]).first() if d["leader"] else None
    if "group" in d:
        d["group"] = PracticeGroup.objects.filter(pk=d["group"]).first() if d["group"] else None
    if "verified_by" in d:
        d["verified_by"] = resolve_employee(form, "verified_by", d["verified_by"])
        if d["verified_by"] is False:
            return None
    return d


def _post(request, detail: sel.ProjectDetail, ctx_forms: dict) -> str | None:
    """Run one action; the success message, or None (errors are on the forms in ctx_forms / messages)."""
    p = detail.project
    action = request.POST.get("action")
    can = sel.abilities(request.user, p)
    user = request.user
    if action in ("update", "complete"):
        if not can["can_edit"]:
            services.require_step_owner(project=p, by=user)
        form = ctx_forms["step_form"] = _step_form(p, request.POST)
        if not form.is_valid():
            return None
        fields = _step_fields(form)
        if fields is None:
            return None
        try:
            services.project_update(project=p, by=user, **fields)
            if action == "complete":
                done = services.project_step_complete(project=p, by=user)
                return "プロジェクトを完了しました。" if done.status == "done" else f"ステップ{p.step}を完了しました。"
        except ValidationError as exc:
            apply_errors(form, exc)
            return None
        return "保存しました。"
    if action == "send_back":
        if not can["can_send_back"]:
            services.require_step_owner(project=p, by=user)
            raise WorkflowError("ステップ1からは差し戻せません。")
        form = ctx_forms["send_back_form"] = SendBackForm(request.POST, current=p.step, names=detail.step_names)
        if not form.is_valid():
            return None
        try:
            services.project_send_back(project=p, by=user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
            return None
        return f"ステップ{form.cleaned_data['to_step']}に差し戻しました。"
    if action == "cancel":
        if not can["can_cancel"]:
            raise WorkflowError("プロジェクトを中止できるのは、このプロジェクトの管理職だけです。")
        form = ctx_forms["cancel_form"] = CancelForm(request.POST)
        if not form.is_valid():
            return None
        try:
            services.project_cancel(project=p, by=user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
            return None
        return "プロジェクトを中止しました。"
    if action == "attach":
        form = ctx_forms["attachment_form"] = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            return None
        try:
            a = services.project_attachment_add(
                project=p, by=user, file=form.cleaned_data["file"], title=form.cleaned_data["title"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return None
        return f"添付ファイル「{a.title}」を登録しました。"
    if action == "participants":
        form = ctx_forms["participants_form"] = ParticipantsForm(request.POST)
        if not form.is_valid():
            return None
        rows = []
        for number, contribution in form.parsed():
            employee = resolve_employee(form, "lines", number)
            if employee:
                rows.append((employee, contribution))
        if form.errors:
            return None
        try:
            services.project_participants_set(project=p, by=user, participants=rows)
        except ValidationError as exc:
            form.add_error("lines", exc.messages)
            return None
        return "参加職員を保存しました。"
    raise Http404("不明な操作です")


@access.require(Action.VIEW_PROJECTS)
def project_detail(request, pk: int):
    detail = sel.project_detail(user=request.user, pk=pk)
    forms: dict = {}
    if request.method == "POST":
        try:
            message = _post(request, detail, forms)
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("projects:detail", pk=pk)
        if message:
            messages.success(request, message)
            return redirect("projects:detail", pk=pk)
        detail = sel.project_detail(user=request.user, pk=pk)
    return render(request, "projects/project_detail.html", _context(request, detail, **forms))


@access.require(Action.VIEW_PROJECTS)
def attachment_file(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.filter(project__isnull=False), pk=pk)
    if not sel.visible_projects(request.user).filter(pk=attachment.project_id).exists():
        raise Http404("この添付ファイルは見つかりません。")
    name = attachment.file.name.rsplit("/", 1)[-1]
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=name)
