"""`generate_scale_data`: projects, step events, consultations and published cases at city scale, by plain bulk
inserts (no change history): volume for the benchmarks (library search, project list, roll-ups), not a story.

Deterministic for a seed and today's date. Leaders are drawn from the cohorts the leaders' scale data wrote
(certified members first); each project sits in its leader's 課 or another 課 of the leader's 局区, managed by
that 課's 課長. Projects were started over the last three 年度 up to today and moved through the steps with a
step event per move (so the average days per step has data); about a third are DONE with a verified saving
(a few negative), 500 of those are published cases, and some later projects start from a case (横展開).
The texts come from the demo scenario (projects.yaml) with a number, so searches such as 照会 or タスク管理 hit.
"""

import datetime as dt
import random
import time
from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from dxtalent.core.roles import Role
from dxtalent.core.wareki import fiscal_year
from dxtalent.leaders.models import CohortMember
from dxtalent.org.models import Assignment, OrgKind, valid_on
from dxtalent.org.selectors import org_snapshot
from dxtalent.training.demo_data import Cast, Staff, ensure_pack, read_yaml

from ..models import (
    Case,
    Consultation,
    ConsultationMessage,
    ConsultationStatus,
    Project,
    ProjectEvent,
    ProjectEventKind,
    ProjectParticipant,
    ProjectStatus,
)
from ..search import index_cases
from ..services.cases import case_defaults
from .story import PROJECTS_FILE

PROJECTS = 2000
CASES = 500
CONSULTATIONS = 1000
YEARS_BACK = 3
# stage → weight (5 = DONE, 0 = cancelled)
STAGES = {1: 8, 2: 14, 3: 14, 4: 10, 5: 48, 0: 6}
S = ConsultationStatus
CONSULTATION_STATUSES = {S.RECEIVED: 15, S.IN_PROGRESS: 20, S.RESOLVED: 55, S.OUT_OF_SCOPE: 10}
REPLIES = [
    "ご相談ありがとうございます。担当者から連絡します。",
    "設定方法の資料をお送りします。",
    "試行の結果を共有してください。",
    "ありがとうございます。試してみます。",
    "対応できました。",
]
BATCH = 2000


def _templates(pack) -> list[dict]:
    conf = read_yaml(PROJECTS_FILE)
    categories = [c for c, _n in pack.work_categories]
    tools = [c for c, _n in pack.tool_kinds]
    out = []
    for spec in [conf["worked_example"], *conf["projects"]]:
        out.append(
            {
                "title": spec["title"],
                "problem": spec.get("problem") or spec["title"],
                "as_is": spec.get("as_is") or "担当者ごとに紙とExcelで管理している",
                "to_be": spec.get("to_be") or "情報を一元化し、誰でも状況を確認できるようにする",
                "tool_kind": spec["tool_kind"] if spec.get("tool_kind") in tools else tools[0],
                "tool_name": spec.get("tool_name") or "業務アプリ",
                "trial": spec.get("trial") or "係内で試行し、使い勝手を確認した",
                "operating_rule": spec.get("operating_rule") or "新しい手順を係の標準とする",
                "qualitative_effects": spec.get("qualitative_effects") or "担当者以外も状況を確認できるようになった",
                "work_category": spec["work_category"] if spec.get("work_category") in categories else categories[-1],
            }
        )
    return out


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _half(x: float) -> Decimal:
    return Decimal(str(round(x * 2) / 2))  # half hours


