"""Builders for the ③ ladder tests: the 情報システム部 with its head, mentors and staff, ratings, modified packs.

Stage periods, plans, reviews and promotions go through the services; campaign ratings are written straight to
the competency models (the competency app's own tests cover how they come about).
"""

import copy
import datetime as dt

from django.utils import timezone

from dxtalent.competency.models import Assessment, Campaign, Rater, Rating
from dxtalent.core.roles import Role
from dxtalent.org.models import OrgKind
from dxtalent.policy.pack import Pack
from dxtalent.policy.selectors import pack_of
from tests import factories as f


def department(city) -> dict:
    """デジタル戦略推進局 情報システム部 (its head 部長 sits directly in the 部) → システム管理課."""
    d = {}
    d["kyoku"] = f.unit("デジタル戦略推進局", OrgKind.KYOKU, code="D01")
    d["bu"] = f.unit("情報システム部", OrgKind.BU, d["kyoku"], code="D01-1")
    d["ka"] = f.unit("システム管理課", OrgKind.KA, d["bu"], code="D01-1-1")
    bucho = f.position("部長", rank=20, is_manager=True)
    d["head"] = f.employee(d["bu"], name="情報 部長", kana="ジョウホウ ブチョウ", pos=bucho)
    d["head_user"] = f.login(d["head"], Role.EMPLOYEE)
    d["mentor"] = f.employee(d["ka"], name="指導 先輩", kana="シドウ センパイ")
    d["mentor_user"] = f.login(d["mentor"], Role.EMPLOYEE)
    d["other_mentor"] = f.employee(d["ka"], name="別の 先輩", kana="ベツノ センパイ")
    d["other_user"] = f.login(d["other_mentor"], Role.EMPLOYEE)
    return d


def staff(unit, name="育成 太郎", kana="イクセイ タロウ", hire_route=""):
    e = f.employee(unit, name=name, kana=kana)
    if hire_route:
        e.hire_route = hire_route
        e.save(update_fields=["hire_route"])
    return e


def rate(employee, levels: dict[str, int], *, pack_row, opens_on: dt.date, evaluator=None, submitted=True):
    """An annual ③ campaign opening `opens_on` (one per day) with `employee`'s evaluator ratings."""
    pack = pack_of(pack_row)
    fw = pack.framework_raw(pack.ladder_framework.code)
    campaign, _ = Campaign.objects.get_or_create(
        name=f"③年次評価 {opens_on}",
        defaults={
            "kind": "annual",
            "fiscal_year": opens_on.year,
            "pack": pack_row,
            "framework_code": fw["code"],
            "framework_version": fw["version"],
            "framework": copy.deepcopy(fw),
            "opens_on": opens_on,
            "closes_on": opens_on + dt.timedelta(days=30),
        },
    )
    a = Assessment.objects.create(
        campaign=campaign,
        employee=employee,
        evaluator=evaluator,
        evaluator_submitted_at=timezone.now() if submitted else None,
    )
    Rating.objects.bulk_create(
        Rating(assessment=a, rater=Rater.EVALUATOR, item_code=code, level=level) for code, level in levels.items()
    )
    # a self-rating that must never count
    Rating.objects.bulk_create(Rating(assessment=a, rater=Rater.SELF, item_code=code, level=4) for code in levels)
    return a


def modified(pack_row, change) -> Pack:
    """A copy of the pack with `change(raw)` applied to its content (the ladder's criteria, the margin …)."""
    raw = copy.deepcopy(pack_row.content)
    change(raw)
    return Pack(raw)


def criteria(raw: dict, stage_code: str) -> dict:
    return next(s for s in raw["experts"]["ladder"] if s["code"] == stage_code)["criteria"]
