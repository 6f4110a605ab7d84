"""`manage.py generate_scale_data --employees 25000 --seed 1`: a city-scale data set for the benchmarks.

Run it on an empty, migrated database (it refuses otherwise): the full org tree (the demo YAML plus generated
係, about one unit per 16 people), the given number of staff in post today, 10 years of 1 April transfers,
retirements and hires, and the same demo logins as `load_demo`. Deterministic: the same --seed, size and
date give the same people, numbers and history (the fingerprint printed at the end says so).

Rows are written with plain bulk inserts; change-history rows (django-simple-history) only with --history.
"""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from dxtalent.org.demo import builder
from dxtalent.org.demo.simulate import Plan, simulate
from dxtalent.org.demo.spec import extend_for_scale, load_spec

PEOPLE_PER_UNIT = 16


def scale_plan(*, employees: int, seed: int, years: int, units: int | None, today) -> tuple[Plan, int]:
    """The org (YAML + generated 係) and the simulated staff; returns the plan and how many 係 were generated."""
    spec = load_spec()
    added = extend_for_scale(spec, target_units=units or employees // PEOPLE_PER_UNIT, rng=random.Random(seed))
    return simulate(spec, employees=employees, years=years, seed=seed, today=today), added


class Command(BaseCommand):
    help = "ベンチマーク用の市規模データ（組織・職員・10年分の異動）を空のデータベースに作成します。"

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=25000, help="在職者数（既定 25000）")
        parser.add_argument("--seed", type=int, default=1, help="乱数の種（既定 1）")
        parser.add_argument("--years", type=int, default=10, help="何年度分の4月1日異動を作るか（既定 10）")
        parser.add_argument(
            "--units", type=int, default=None, help=f"今日時点の組織数の目安（既定 職員数÷{PEOPLE_PER_UNIT}）"
        )
        parser.add_argument("--history", action="store_true", help="変更履歴（simple-history）の行も作る")

    def handle(self, *args, employees: int, seed: int, years: int, units: int | None, history: bool, **options):
        if builder.has_data():
            raise CommandError(
                "組織か職員が既にあるデータベースです。空のデータベースを migrate してから実行してください"
                "（例: DATABASE_URL=sqlite:///var/scale.sqlite3 manage.py migrate）。"
            )
        started = time.perf_counter()
        today = timezone.localdate()
        plan, added = scale_plan(employees=employees, seed=seed, years=years, units=units, today=today)
        self.stdout.write(
            f"規模データを作成しています（{connection.vendor}、在職 {employees:,} 人、"
            f"{plan.rounds[0].year}〜{plan.rounds[-1].year}年の4月1日異動、生成した係 {added:,} 件、"
            f"シミュレーション {time.perf_counter() - started:.1f} 秒）…"
        )
        with transaction.atomic():
            counts = builder.write_plan(plan, history=history, source=builder.SOURCE_SCALE, log=self.stdout.write)
            for hook in builder.app_hooks("generate_scale_data"):
                hook(plan=plan, seed=seed, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"規模データを作成しました: 組織 {counts['units']:,} 件、職員 {counts['employees']:,} 人"
                f"（在職 {len(plan.active_people()):,} 人）、所属 {counts['assignments']:,} 件、"
                f"ログイン {counts['logins']} 件（{time.perf_counter() - started:.1f} 秒）"
            )
        )
        self.stdout.write(f"fingerprint {plan.fingerprint()[:16]}")
