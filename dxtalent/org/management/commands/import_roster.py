"""manage.py import_roster FILE [--as-of YYYY-MM-DD] [--dry-run] [--retire-missing] [--user USERNAME]"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from dxtalent.core.tabular import ImportResult, RowError
from dxtalent.core.wareki import parse_date
from dxtalent.org.imports import ROSTER_LABELS, ROSTER_SUMMARY_KEYS, import_roster
from dxtalent.org.imports.common import report_lines


def load_file(path: str, result: ImportResult) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        result.errors.append(RowError(0, "", path, "ファイルが見つかりません。"))
    except IsADirectoryError:
        result.errors.append(RowError(0, "", path, "フォルダーではなくファイルを指定してください。"))
    except OSError as exc:
        result.errors.append(RowError(0, "", path, f"ファイルを読み込めません（{exc.strerror}）。"))
    return None


def find_user(username: str | None, result: ImportResult):
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        result.errors.append(RowError(0, "--user", username, "このユーザー名のユーザーはいません。"))
    return user


def finish(command: BaseCommand, result: ImportResult, labels: dict[str, str], unit: str) -> None:
    """Print the report and, always last, the summary line; exit 1 when anything was wrong."""
    for line in report_lines(result, labels, unit):
        command.stdout.write(line)
    command.stdout.write(result.summary_line())
    if result.errors:
        sys.stdout.flush()
        raise SystemExit(1)


class Command(BaseCommand):
    help = (
        "職員名簿（CSV: UTF-8 / UTF-8 BOM付き / CP932、または .xlsx）を基準日時点のスナップショットとして取り込みます。"
        "全行を検証し、1行でも誤りがあれば何も書き込みません（終了コード 1）。"
        "最終行は常に added=N transferred=N unchanged=N retired=N errors=N です。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="名簿ファイル（.csv または .xlsx）")
        parser.add_argument("--as-of", dest="as_of", help="基準日（例: 2026-04-01, R8.4.1, 令和8年4月1日。既定: 今日）")
        parser.add_argument("--dry-run", action="store_true", help="検証と件数の表示だけを行い、書き込みません")
        parser.add_argument(
            "--retire-missing", action="store_true", help="ファイルにない在職者を基準日付で退職・転出にします"
        )
        parser.add_argument("--user", help="実行者として記録するユーザー名（変更履歴・取込記録に残ります）")

    def handle(self, *args, **options):
        result = ImportResult(keys=ROSTER_SUMMARY_KEYS)
        as_of = timezone.localdate()
        if options["as_of"]:
            try:
                as_of = parse_date(options["as_of"])
            except ValueError as exc:
                result.errors.append(RowError(0, "--as-of", options["as_of"], str(exc)))
        user = find_user(options["user"], result)
        data = load_file(options["file"], result)
        if not result.errors:
            try:
                result = import_roster(
                    data,
                    Path(options["file"]).name,
                    as_of=as_of,
                    dry_run=options["dry_run"],
                    retire_missing=options["retire_missing"],
                    user=user,
                )
            except Exception as exc:  # the transaction rolled back: report it like any other error
                result.errors.append(
                    RowError(0, "", "", f"取込中に予期しないエラーが発生し、何も書き込みませんでした（{exc}）。")
                )
        if not result.dry_run and not result.errors:
            self.stdout.write(f"基準日 {as_of:%Y-%m-%d} の名簿を取り込みました。")
        finish(self, result, ROSTER_LABELS, "人")
