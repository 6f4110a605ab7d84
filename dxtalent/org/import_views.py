"""Pages of the roster and org-chart imports: upload → preview (nothing written) → confirm → result.

Between preview and confirm the uploaded bytes wait in default_storage under a random name that only the
session knows; the confirm form carries nothing but a random token compared with the session's, so no path
or file name from the browser is ever used to find the file.
"""

import datetime as dt
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError
from django.shortcuts import redirect, render
from django.utils import timezone

from dxtalent.core.tabular import ImportResult
from dxtalent.core.wareki import format_wareki

from . import access
from .access import Action
from .import_forms import ConfirmForm, ImportUploadForm, RosterUploadForm
from .imports import ORG_LABELS, ROSTER_LABELS, import_org, import_roster, org_chart, roster
from .models import ImportBatch

logger = logging.getLogger(__name__)
PENDING_MAX_AGE = dt.timedelta(days=1)


@dataclass(frozen=True)
class ImportKind:
    key: str
    title: str
    url_name: str
    form_class: type[ImportUploadForm]
    labels: dict[str, str]
    unit: str
    columns: tuple
    notes: dict[str, str]
    run: Callable[..., ImportResult]


ROSTER = ImportKind(
    key="roster",
    title="職員名簿の取込",
    url_name="org:import_roster",
    form_class=RosterUploadForm,
    labels=ROSTER_LABELS,
    unit="人",
    columns=roster.COLUMNS,
    notes={
        "職員番号": "全角数字も可。同じ番号が2行あるとエラー",
        "氏名カナ": "カタカナ（半角カナ・ひらがなも可）",
        "局区": "基準日時点の組織名。部・課はその局区の下にあること",
        "係": "列・値とも任意",
        "職種": "職種マスタの名称（例: 一般事務）",
        "職位": "職位マスタの名称（例: 係長）",
        "採用年月日": "2026-04-01、2026/4/1、R8.4.1、令和8年4月1日、Excelの日付",
        "メールアドレス": "列は必要です。値は空欄可",
    },
    run=import_roster,
)
ORG = ImportKind(
    key="org",
    title="組織の取込",
    url_name="org:import_org",
    form_class=ImportUploadForm,
    labels=ORG_LABELS,
    unit="件",
    columns=org_chart.COLUMNS,
    notes={
        "組織コード": "同じコードの組織は改称・移動として新しい版になります",
        "種別": "局・区・部・課・係",
        "上位組織コード": "局・区は空欄。部は局・区の下、課は部の下、係は課の下。行の順序は自由",
        "開始日": "改称・移動のときは、その日付から新しい名称・上位組織になります",
        "終了日": "廃止する組織の最後の日（列・値とも任意）",
    },
    run=import_org,
)


@access.require(Action.IMPORT_ROSTER)
def import_roster_page(request):
    return _page(request, ROSTER)


@access.require(Action.IMPORT_ORG)
def import_org_page(request):
    return _page(request, ORG)


def _page(request, kind: ImportKind):
    if request.method == "POST":
        action = request.POST.get("action", "preview")
        if action == "confirm":
            return _confirm(request, kind)
        if action == "cancel":
            _discard(request, kind)
            messages.info(request, "取込を取りやめました。何も書き込んでいません。")
            return redirect(kind.url_name)
        return _preview(request, kind)
    return _upload_page(request, kind, kind.form_class())


def _upload_page(request, kind: ImportKind, form):
    columns = [(c.name, c.required and c.name != "メールアドレス", kind.notes.get(c.name, "")) for c in kind.columns]
    recent = ImportBatch.objects.filter(kind=kind.key).select_related("user")[:5]
    context = {"kind": kind, "form": form, "columns": columns, "recent": recent}
    return render(request, "org/import_upload.html", context)


def _params(kind: ImportKind, data: dict) -> dict:
    if kind is ROSTER:
        return {"as_of": data["as_of"], "retire_missing": bool(data.get("retire_missing"))}
    return {}


