"""manage.py import_org FILE [--dry-run] [--user USERNAME]"""

from pathlib import Path

from django.core.management.base import BaseCommand

from dxtalent.core.tabular import ImportResult, RowError
from dxtalent.org.imports import ORG_LABELS, ORG_SUMMARY_KEYS, import_org

from .import_roster import find_user, finish, load_file


class Command(BaseCommand):
    help = (
        "組織コード表（列: 組織コード, 組織名, 種別（局/区/部/課/係）, 上位組織コード, 開始日, 終了日（任意））"
        "を取り込みます。"
        "全行を検証し、1行でも誤りがあれば何も書き込みません（終了コード 1）。行の順序は問いません。"
        "最終行は常に added=N changed=N unchanged=N closed=N errors=N です。各行はどれか1つに数えます: "
        "added=新しい組織コード（終了日があれば廃止済みとして登録）、"
        "changed=組織名または上位組織が変わった組織（開始日から新しい版。前の版は前日で終了）、"
        "closed=終了日が新たに設定された組織、unchanged=変更なし、errors=エラーの件数。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="組織コード表（.csv または .xlsx）")
        parser.add_argument("--dry-run", action="store_true", help="検証と件数の表示だけを行い、書き込みません")
        parser.add_argument("--user", help="実行者として記録するユーザー名（取込記録に残ります）")

    def handle(self, *args, **options):
        result = ImportResult(keys=ORG_SUMMARY_KEYS)
        user = find_user(options["user"], result)
        data = load_file(options["file"], result)
        if not result.errors:
            try:
                result = import_org(data, Path(options["file"]).name, dry_run=options["dry_run"], user=user)
            except Exception as exc:  # the transaction rolled back: report it like any other error
                result.errors.append(
                    RowError(0, "", "", f"取込中に予期しないエラーが発生し、何も書き込みませんでした（{exc}）。")
                )
        finish(self, result, ORG_LABELS, "件")
