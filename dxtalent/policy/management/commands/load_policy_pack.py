from django.core.management.base import BaseCommand, CommandError

from dxtalent.policy.services import PackError, policy_pack_load


class Command(BaseCommand):
    help = "ポリシーパック（YAML/JSON のフォルダ）を検証して読み込む。同じ内容の再読込では何も変わらない。"

    def add_arguments(self, parser):
        parser.add_argument("directory", help="例: policy_packs/sapporo-r8")

    def handle(self, *args, directory, **options):
        try:
            result = policy_pack_load(directory=directory)
        except PackError as exc:
            for file, key, reason in exc.problems:
                self.stderr.write(f"{file}: {key}: {reason}")
            raise CommandError(f"ポリシーパックを読み込めませんでした（{len(exc.problems)}件の問題）") from None
        pack = result.pack
        verb = "読み込みました" if result.created else "読込済みです（変更なし）"
        self.stdout.write(f"{pack.name} ver.{pack.version}（{pack.code}）を{verb}")
