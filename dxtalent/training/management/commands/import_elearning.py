"""manage.py import_elearning FILE [--dry-run] [--user USERNAME]"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from dxtalent.core.tabular import ImportResult, RowError
from dxtalent.org.imports.common import report_lines
from dxtalent.training.imports import LABELS, SUMMARY_KEYS, import_elearning


class Command(BaseCommand):
    help = (
        "eラーニング事業者の修了実績（CSV: UTF-8 / UTF-8 BOM付き / CP932、または .xlsx）を取り込みます。"
        "列は 職員番号, 氏名, 講座コード, 修了日, 学習時間。全行を検証し、1行でも誤りがあれば何も書き込みません"
        "（終了コード 1）。同じファイルを2回取り込んでも変わりません。最終行は常に added=N unchanged=N errors=N です。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="修了実績ファイル（.csv または .xlsx）")
        parser.add_argument("--dry-run", action="store_true", help="検証と件数の表示だけを行い、書き込みません")
        parser.add_argument("--user", help="実行者として記録するユーザー名（変更履歴に残ります）")

    def handle(self, *args, **options):
        result = ImportResult(keys=SUMMARY_KEYS, extra={"updated": 0})
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                result.errors.append(RowError(0, "--user", options["user"], "このユーザー名のユーザーはいません。"))
        data = None
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            result.errors.append(RowError(0, "", str(path), "ファイルが見つかりません。"))
        except IsADirectoryError:
            result.errors.append(RowError(0, "", str(path), "フォルダーではなくファイルを指定してください。"))
        except OSError as exc:
            result.errors.append(RowError(0, "", str(path), f"ファイルを読み込めません（{exc.strerror}）。"))
        if not result.errors:
            try:
                result = import_elearning(data, path.name, dry_run=options["dry_run"], user=user)
            except Exception as exc:  # the transaction rolled back: report it like any other error
                result.errors.append(
                    RowError(0, "", "", f"取込中に予期しないエラーが発生し、何も書き込みませんでした（{exc}）。")
                )
        if not result.dry_run and not result.errors:
            self.stdout.write(f"「{path.name}」の修了実績を取り込みました。")
        for line in report_lines(result, LABELS):
            self.stdout.write(line)
        self.stdout.write(result.summary_line())
        if result.errors:
            sys.stdout.flush()
            raise SystemExit(1)
