"""The e-learning completions import page: upload → preview (nothing written) → confirm → result.

Like the roster import: between preview and confirm the uploaded bytes wait in default_storage under a random
name that only the session knows; the confirm form carries only a random token compared with the session's.
"""

import datetime as dt
import logging
import secrets

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError
from django.shortcuts import redirect, render
from django.utils import timezone

from dxtalent.core.tabular import ImportResult
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.import_forms import ConfirmForm, ImportUploadForm

from ..imports import COLUMNS, LABELS, import_elearning
from .common import context

logger = logging.getLogger(__name__)
SESSION_KEY = "dx_import_elearning"
FOLDER = "imports/elearning"
PENDING_MAX_AGE = dt.timedelta(days=1)
NOTES = {
    "職員番号": "全角数字も可",
    "氏名": "職員番号の職員の氏名と一致すること（空白の有無・全角半角は問いません）",
    "講座コード": "講座に登録した「eラーニング事業者の講座コード」、または講座コード",
    "修了日": "2026-04-01、2026/4/1、R8.4.1、令和8年4月1日、Excelの日付",
    "学習時間": "時間数（1.5、１．５）、1:30、90分 など",
}


@access.require(Action.MANAGE_TRAINING)
def import_elearning_page(request):
    if request.method == "POST":
        action = request.POST.get("action", "preview")
        if action == "confirm":
            return _confirm(request)
        if action == "cancel":
            _discard(request)
            messages.info(request, "取込を取りやめました。何も書き込んでいません。")
            return redirect("training:import_elearning")
        return _preview(request)
    return _upload(request, ImportUploadForm())


def _upload(request, form):
    columns = [(c.name, NOTES.get(c.name, "")) for c in COLUMNS]
    return render(request, "training/import_upload.html", context(request, "import", form=form, columns=columns))


def _preview(request):
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload(request, form)
    upload = form.cleaned_data["file"]
    data = upload.read()
    filename = (upload.name or "upload")[:200]
    result = import_elearning(data, filename, dry_run=True)
    _discard(request)
    token = _store(request, data, filename) if result.ok and _has_changes(result) else None
    return _preview_page(request, result, filename, token)


def _has_changes(result: ImportResult) -> bool:
    return bool(result.counts.get("added") or result.extra.get("updated"))


def _counts(result: ImportResult) -> list[tuple[str, int]]:
    return [(label, result.counts.get(key, result.extra.get(key, 0))) for key, label in LABELS.items()]


def _preview_page(request, result: ImportResult, filename: str, token: str | None):
    ctx = context(
        request,
        "import",
        result=result,
        counts=_counts(result),
        filename=filename,
        token=token,
        has_changes=_has_changes(result),
    )
    return render(request, "training/import_preview.html", ctx)


def _confirm(request):
    form = ConfirmForm(request.POST)
    pending = request.session.get(SESSION_KEY)
    if not form.is_valid() or not pending or not secrets.compare_digest(form.cleaned_data["token"], pending["token"]):
        messages.error(
            request,
            "確認画面の有効期限が切れたか、別の画面で新しいファイルを選びました。もう一度ファイルを選んでください。",
        )
        return redirect("training:import_elearning")
    data = _load(pending)
    if data is None:
        _discard(request)
        messages.error(request, "確認中のファイルが見つかりません。もう一度ファイルを選んでください。")
        return redirect("training:import_elearning")
    try:
        result = import_elearning(data, pending["filename"], user=request.user)
    except (DatabaseError, ValueError):
        logger.exception("e-learning import failed")
        messages.error(
            request, "取込中にエラーが発生したため、何も書き込みませんでした。時間をおいてもう一度お試しください。"
        )
        return redirect("training:import_elearning")
    _discard(request)
    if not result.ok:  # the data changed since the preview: show what is wrong now
        return _preview_page(request, result, pending["filename"], None)
    done = "、".join(f"{label} {n}件" for label, n in _counts(result))
    messages.success(request, f"「{pending['filename']}」を取り込みました: {done}。［{result.summary_line()}］")
    return redirect("training:import_elearning")


def _store(request, data: bytes, filename: str) -> str:
    _sweep()
    token = secrets.token_urlsafe(32)
    name = default_storage.save(f"{FOLDER}/{secrets.token_hex(16)}.upload", ContentFile(data))
    request.session[SESSION_KEY] = {"token": token, "path": name, "filename": filename}
    return token


def _load(pending: dict) -> bytes | None:
    try:
        with default_storage.open(pending["path"], "rb") as fh:
            return fh.read()
    except (FileNotFoundError, OSError):
        return None


def _discard(request) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        try:
            default_storage.delete(pending["path"])
        except OSError:
            logger.warning("could not delete pending import file %s", pending["path"])


def _sweep() -> None:
    """Remove pending uploads abandoned more than a day ago."""
    try:
        _dirs, files = default_storage.listdir(FOLDER)
        cutoff = timezone.now() - PENDING_MAX_AGE
        for name in files:
            path = f"{FOLDER}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
    except (FileNotFoundError, NotImplementedError, OSError):
        pass
