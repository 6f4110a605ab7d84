"""Expected levels of the ③ framework for the competency pages: the level the person's current stage expects.

Registered with `dxtalent.competency.hooks.register_expected_levels` in ExpertsConfig.ready(), so the competency
app shows "修行中に期待するレベル" on a ③ radar without importing this app.
"""

import datetime as dt

from dxtalent.org.models import valid_on
from dxtalent.policy.selectors import NoPolicyPack, current_pack

from .models import StagePeriod
from .selectors.ladder import stage_of


def expected_for_stage(employees, framework_code: str, day: dt.date) -> dict[int, tuple[str, dict[str, int]]]:
    """{employee_id: (label, {item_code: level})} for people in the ladder on `day`, when `framework_code` is the
    ladder's framework; nobody otherwise. Two queries (the pack, the open periods) for any number of people."""
    try:
        pack = current_pack(day)
    except NoPolicyPack:
        return {}
    fw = pack.ladder_framework
    if fw is None or framework_code != fw.code:
        return {}
    ids = [e if isinstance(e, int) else e.pk for e in employees]
    periods = StagePeriod.objects.filter(valid_on(day), employee_id__in=ids).values_list("employee_id", "stage_code")
    out = {}
    for employee_id, code in periods:
        stage = stage_of(pack, code)
        if stage is not None:
            out[employee_id] = (f"{stage.name}に期待するレベル", stage.expected)
    return out
