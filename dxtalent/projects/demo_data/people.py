"""Who plays the projects demo: the trainees who lead, the 課長 who manage, and their logins.

A project is run by people who act through the services, so each needs a login: the 課長 of a project's 課 gets
the manager role for that 課, a trainee who leads a project gets the leader role (as the demo leader login, a
trainee of this 年度's cohort, has). Logins are created only where none exists, with the demo password; people
numbered after the staffing.yaml login of the same role are preferred, so that `demo_logins` (a few logins per
role in 職員番号 order) and `demo_logins --username-for` still answer with staffing.yaml's logins first.
"""

import datetime as dt
from dataclasses import dataclass, field

from dxtalent.core.models import User
from dxtalent.core.roles import Role
from dxtalent.leaders.models import CohortMember, MemberStatus
from dxtalent.org.demo.logins import employee_login
from dxtalent.org.models import Assignment, Employee, OrgKind, RoleGrant, valid_on
from dxtalent.training.demo_data import Cast, Staff


@dataclass
class Trainee:
    employee: Employee | None  # None: a 課 playing without a leader (the demo manager's own problem)
    ka_id: int  # the 課 the trainee sits in today (their own unit or the 課 above their 係)
    group_id: int | None


@dataclass
class People:
    """The cast of the projects demo, on `day` (today)."""

    day: dt.date
    cast: Cast
    snap: object  # OrgSnapshot of today
    password: str  # the demo password, hashed
    staff: Staff | None = None  # people in post today
    demo_manager_ka: int | None = None  # the demo manager login's 課
    trainees: list[Trainee] = field(default_factory=list)
    heads: dict[int, Employee] = field(default_factory=dict)  # 課 id → its 課長
    users: dict[int, User] = field(default_factory=dict)  # employee id → login (made or found)

    @classmethod
    def on(cls, day: dt.date, cast: Cast, snap, cohort) -> "People":
        secretariat = cast.users.get(Role.SECRETARIAT)
        people = cls(day=day, cast=cast, snap=snap, password=secretariat.password if secretariat else "!")
        staff = people.staff = Staff.on(day)
        for member in (
            CohortMember.objects.filter(cohort=cohort, status__in=(MemberStatus.TRAINING, MemberStatus.COMPLETED))
            .select_related("employee", "group_membership")
            .order_by("employee__number")
        ):
            row = staff.rows.get(member.employee_id)
            ka = people.ka_of(row[0]) if row else None
            if ka is None:
                continue
            membership = getattr(member, "group_membership", None)
            people.trainees.append(Trainee(member.employee, ka, membership.group_id if membership else None))
        kas = {t.ka_id for t in people.trainees}
        demo = cast.employees.get(Role.MANAGER)
        people.demo_manager_ka = None
        if demo is not None and demo.pk in staff.rows:
            people.demo_manager_ka = people.ka_of(staff.rows[demo.pk][0])
            if people.demo_manager_ka is not None:
                people.heads[people.demo_manager_ka] = demo
        for a in (
            Assignment.objects.filter(valid_on(day), unit_id__in=kas, position__is_manager=True)
            .select_related("employee", "position")
            .order_by("position__rank", "employee__number")
        ):
            # the highest manager post sitting in the 課 itself is its 課長 (before a 担当課長)
            people.heads.setdefault(a.unit_id, a.employee)
        # a 課 without a manager of its own (small demo data): the nearest manager above it (部長, 区長 …)
        missing = {ka: [n.unit_id for n in snap.ancestors(ka)[1:]] for ka in kas - set(people.heads)}
        above = {u for units in missing.values() for u in units}
        nearest: dict[int, Employee] = {}
        for a in (
            Assignment.objects.filter(valid_on(day), unit_id__in=above, position__is_manager=True)
            .select_related("employee")
            .order_by("position__rank", "employee__number")
        ):
            nearest.setdefault(a.unit_id, a.employee)
        for ka, units in missing.items():
            head = next((nearest[u] for u in units if u in nearest), None)
            if head is not None:
                people.heads[ka] = head
        return people

    def ka_of(self, unit_id: int) -> int | None:
        node = self.snap.path_of(unit_id).get(OrgKind.KA)
        return node.unit_id if node is not None else None

    def label(self, unit_id: int) -> str:
        return self.snap.label_of(unit_id)

    # ---------------------------------------------------------------- logins

    def login(self, employee: Employee, role: str, *, scope_unit_id: int | None, since: dt.date) -> User:
        """The employee's login holding `role` (for `scope_unit_id`), made with the demo password if missing."""
        user = self.users.get(employee.pk) or employee_login(employee, self.password)[0]
        self.users[employee.pk] = user
        held = RoleGrant.objects.filter(valid_on(self.day), user=user, role=role)
        if scope_unit_id is not None:
            held = held.filter(scope_unit_id=scope_unit_id)
        if not held.exists():
            grant = RoleGrant(user=user, role=role, scope_unit_id=scope_unit_id, valid_from=since)
            grant.full_clean()
            grant.save()
            for key in ("_dx_grants", "_dx_scope", "_dx_employee"):
                user.__dict__.pop(key, None)
        return user

    def manager_of(self, ka_id: int, since: dt.date) -> User | None:
        head = self.heads.get(ka_id)
        if head is None:
            return None
        demo = self.cast.employees.get(Role.MANAGER)
        row = self.staff.rows.get(head.pk)
        if demo is not None and demo.pk == head.pk and row is not None and self.ka_of(row[0]) == ka_id:
            return self.cast.users[Role.MANAGER]  # their grant covers their own 課
        return self.login(head, Role.MANAGER, scope_unit_id=ka_id, since=since)

    def leader_login(self, employee: Employee, since: dt.date) -> User:
        demo = self.cast.employees.get(Role.LEADER)
        if demo is not None and demo.pk == employee.pk:
            return self.cast.users[Role.LEADER]
        return self.login(employee, Role.LEADER, scope_unit_id=None, since=since)

    def after_demo_login(self, trainees: list[Trainee], role: str) -> list[Trainee]:
        """Trainees numbered after the staffing.yaml login of `role` first (see the module docstring)."""
        demo = self.cast.employees.get(role)
        if demo is None:
            return trainees
        return sorted(trainees, key=lambda t: (t.employee.number < demo.number, t.employee.number))
