"""`manage.py load_demo`: the demo data `make run` shows (idempotent: a second run changes nothing)."""

import time

from django.contrib.auth.password_validation import validate_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from dxtalent.org.demo import builder
from dxtalent.org.demo.simulate import simulate
from dxtalent.org.demo.spec import load_spec
from dxtalent.org.models import Employee, OrgUnit


class Command(BaseCommand):
    help = (
        "デモデータ（札幌市モデルの組織、職員約2,000人と数年分の4月1日異動、ロールごとのログイン）を読み込みます。"
        "組織か職員が既にあるデータベースでは何もしません。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=2000, help="在職者数（既定 2000）")
        parser.add_argument("--years", type=int, default=5, help="何年度分の4月1日異動を作るか（既定 5）")
        parser.add_argument("--seed", type=int, default=2026, help="乱数の種（同じ種なら同じデータ）")

    def handle(self, *args, employees: int, years: int, seed: int, **options):
        if builder.has_data():
            self.stdout.write(
                f"デモデータは読み込み済みです（組織 {OrgUnit.objects.count():,} 件、"
                f"職員 {Employee.objects.count():,} 人）。何もしません。"
            )
            return
        validate_password(builder.DEMO_PASSWORD)
        started = time.perf_counter()
        today = timezone.localdate()
        plan = simulate(load_spec(), employees=employees, years=years, seed=seed, today=today)
        self.stdout.write(
            f"デモデータを作成しています（{today:%Y-%m-%d} 時点、{plan.rounds[0].year}〜{plan.rounds[-1].year}年の"
            f"4月1日異動）…"
        )
        with transaction.atomic():
            counts = builder.write_plan(plan, history=True, source=builder.SOURCE_DEMO, log=self.stdout.write)
            for hook in builder.app_hooks("load_demo"):
                hook(plan=plan, seed=seed, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"デモデータを読み込みました: 組織 {counts['units']:,} 件、職員 {counts['employees']:,} 人"
                f"（在職 {len(plan.active_people()):,} 人）、所属 {counts['assignments']:,} 件、"
                f"ログイン {counts['logins']} 件（{time.perf_counter() - started:.1f} 秒）"
            )
        )