def _preview(request, kind: ImportKind):
    form = kind.form_class(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, kind, form)
    upload = form.cleaned_data["file"]
    data = upload.read()
    filename = (upload.name or "upload")[:200]
    params = _params(kind, form.cleaned_data)
    result = kind.run(data, filename, dry_run=True, **params)
    _discard(request, kind)
    token = _store(request, kind, data, filename, params) if result.ok and _has_changes(result) else None
    return _preview_page(request, kind, result, filename, params, token)


def _preview_page(request, kind, result: ImportResult, filename: str, params: dict, token: str | None):
    counts = [(label, result.counts.get(key, result.extra.get(key, 0))) for key, label in kind.labels.items()]
    context = {
        "kind": kind,
        "result": result,
        "counts": counts,
        "filename": filename,
        "as_of": params.get("as_of"),
        "retire_missing": params.get("retire_missing"),
        "token": token,
        "has_changes": _has_changes(result),
    }
    return render(request, "org/import_preview.html", context)


def _has_changes(result: ImportResult) -> bool:
    return any(v for k, v in result.counts.items() if k != "unchanged") or any(result.extra.values())


def _confirm(request, kind: ImportKind):
    form = ConfirmForm(request.POST)
    pending = request.session.get(_session_key(kind))
    if not form.is_valid() or not pending or not secrets.compare_digest(form.cleaned_data["token"], pending["token"]):
        messages.error(
            request,
            "確認画面の有効期限が切れたか、別の画面で新しいファイルを選びました。もう一度ファイルを選んでください。",
        )
        return redirect(kind.url_name)
    data = _load(pending)
    if data is None:
        _discard(request, kind)
        messages.error(request, "確認中のファイルが見つかりません。もう一度ファイルを選んでください。")
        return redirect(kind.url_name)
    params = dict(pending["params"])
    if "as_of" in params:
        params["as_of"] = dt.date.fromisoformat(params["as_of"])
    try:
        result = kind.run(data, pending["filename"], user=request.user, **params)
    except (DatabaseError, ValueError):
        logger.exception("import %s failed", kind.key)
        messages.error(
            request, "取込中にエラーが発生したため、何も書き込みませんでした。時間をおいてもう一度お試しください。"
        )
        return redirect(kind.url_name)
    _discard(request, kind)
    if not result.ok:  # the data changed since the preview: show what is wrong now
        return _preview_page(request, kind, result, pending["filename"], params, None)
    done = "、".join(
        f"{label} {result.counts.get(k, result.extra.get(k, 0))}{kind.unit}" for k, label in kind.labels.items()
    )
    when = f"（基準日 {format_wareki(params['as_of'])}）" if "as_of" in params else ""
    messages.success(request, f"「{pending['filename']}」を取り込みました{when}: {done}。［{result.summary_line()}］")
    return redirect(kind.url_name)


def _session_key(kind: ImportKind) -> str:
    return f"dx_import_{kind.key}"


def _store(request, kind: ImportKind, data: bytes, filename: str, params: dict) -> str:
    _sweep(kind)
    token = secrets.token_urlsafe(32)
    name = default_storage.save(f"imports/{kind.key}/{secrets.token_hex(16)}.upload", ContentFile(data))
    stored = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in params.items()}
    request.session[_session_key(kind)] = {"token": token, "path": name, "filename": filename, "params": stored}
    return token


def _load(pending: dict) -> bytes | None:
    try:
        with default_storage.open(pending["path"], "rb") as fh:
            return fh.read()
    except (FileNotFoundError, OSError):
        return None


def _discard(request, kind: ImportKind) -> None:
    pending = request.session.pop(_session_key(kind), None)
    if pending:
        try:
            default_storage.delete(pending["path"])
        except OSError:
            logger.warning("could not delete pending import file %s", pending["path"])


def _sweep(kind: ImportKind) -> None:
    """Remove pending uploads abandoned more than a day ago (previews that were never confirmed)."""
    folder = f"imports/{kind.key}"
    try:
        _dirs, files = default_storage.listdir(folder)
        cutoff = timezone.now() - PENDING_MAX_AGE
        for name in files:
            path = f"{folder}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
    except (FileNotFoundError, NotImplementedError, OSError):
        pass
