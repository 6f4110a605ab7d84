"""Promotion rules come from the pack: change the criteria and readiness follows; history gives years per stage."""

import datetime as dt

import pytest

from dxtalent.experts import services
from dxtalent.experts.selectors.ladder import department_head, readiness, span_label, whole_years
from tests.experts_ladder import builders as b

pytestmark = pytest.mark.django_db

ENTERED = dt.date(2019, 4, 1)
PROMOTED = dt.date(2020, 4, 1)  # into 修行中
DAY = dt.date(2022, 4, 1)  # two years in 修行中, three since entry
LEVELS3 = {"it_tech": 3, "project_management": 3, "analysis_communication": 3, "admin_procurement": 3}
ICHININMAE_EXPERIENCES = ["procurement_spec", "estimate_review", "vendor_meeting", "requirements"]


@pytest.fixture
def person(dept, hr, pack_row):
    e = b.staff(dept["ka"])
    services.ladder_enter(employee=e, stage_code="minarai", on=ENTERED, by=hr)
    services.ladder_leave(employee=e, on=PROMOTED - dt.timedelta(days=1), by=hr)
    services.ladder_enter(employee=e, stage_code="shugyo", on=PROMOTED, by=hr)
    plan = services.ojt_plan_save(employee=e, fiscal_year=2021, mentor=dept["mentor"], goals="調達を自立して", by=hr)
    services.ojt_review_save(
        plan=plan, half=1, by=dept["mentor_user"], reviewed_on=dt.date(2021, 9, 30), progress="順調",
        experiences=ICHININMAE_EXPERIENCES[:2],
    )  # fmt: skip
    services.ojt_review_save(
        plan=plan, half=2, by=dept["mentor_user"], reviewed_on=dt.date(2022, 3, 20), progress="順調",
        experiences=ICHININMAE_EXPERIENCES[2:],
    )  # fmt: skip
    b.rate(e, {**LEVELS3, "project_management": 2}, pack_row=pack_row, opens_on=dt.date(2020, 1, 10))
    b.rate(e, LEVELS3, pack_row=pack_row, opens_on=dt.date(2022, 1, 10), evaluator=dept["mentor"])
    return e


def test_a_person_meeting_every_criterion_is_ready(person, pack):
    r = readiness([person], pack=pack, day=DAY)[person.pk]
    assert (r.stage.name, r.next_stage.name) == ("修行中", "一人前")
    assert (r.years_in_stage, r.years_since_entry) == (2, 3)
    assert r.levels == LEVELS3  # the latest campaign's evaluator ratings, not the self-ratings nor the older one
    assert r.experiences_done == set(ICHININMAE_EXPERIENCES)
    assert r.unmet == [] and r.ready and not r.long_stay
    assert all(c.met for c in r.checks) and len(r.checks) == 2 + 4 + 4


def test_a_day_earlier_the_years_are_not_there(person, pack):
    r = readiness([person], pack=pack, day=DAY - dt.timedelta(days=1))[person.pk]
    assert not r.ready
    assert "修行中での在籍年数 1年（必要 2年）" in r.unmet
    assert "育成開始からの年数 2年（必要 3年）" in r.unmet
    assert not any(u.startswith("未経験") for u in r.unmet)


def test_more_years_in_the_pack_flip_ready(person, pack_row):
    def change(raw):
        b.criteria(raw, "ichininmae")["min_years_in_previous_stage"] = 3

    r = readiness([person], pack=b.modified(pack_row, change), day=DAY)[person.pk]
    assert not r.ready and r.unmet == ["修行中での在籍年数 2年（必要 3年）"]


def test_a_higher_level_in_the_pack_flips_ready(person, pack_row):
    def change(raw):
        b.criteria(raw, "ichininmae")["expected_levels"]["project_management"] = 4

    r = readiness([person], pack=b.modified(pack_row, change), day=DAY)[person.pk]
    assert not r.ready and r.unmet == ["プロジェクトマネジメント レベル3（必要 4）"]


def test_a_new_experience_in_the_pack_flips_ready(person, pack_row):
    def change(raw):
        b.criteria(raw, "ichininmae")["experiences"].append({"code": "audit", "label": "情報セキュリティ監査の対応"})

    r = readiness([person], pack=b.modified(pack_row, change), day=DAY)[person.pk]
    assert not r.ready and r.unmet == ["未経験: 情報セキュリティ監査の対応"]


def test_dropping_a_criterion_makes_the_unready_ready(person, pack, pack_row):
    early = DAY - dt.timedelta(days=1)
    assert not readiness([person], pack=pack, day=early)[person.pk].ready

    def change(raw):
        c = b.criteria(raw, "ichininmae")
        c["min_years_in_previous_stage"], c["min_years_since_assignment"] = 1, 2

    assert readiness([person], pack=b.modified(pack_row, change), day=early)[person.pk].ready