def generate_scale_data(*, plan, seed: int, stdout) -> None:
    started = time.perf_counter()
    pack = ensure_pack(stdout)
    if Project.objects.exists():
        stdout.write("  業務改善: プロジェクトが既にあるため作りません")
        return
    rng = random.Random(f"{seed}-projects-scale")
    today = plan.today
    cast = Cast.of(plan)
    secretariat = cast.users.get(Role.SECRETARIAT)
    if secretariat is None:
        return
    desk = cast.employees[Role.SECRETARIAT]
    staff = Staff.on(today)
    snap = org_snapshot(today)

    # the 課 in post today, their 課長, the people of each 課 (for participants)
    heads: dict[int, int] = {}
    for unit_id, employee_id in (
        Assignment.objects.filter(valid_on(today), unit__kind=OrgKind.KA, position__is_manager=True)
        .order_by("position__rank", "employee_id")
        .values_list("unit_id", "employee_id")
    ):
        heads.setdefault(unit_id, employee_id)
    ka_of: dict[int, int] = {}
    for unit_id in {u for u, _m, _h in staff.rows.values()}:
        node = snap.path_of(unit_id).get(OrgKind.KA)
        if node is not None:
            ka_of[unit_id] = node.unit_id
    people_of: dict[int, list[int]] = defaultdict(list)
    for e, (unit, is_manager, _h) in sorted(staff.rows.items()):
        if not is_manager and unit in ka_of:
            people_of[ka_of[unit]].append(e)
    kas_of_top: dict[int, list[int]] = defaultdict(list)
    for ka in sorted(heads):
        top = snap.path_of(ka).get("top")
        if top is not None:
            kas_of_top[top.unit_id].append(ka)

    members = list(
        CohortMember.objects.filter(employee_id__in=staff.rows)
        .select_related("certification")
        .order_by("cohort__number", "employee_id")
    )
    certified = [m for m in members if hasattr(m, "certification")]
    leaders = [m for m in (certified or members) if staff.rows[m.employee_id][0] in ka_of]
    if not leaders or not heads:
        stdout.write("  業務改善: リーダー（期の研修生）か課長がいないため作りません")
        return

    templates = _templates(pack)
    start = _at(today).date() - dt.timedelta(days=365 * YEARS_BACK)
    counts: dict[str, int] = defaultdict(int)
    projects: list[Project] = []
    timelines: list[list[tuple]] = []  # per project: (kind, from, to, days, at, reason)
    practice_done: set[int] = set()
    stages, weights = zip(*STAGES.items(), strict=True)
    for i in range(PROJECTS):
        member = leaders[i % len(leaders)] if i < len(leaders) else rng.choice(leaders)
        own_ka = ka_of[staff.rows[member.employee_id][0]]
        top = snap.path_of(own_ka).get("top")
        ka = own_ka
        if rng.random() < 0.5 and top is not None and kas_of_top.get(top.unit_id):
            ka = rng.choice(kas_of_top[top.unit_id])
        if ka not in heads:
            ka = rng.choice(sorted(heads))
        stage = rng.choices(stages, weights)[0]
        moves = {0: 1, 5: 4}.get(stage, stage - 1)
        durations = [rng.randint(3, 45) for _ in range(moves + 1)]
        span = (today - start).days
        created = today - dt.timedelta(days=min(span, sum(durations) + rng.randint(0, max(0, span - sum(durations)))))
        t = templates[i % len(templates)]
        baseline = rng.uniform(4, 40)
        after = baseline * rng.uniform(0.2, 0.8) if rng.random() > 0.05 else baseline * rng.uniform(1.02, 1.2)
        p = Project(
            title=f"{t['title']}（{i + 1:04d}）",
            unit_id=ka,
            manager_id=heads[ka],
            leader_id=member.employee_id,
            cohort_id=member.cohort_id,
            work_category=t["work_category"],
            problem=t["problem"],
            created_at=_at(created, 9),
        )
        events = [(ProjectEventKind.CREATED, None, 1, None, p.created_at, "")]
        day, step = created, 1
        done_steps = 4 if stage == 5 else (1 if stage == 0 else stage - 1)
        sent_back = stage in (3, 4) and rng.random() < 0.1
        for k in range(done_steps):
            day = day + dt.timedelta(days=durations[k])
            if sent_back and k == done_steps - 1:
                back_day = day - dt.timedelta(days=max(1, durations[k] // 2))
                events.append((ProjectEventKind.SENT_BACK, step, step - 1, 2, _at(back_day, 11), "内容の見直し"))
                events.append((ProjectEventKind.COMPLETED, step - 1, step, 1, _at(back_day, 15), ""))
            events.append(
                (ProjectEventKind.COMPLETED, step, step + 1 if step < 4 else None, durations[k], _at(day), "")
            )
            step += 1
        if step >= 2:
            p.as_is, p.to_be = t["as_is"], t["to_be"]
            p.analysis_hours_planned = _half(rng.uniform(2, 12))
            p.baseline_hours, p.planned_after_hours = _half(baseline), _half(baseline * rng.uniform(0.3, 0.7))
            if step >= 3 or stage == 0:
                p.analysis_hours_actual = p.analysis_hours_planned + _half(rng.uniform(-1, 3)).max(Decimal(0))
        if step >= 3:
            p.tool_kind, p.tool_name, p.trial = t["tool_kind"], t["tool_name"], t["trial"]
            p.trial_hours_planned = _half(rng.uniform(5, 40))
            if step >= 4:
                p.trial_hours_actual = p.trial_hours_planned + _half(rng.uniform(-2, 6))
                p.trial_hours_actual = max(p.trial_hours_actual, Decimal(1))
        if stage == 5:
            p.operating_rule, p.qualitative_effects = t["operating_rule"], t["qualitative_effects"]
            p.after_hours = _half(after)
            p.verified_by_id, p.verified_on = heads[ka], day
            p.verified_fiscal_year = fiscal_year(day)
            p.status, p.step = ProjectStatus.DONE, 4
            cert = getattr(member, "certification", None)
            if cert is not None and cert.pk not in practice_done:
                p.practice_certification_id = cert.pk
                practice_done.add(cert.pk)
        else:
            p.step = min(step, 4)
        if stage == 0:
            cancel_day = day + dt.timedelta(days=durations[-1])
            p.status = ProjectStatus.CANCELLED
            events.append((ProjectEventKind.CANCELLED, p.step, None, None, _at(cancel_day, 16), "方針の変更"))
        p.step_entered_at = events[-1][4] if stage != 0 else events[-2][4]
        projects.append(p)
        timelines.append(events)
    Project.objects.bulk_create(projects, batch_size=BATCH)
    ProjectEvent.objects.bulk_create(
        (
            ProjectEvent(
                project_id=p.pk,
                kind=kind,
                from_step=from_step,
                to_step=to_step,
                days_in_step=days,
                at=at,
                reason=reason,
                actor=secretariat if kind == ProjectEventKind.CANCELLED else None,
            )
            for p, events in zip(projects, timelines, strict=True)
            for kind, from_step, to_step, days, at, reason in events
        ),
        batch_size=BATCH,
    )
    ProjectParticipant.objects.bulk_create(
        (
            ProjectParticipant(project_id=p.pk, employee_id=e, contribution=rng.choice(["入力テスト", "データ整理"]))
            for p in projects
            if p.step >= 2 and people_of.get(p.unit_id)
            for e in sorted(set(rng.sample(people_of[p.unit_id], min(3, len(people_of[p.unit_id])))) - {p.leader_id})
        ),
        batch_size=BATCH,
    )
    counts["projects"] = len(projects)

    # published cases: 500 of the DONE projects, published a few days after verification (never after today)
    done = [p for p in projects if p.status == ProjectStatus.DONE]
    chosen = rng.sample(done, min(CASES, len(done)))
    cases = []
    for p in chosen:
        published = min(p.verified_on + dt.timedelta(days=rng.randint(3, 40)), today - dt.timedelta(days=1))
        cases.append(
            Case(
                project_id=p.pk,
                published_at=_at(max(published, p.verified_on), 14),
                published_by=secretariat,
                show_leader=rng.random() < 0.3,
                **case_defaults(p),
            )
        )
    Case.objects.bulk_create(cases, batch_size=BATCH)
    # 横展開: later projects of other 課 that start from a published case
    adopted = []
    for p in projects:
        if rng.random() < 0.12:
            source = rng.choice(cases)
            if source.published_at < p.created_at and source.project_id != p.pk:
                p.source_case_id = source.pk
                adopted.append(p)
    Project.objects.bulk_update(adopted, ["source_case_id"], batch_size=BATCH)
    counts["cases"], counts["adopted"] = len(cases), len(adopted)

    # consultations of the leaders, answered by the desk
    by_leader: dict[int, list[Project]] = defaultdict(list)
    for p in projects:
        by_leader[p.leader_id].append(p)
    kinds = [c for c, _n in pack.consultation_kinds]
    statuses, sweights = zip(*CONSULTATION_STATUSES.items(), strict=True)
    consultations, threads = [], []
    for i in range(CONSULTATIONS):
        member = rng.choice(leaders)
        linked = by_leader.get(member.employee_id) or []
        project = rng.choice(linked) if linked and rng.random() < 0.6 else None
        opened = today - dt.timedelta(days=rng.randint(1, 365 * 2))
        status = rng.choices(statuses, sweights)[0]
        closed = None
        if status in (S.RESOLVED, S.OUT_OF_SCOPE):
            closed = _at(min(today - dt.timedelta(days=1), opened + dt.timedelta(days=rng.randint(1, 30))), 17)
        consultations.append(
            Consultation(
                title=f"{rng.choice(templates)['title']}についての相談（{i + 1:04d}）",
                kind=rng.choice(kinds),
                description=rng.choice(templates)["problem"],
                project_id=project.pk if project else None,
                requester_id=member.employee_id,
                unit_id=staff.rows[member.employee_id][0],
                status=status,
                handler_id=None if status == S.RECEIVED else desk.pk,
                opened_at=_at(opened, 10),
                closed_at=closed,
            )
        )
        threads.append(0 if status == S.RECEIVED else rng.randint(1, 4))
    Consultation.objects.bulk_create(consultations, batch_size=BATCH)
    ConsultationMessage.objects.bulk_create(
        (
            ConsultationMessage(
                consultation_id=c.pk,
                author=secretariat,
                body=REPLIES[k % len(REPLIES)],
                posted_at=c.opened_at + dt.timedelta(hours=2 + k),
            )
            for c, n in zip(consultations, threads, strict=True)
            for k in range(n)
        ),
        batch_size=BATCH,
    )
    counts["consultations"] = len(consultations)
    index_cases()
    stdout.write(
        f"  業務改善: プロジェクト {counts['projects']:,} 件、事例 {counts['cases']} 件"
        f"（横展開 {counts['adopted']} 件）、"
        f"相談 {counts['consultations']:,} 件（一括登録、{time.perf_counter() - started:.1f} 秒）"
    )
