"""Fixtures of the case library tests: finished projects (written straight to the models, so these tests do not
depend on the step workflow) and a small library of published cases with texts chosen for the search tests.

Scores of the library below (title ×3, summary ×2, body ×1):
- 進捗: A 5 (title + summary), C 3 (title), B 1 (effects)         → A, C, B
- 照会: A 8 (3 + 2 + problem, as_is, rule), B 2 (summary)          → A, B
- 台帳: B 8 (3 + 2 + problem, solution, rule)                      → B
- 見える化 / 見エル化: A 3 (title)
- タスク管理: A 3 (summary + to_be); アプリ: A 3, B 1
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from dxtalent.core.roles import Role
from dxtalent.projects import services
from dxtalent.projects.models import Project, ProjectStatus
from tests import factories as f
from tests.project_fixtures import load_pack


@pytest.fixture
def pack(db):
    return load_pack()


@pytest.fixture
def staff(people):
    return people["users"][Role.SECRETARIAT]


@pytest.fixture
def manager(people):
    """課長 of 東区 市民部 戸籍住民課."""
    return people["users"][Role.MANAGER]


class ProjectMaker:
    """Finished (or running) projects written with the ORM."""

    def __init__(self, people):
        self.people = people
        self.count = 0

    def __call__(self, unit, *, title="テスト用の改善", done=True, leader=None, baseline="20", after="12", **kw):
        self.count += 1
        manager = self.people["users"][Role.MANAGER].employee
        fields = {
            "title": title,
            "unit": unit,
            "manager": manager,
            "leader": leader,
            "work_category": "progress",
            "tool_kind": "groupware",
            "problem": "問題",
            "step": 4,
            "status": ProjectStatus.DONE if done else ProjectStatus.ACTIVE,
            "baseline_hours": Decimal(baseline),
            "after_hours": Decimal(after) if done else None,
            "verified_on": timezone.localdate() if done else None,
            "verified_fiscal_year": 2026 if done else None,
        }
        fields.update(kw)
        return Project.objects.create(**fields)


@pytest.fixture
def make_project(people):
    return ProjectMaker(people)


LIBRARY = {
    "A": {
        "unit": "kita_koseki",
        "title": "照会業務の進捗管理の見える化",
        "summary": "タスク管理アプリで照会の進捗を係内で共有した",
        "problem": "照会の状況を担当者しか把握できない",
        "as_is": "各照会内容をそれぞれの担当者しか状況把握できていない",
        "to_be": "担当・期限・状況を可視化できる一元的なタスク管理",
        "solution": "グループウェアで作成した、期限切れと未着手を一覧できる仕組み",
        "operating_rule": "照会案件は必ずこのアプリに登録すること",
        "effects": "月10時間の削減",
        "work_category": "inquiry",
        "tool_kind": "groupware",
    },
    "B": {
        "unit": "somu_jinjika",
        "title": "固定資産台帳の電子化",
        "summary": "紙の台帳をデータベース化し、照会に即答できるようにした",
        "problem": "台帳の検索に時間がかかる",
        "as_is": "紙の綴りを一冊ずつめくって探している",
        "to_be": "",
        "solution": "ノーコードツールで台帳アプリを作成",
        "operating_rule": "台帳の更新は当日中に行う",
        "effects": "進捗の報告も楽になった",
        "work_category": "ledger",
        "tool_kind": "nocode",
    },
    "C": {
        "unit": "somu_jinjika",
        "title": "会議の日程調整と進捗共有",
        "summary": "日程調整ツールを導入した",
        "problem": "調整のメールが多い",
        "as_is": "",
        "to_be": "",
        "solution": "",
        "operating_rule": "",
        "effects": "",
        "work_category": "scheduling",
        "tool_kind": "other",
    },
    "D": {  # published without its unit: 保険年金課 must never be found nor shown
        "unit": "higashi_hoken",
        "show_unit": False,
        "title": "窓口の受付票の整理",
        "summary": "受付票を電子化した",
        "problem": "受付票が紙で残るため電子化が必要",
        "as_is": "",
        "to_be": "",
        "solution": "",
        "operating_rule": "",
        "effects": "",
        "work_category": "application",
        "tool_kind": "other",
    },
}


@pytest.fixture
def library(pack, people, staff, make_project):
    """Cases A–D published a day apart (A oldest, D newest); returns {key: Case}."""
    city = people["units"]
    leader = f.employee(city["kita_koseki"], name="鈴木 一郎", kana="スズキ イチロウ")
    start = timezone.now() - dt.timedelta(days=10)
    out = {}
    for i, (key, spec) in enumerate(LIBRARY.items()):
        spec = dict(spec)
        unit = city[spec.pop("unit")]
        project = make_project(unit, title=spec["title"], leader=leader if key == "A" else None)
        out[key] = services.case_publish(project=project, by=staff, at=start + dt.timedelta(days=i), **spec)
    return out
