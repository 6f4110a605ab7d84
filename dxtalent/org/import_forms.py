"""Upload forms of the roster and org-chart imports (the file is checked for size and type here)."""

from django import forms
from django.utils import timezone

from dxtalent.core.tabular import ACCEPTED_EXTENSIONS

from .forms import FlexibleDateField

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UPLOAD_LABEL = "20 MB"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="ファイル",
        help_text=f"CSV（UTF-8 または Shift_JIS）または Excel（.xlsx）。{MAX_UPLOAD_LABEL}まで。",
        error_messages={
            "required": "取り込むファイルを選んでください。",
            "empty": "ファイルが空です。見出し行とデータ行のあるファイルを選んでください。",
            "invalid": "ファイルを受け取れませんでした。もう一度選んでください。",
            "missing": "ファイルを受け取れませんでした。もう一度選んでください。",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"ファイルが大きすぎます（{upload.size / 1024 / 1024:.1f} MB）。"
                f"{MAX_UPLOAD_LABEL}以下にするか、ファイルを分けて取り込んでください。"
            )
        name = (upload.name or "").lower()
        if name.endswith(".xls"):
            raise forms.ValidationError(
                "旧形式のExcel（.xls）は取り込めません。Excelで「.xlsx」または「CSV」形式で保存し直してください。"
            )
        if not name.endswith(ACCEPTED_EXTENSIONS):
            raise forms.ValidationError("CSV（.csv）または Excel（.xlsx）のファイルを選んでください。")
        return upload


class RosterUploadForm(ImportUploadForm):
    as_of = FlexibleDateField(
        label="基準日",
        help_text="名簿がいつ時点のものか（例: 2026-04-01、R8.4.1、令和8年4月1日）。異動はこの日付で記録します。",
        error_messages={"required": "基準日を入力してください。"},
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    retire_missing = forms.BooleanField(
        label="名簿にない在職者を、基準日付で退職・転出にする",
        required=False,
        help_text="全職員の名簿を取り込むときだけ選んでください。一部の局区だけの名簿では選ばないでください。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["as_of"].initial = timezone.localdate()


class ConfirmForm(forms.Form):
    token = forms.CharField(max_length=64)
