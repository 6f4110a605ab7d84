"""`manage.py demo_logins`: print who can log in, one table row per role (make run shows it on start)."""

import unicodedata

from django.contrib.auth.hashers import check_password
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dxtalent.core.roles import Role
from dxtalent.org.demo.builder import DEMO_PASSWORD, DEMO_URL
from dxtalent.org.models import Assignment, Employee, RoleGrant, valid_on
from dxtalent.org.selectors import org_snapshot

PER_ROLE = 3


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "デモ用ログイン（ロール・職員番号・氏名・所属・パスワード）を一覧表示します。"

    def add_arguments(self, parser):
        parser.add_argument("--url", default=DEMO_URL, help=f"表示するURL（既定 {DEMO_URL}）")
        parser.add_argument(
            "--username-for",
            choices=[r.value for r in Role],
            help="そのロールのログインの職員番号だけを1行で出力する（スクリプト用、例: benchmarks/run.sh）",
        )

    def handle(self, *args, url: str, username_for: str | None, **options):
        today = timezone.localdate()
        if username_for:
            grant = (
                RoleGrant.objects.filter(valid_on(today), role=username_for, user__is_active=True)
                .order_by("pk")  # the demo cast (staffing.yaml) first, then logins added by app demos
                .select_related("user")
                .first()
            )
            if grant is None:
                raise CommandError(f"ロール {username_for} のログインがありません。")
            self.stdout.write(grant.user.username)
            return
        grants = list(
            RoleGrant.objects.filter(valid_on(today), user__is_active=True)
            .select_related("user", "scope_unit")
            .order_by("pk")  # the demo cast (staffing.yaml) first, then logins added by app demos
        )
        if not grants:
            self.stdout.write("ログインできる利用者がいません。先に manage.py load_demo を実行してください。")
            return
        users = {g.user_id for g in grants}
        employees = {e.user_id: e for e in Employee.objects.filter(user_id__in=users)}
        current = {
            a.employee_id: a
            for a in Assignment.objects.filter(valid_on(today), employee__in=employees.values()).select_related(
                "position"
            )
        }
        snapshot = org_snapshot(today)
        checked: dict[str, bool] = {}  # one hash check per distinct hash: demo logins share one password

        def password_of(user) -> str:
            if user.password not in checked:
                checked[user.password] = check_password(DEMO_PASSWORD, user.password)
            return DEMO_PASSWORD if checked[user.password] else "（変更済み）"

        rows = [("ロール", "職員番号", "氏名", "所属", "パスワード")]
        order = {r.value: i for i, r in enumerate(Role)}
        shown: dict[str, int] = {}
        for g in sorted(grants, key=lambda g: (order.get(g.role, 99), g.pk)):  # the cast first, per role
            shown[g.role] = shown.get(g.role, 0) + 1
            if shown[g.role] > PER_ROLE:
                continue
            emp = employees.get(g.user_id)
            a = current.get(emp.pk) if emp else None
            place = snapshot.label_of(a.unit_id) if a else ""
            if a:
                place = f"{place}（{a.position.name}）"
            if g.scope_unit_id:
                place += f" ／担当: {snapshot.label_of(g.scope_unit_id) or g.scope_unit.code}"
            name = emp.name if emp else g.user.get_full_name() or g.user.username
            rows.append((g.get_role_display(), g.user.username, name, place, password_of(g.user)))
        widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
        self.stdout.write("デモ用ログイン（職員番号とパスワードでログインします）")
        for i, row in enumerate(rows):
            self.stdout.write("  " + "  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())
            if i == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
        for role, n in shown.items():
            if n > PER_ROLE:
                self.stdout.write(f"  （{Role(role).label} は他に {n - PER_ROLE} 人）")
        self.stdout.write(f"URL: {url}")
