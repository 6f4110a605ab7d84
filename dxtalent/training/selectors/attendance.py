"""Attendance sheets and attendance exports (per run; per unit as of each session's date). Fixed query counts."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from dxtalent.core.wareki import fiscal_year_bounds
from dxtalent.org import access
from dxtalent.org.models import TOP_KINDS, Assignment, OrgKind, OrgUnitVersion

from ..models import SEAT_HOLDING, Attendance, AttendanceStatus, Enrollment, Session
from .enrollments import current_assignments


@dataclass
class SheetRow:
    enrollment: Enrollment
    attendance: Attendance | None
    missed: Attendance | None = None  # for a make-up: the record at the original session (None: no record)


def sheet_session(pk: int) -> Session:
    return Session.objects.select_related("run__course", "makeup_for").get(pk=pk)


def attendance_sheet(session: Session) -> list[SheetRow]:
    """The enrollees to take attendance for, in kana order (3 queries; 4 for a make-up).

    A regular session lists every enrollee holding a seat. A make-up (補講) lists those who missed all or part of
    the original session (or have no record there), plus anyone already recorded at the make-up.
    """
    enrollments = list(
        Enrollment.objects.filter(run_id=session.run_id, status__in=SEAT_HOLDING)
        .select_related("employee")
        .prefetch_related(current_assignments())
        .order_by("employee__kana_key", "employee__number")
    )
    recorded = {a.enrollment_id: a for a in Attendance.objects.filter(session=session)}
    rows = [SheetRow(e, recorded.get(e.pk)) for e in enrollments]
    if session.is_makeup and session.makeup_for_id:
        original = {a.enrollment_id: a for a in Attendance.objects.filter(session_id=session.makeup_for_id)}
        rows = [
            SheetRow(r.enrollment, r.attendance, original.get(r.enrollment.pk))
            for r in rows
            if r.attendance is not None
            or r.enrollment.pk not in original
            or original[r.enrollment.pk].status != AttendanceStatus.PRESENT
        ]
    return rows


def run_sessions(run) -> list[Session]:
    return list(run.sessions.select_related("makeup_for").order_by("date", "start_time", "number", "pk"))


RUN_EXPORT_HEADERS = [
    "年度",
    "講座コード",
    "講座名",
    "開講名",
    "回",
    "補講",
    "フェーズ",
    "日付",
    "職員番号",
    "氏名",
    "所属（現在）",
    "申込の状態",
    "出欠",
    "受講時間",
    "回の時間",
]


def run_attendance_rows(run, snapshot, phase_names: dict[str, str]) -> list[list]:
    """Every seat-holding enrollee × every regular session (未記録 where nothing was recorded), plus the make-up
    records; current 所属 (4 queries)."""
    sessions = run_sessions(run)
    enrollments = list(
        Enrollment.objects.filter(run=run)
        .filter(Q(status__in=SEAT_HOLDING) | Q(attendances__isnull=False))
        .distinct()
        .select_related("employee")
        .prefetch_related(current_assignments())
        .order_by("employee__kana_key", "employee__number")
    )
    recorded = {(a.session_id, a.enrollment_id): a for a in Attendance.objects.filter(session__run=run)}
    rows = []
    for s in sessions:
        for e in enrollments:
            a = recorded.get((s.pk, e.pk))
            if a is None and (s.is_makeup or e.status not in SEAT_HOLDING):
                continue
            assignment = (e.employee.current_assignments or [None])[0]
            rows.append(
                [
                    run.fiscal_year,
                    run.course.code,
                    run.course.title,
                    run.title,
                    s.number,
                    "補講" if s.is_makeup else "",
                    phase_names.get(s.phase_code, s.phase_code),
                    s.date,
                    e.employee.number,
                    e.employee.name,
                    snapshot.label_of(assignment.unit_id) if assignment else "",
                    e.get_status_display(),
                    a.get_status_display() if a else "未記録",
                    a.hours if a else None,
                    s.hours,
                ]
            )
    return rows


UNIT_EXPORT_HEADERS = [
    "年度",
    "日付",
    "講座コード",
    "講座名",
    "開講名",
    "回",
    "補講",
    "フェーズ",
    "職員番号",
    "氏名",
    "局区",
    "部",
    "課",
    "出欠",
    "受講時間",
]


class UnitTimeline:
    """The org tree over a span of days from one query: the chain of a unit on any day, and which units were
    inside a given unit at some time in the span."""

    def __init__(self, start: dt.date, end: dt.date):
        self.versions: dict[int, list[tuple]] = defaultdict(list)
        self.kinds: dict[int, str] = {}
        rows = OrgUnitVersion.objects.filter(valid_from__lte=end).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=start)
        )
        for unit_id, kind, name, parent_id, valid_from, valid_to in rows.values_list(
            "unit_id", "unit__kind", "name", "parent_id", "valid_from", "valid_to"
        ):
            self.kinds[unit_id] = kind
            self.versions[unit_id].append((valid_from, valid_to, name, parent_id))

    def _on(self, unit_id: int, day: dt.date):
        for valid_from, valid_to, name, parent_id in self.versions.get(unit_id, ()):
            if valid_from <= day and (valid_to is None or valid_to >= day):
                return name, parent_id
        return None

    def chain(self, unit_id: int, day: dt.date) -> list[tuple[int, str, str]]:
        """(unit id, kind, name) from the unit up to its 局区, as the tree stood on `day`."""
        out, seen, current = [], set(), unit_id
        while current and current not in seen and (version := self._on(current, day)):
            seen.add(current)
            out.append((current, self.kinds[current], version[0]))
            current = version[1]
        return out

    def path(self, unit_id: int, day: dt.date) -> dict[str, str]:
        out = {}
        for _id, kind, name in self.chain(unit_id, day):
            out["top" if kind in TOP_KINDS else kind] = name
        return out

    def ever_inside(self, root: int) -> set[int]:
        """Units that were under `root` (or are root) at any time of the span."""
        children: dict[int, set[int]] = defaultdict(set)
        for unit_id, versions in self.versions.items():
            for _f, _t, _n, parent_id in versions:
                if parent_id:
                    children[parent_id].add(unit_id)
        out, stack = set(), [root]
        while stack:
            unit = stack.pop()
            if unit not in out:
                out.add(unit)
                stack.extend(children.get(unit, ()))
        return out


def unit_attendance_rows(user, *, fiscal_year: int, unit_id: int | None, phase_names: dict[str, str]) -> list[list]:
    """Attendance of one 年度 by the 局区/部/課 each person sat in on the session's date (4 queries).

    With `unit_id`, only people who sat inside that unit (as the tree stood that day) on the session's date.
    Rows are limited to the people the user may see.
    """
    start, end = fiscal_year_bounds(fiscal_year)
    timeline = UnitTimeline(start, end)
    qs = Attendance.objects.filter(session__date__range=(start, end))
    qs = access.employees_visible_to(user, qs, path="enrollment__employee")
    if unit_id:
        inside = timeline.ever_inside(unit_id)
        qs = qs.filter(
            Exists(
                Assignment.objects.filter(
                    employee_id=OuterRef("enrollment__employee_id"),
                    unit_id__in=inside,
                    valid_from__lte=OuterRef("session__date"),
                ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("session__date")))
            )
        )
    attendances = list(
        qs.select_related("session__run__course", "enrollment__employee").order_by(
            "session__date", "session__run__course__code", "session_id", "enrollment__employee__kana_key"
        )
    )
    employee_ids = {a.enrollment.employee_id for a in attendances}
    spans: dict[int, list[Assignment]] = defaultdict(list)
    if employee_ids:
        for row in Assignment.objects.filter(employee_id__in=employee_ids, valid_from__lte=end).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=start)
        ):
            spans[row.employee_id].append(row)
    rows = []
    for a in attendances:
        s, e = a.session, a.enrollment.employee
        assignment = next((x for x in spans.get(e.pk, ()) if x.is_valid_on(s.date)), None)
        chain = timeline.chain(assignment.unit_id, s.date) if assignment else []
        if unit_id and unit_id not in {c[0] for c in chain}:
            continue
        path = {("top" if kind in TOP_KINDS else kind): name for _id, kind, name in chain}
        rows.append(
            [
                fiscal_year,
                s.date,
                s.run.course.code,
                s.run.course.title,
                s.run.title,
                s.number,
                "補講" if s.is_makeup else "",
                phase_names.get(s.phase_code, s.phase_code),
                e.number,
                e.name,
                path.get("top", ""),
                path.get(OrgKind.BU, ""),
                path.get(OrgKind.KA, ""),
                a.get_status_display(),
                a.hours,
            ]
        )
    return rows