def test_missing_ratings_and_the_long_stay_margin(dept, hr, pack, pack_row):
    e = b.staff(dept["ka"], name="長期 滞留", kana="チョウキ タイリュウ")
    services.ladder_enter(employee=e, stage_code="minarai", on=dt.date(2016, 4, 1), by=hr)
    r = readiness([e], pack=pack, day=DAY)[e.pk]
    # 修行中 needs 1 year in 見習い; the margin is 2 more: six years is a long stay
    assert r.years_in_stage == 6 and r.long_stay and not r.ready
    assert "ITリテラシー・技術理解力 評価なし（必要 2）" in r.unmet
    assert not readiness([e], pack=pack, day=dt.date(2018, 4, 1)).get(e.pk).long_stay  # 2 < 1 + 2
    assert readiness([e], pack=pack, day=dt.date(2019, 4, 1))[e.pk].long_stay  # 3 ≥ 1 + 2

    def wider(raw):
        raw["experts"]["long_stay_margin_years"] = 10

    assert not readiness([e], pack=b.modified(pack_row, wider), day=DAY)[e.pk].long_stay


def test_top_stage_is_never_ready_nor_long(dept, hr, pack):
    e = b.staff(dept["ka"], name="熟練 者", kana="ジュクレン シャ")
    services.ladder_enter(employee=e, stage_code="jukuren", on=dt.date(2005, 4, 1), by=hr)
    r = readiness([e], pack=pack, day=DAY)[e.pk]
    assert r.is_top and not r.ready and not r.long_stay and r.unmet == []


def test_history_over_years_gives_years_per_stage(dept, hr, pack):
    """Entered 2016, promoted 2018 and 2021: 2 years 見習い, 3 years 修行中, then 一人前."""
    e = b.staff(dept["ka"])
    services.ladder_enter(employee=e, stage_code="minarai", on=dt.date(2016, 4, 1), by=hr)
    for fy, on in ((2017, dt.date(2018, 3, 1)), (2020, dt.date(2021, 3, 1))):
        services.ojt_plan_save(employee=e, fiscal_year=fy, mentor=dept["mentor"], goals="目標", by=hr, at=None)
        p = services.promotion_propose(employee=e, by=dept["mentor_user"], reasons="基準を満たした", on=on)
        services.promotion_decide(
            promotion=p, by=dept["head_user"], approve=True, reasons="承認", effective_on=dt.date(on.year, 4, 1), on=on
        )
    periods = list(e.stage_periods.order_by("valid_from"))
    assert [p.stage_code for p in periods] == ["minarai", "shugyo", "ichininmae"]
    assert [(p.valid_from, p.valid_to) for p in periods] == [
        (dt.date(2016, 4, 1), dt.date(2018, 3, 31)),
        (dt.date(2018, 4, 1), dt.date(2021, 3, 31)),
        (dt.date(2021, 4, 1), None),
    ]
    closed = [whole_years(p.valid_from, p.valid_to + dt.timedelta(days=1)) for p in periods[:2]]
    assert closed == [2, 3]
    assert span_label(periods[0].valid_from, periods[0].valid_to + dt.timedelta(days=1)) == "2年"
    r = readiness([e], pack=pack, day=dt.date(2023, 10, 1))[e.pk]
    assert (r.stage.name, r.years_in_stage, r.years_since_entry) == ("一人前", 2, 7)


def test_department_head_is_the_manager_of_the_named_bu(dept, pack, city):
    from tests import factories as f

    today = dt.date(2026, 4, 1)
    assert department_head(pack, today) == dept["head"]
    # a 部長 of another 部 and a 課長 inside the department do not count; a higher-ranking one would
    f.employee(city["somu_jinji"], name="別 部長", kana="ベツ ブチョウ", pos=f.position("部長"))
    f.employee(dept["ka"], name="課 長", kana="カ チョウ", pos=f.position("課長", rank=30, is_manager=True))
    assert department_head(pack, today) == dept["head"]
    top = f.employee(
        dept["bu"], name="局 次長", kana="キョク ジチョウ", pos=f.position("次長", rank=10, is_manager=True)
    )
    assert department_head(pack, today) == top


def test_readiness_queries_do_not_grow(dept, hr, pack, pack_row, django_assert_num_queries):
    people = []
    for i in range(12):
        e = b.staff(dept["ka"], name=f"職員{i}", kana=f"ショクイン{i}")
        services.ladder_enter(employee=e, stage_code="minarai", on=dt.date(2020, 4, 1), by=hr)
        b.rate(e, LEVELS3, pack_row=pack_row, opens_on=dt.date(2021, 1, 10 + i))
        people.append(e)
    with django_assert_num_queries(4):
        out = readiness(people, pack=pack, day=DAY)
    assert len(out) == 12 and all(r.levels == LEVELS3 for r in out.values())
