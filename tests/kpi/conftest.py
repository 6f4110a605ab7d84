import datetime as dt

import pytest

from dxtalent.leaders.models import MemberStatus, NominationStatus
from dxtalent.org.models import OrgKind
from tests.kpi import builders as b


@pytest.fixture
def sapporo_pack(db):
    return b.load_sapporo()


@pytest.fixture
def small_programme(sapporo_pack):
    """Five 部 (東区: 市民部・保健福祉部・地域振興部; 総務局: 職員部・行政部) and three cohorts with known numbers.

    第1期 (R8): 6 nominations (1 declined, 1 withdrawn) → 4 selected; 3 certified on R9.3.20, 1 withdrew.
    第2期 (R9): 3 nominated and selected; 2 certified on R10.3.20, 1 completed but not certified.
    第3期 (R10): 2 members added directly (no nomination), still training.
    Leaders: 市民部 ×2 and 職員部 ×1 (第1期, from R9.3.20); 市民部 ×1 (第2期, from R10.3.20) and
    保健福祉部 ×1 (第2期, role ended R10.5.31). On R10.6.1: 2 of 5 部 covered (市民部, 職員部).
    """
    o = b.org(
        {
            ("K01", "東区", OrgKind.KU): ["市民部", "保健福祉部", "地域振興部"],
            ("B01", "総務局", OrgKind.KYOKU): ["職員部", "行政部"],
        }
    )
    higashi, somu, ka = o["tops"]["K01"], o["tops"]["B01"], o["ka"]
    p = b.Programme(sapporo_pack)
    # 第1期
    c1 = [
        p.selected_member(2026, 1, ka[name], higashi if name != "職員部" else somu)
        for name in ["市民部", "市民部", "職員部", "地域振興部"]
    ]
    p.nominate(2026, b.person(ka["行政部"]), somu, NominationStatus.DECLINED)
    p.nominate(2026, b.person(ka["行政部"]), somu, NominationStatus.WITHDRAWN)
    for m in c1[:3]:
        p.certify(m, dt.date(2027, 3, 20))
    c1[3].status = MemberStatus.WITHDRAWN
    c1[3].save()
    # 第2期
    c2 = [p.selected_member(2027, 2, ka[name], higashi) for name in ["市民部", "保健福祉部", "地域振興部"]]
    p.certify(c2[0], dt.date(2028, 3, 20))
    p.certify(c2[1], dt.date(2028, 3, 20), role_to=dt.date(2028, 5, 31))
    c2[2].status = MemberStatus.COMPLETED
    c2[2].save()
    # 第3期
    cohort3 = p.cohort(3, 2028)
    for name in ["地域振興部", "行政部"]:
        p.member(cohort3, b.person(ka[name]))
    return {"org": o, "programme": p, "pack": sapporo_pack}
