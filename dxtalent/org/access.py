"""The one place that decides who may do what and who may see which rows (default deny).

Pages, exports and the API all ask this module, so they can never disagree. Roles are RoleGrant rows;
each has a scope: everything (secretariat, hr, sysadmin), a subtree of the org chart (liaison: own 局区,
manager: own 課) or only oneself (leader, employee).
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from dxtalent.core.roles import Role

from .models import TOP_KINDS, Assignment, Employee, OrgKind, RoleGrant, valid_on


class Action(StrEnum):
    VIEW_ORG_TREE = "view_org_tree"
    VIEW_EMPLOYEE_LIST = "view_employee_list"
    EXPORT_EMPLOYEES = "export_employees"
    IMPORT_ROSTER = "import_roster"
    IMPORT_ORG = "import_org"
    VIEW_EXPORT_LOG = "view_export_log"
    USE_ADMIN = "use_admin"
    # training (① every employee, ② the leader curriculum)
    VIEW_CATALOG = "view_catalog"  # browse courses and apply for oneself
    APPROVE_ENROLLMENTS = "approve_enrollments"  # approve staff's applications (scoped)
    MANAGE_TRAINING = "manage_training"  # courses, runs, sessions, attendance, e-learning import
    VIEW_TRAINING_RECORDS = "view_training_records"  # other people's training records (scoped)
    # ② DX推進リーダー programme
    NOMINATE = "nominate"  # a liaison nominates people of their own 局区
    VIEW_NOMINATIONS = "view_nominations"  # scoped: a liaison sees only their 局区's nominations
    MANAGE_PROGRAMME = "manage_programme"  # windows, quotas, selection, cohorts, groups, certification
    VIEW_PROGRAMME = "view_programme"  # cohorts, groups and their members (scoped by employee visibility)
    MANAGE_LEADER_ROLES = "manage_leader_roles"  # leader role types and placements
    VIEW_DASHBOARD = "view_dashboard"  # programme KPIs and project roll-ups (aggregates, no personal data)
    # 業務改善: projects, the support desk (案件相談) and the case library (優良事例)
    VIEW_PROJECTS = "view_projects"  # scoped rows: own 課/局区, or projects one leads, manages or takes part in
    START_PROJECT = "start_project"  # a manager records the problem (step 1) or starts one from a library case
    VIEW_LIBRARY = "view_library"  # browse and search published cases
    MANAGE_LIBRARY = "manage_library"  # publish, edit and withdraw cases
    OPEN_CONSULTATION = "open_consultation"  # a leader or liaison asks the digital bureau for support
    VIEW_CONSULTATIONS = "view_consultations"  # scoped rows: one's own, one's 課/局区's, or all for the desk
    HANDLE_CONSULTATIONS = "handle_consultations"  # the desk: assign, reply, set status
    # マインド・スキル評価 (②・③ competency assessments). Ratings are private: the person, their evaluator,
    # hr and the secretariat only (competency.selectors narrows the rows; scoped roles get nothing extra).
    VIEW_ASSESSMENTS = "view_assessments"  # one's own assessments and those one evaluates
    VIEW_ALL_ASSESSMENTS = "view_all_assessments"  # everyone's ratings, cohort pre/post and group gaps
    MANAGE_CAMPAIGNS = "manage_campaigns"  # create campaigns, add people and evaluators, close them
    # ③ 高度デジタル人材: OJT ladder, plans, reviews and promotions
    VIEW_EXPERT_RECORDS = "view_expert_records"  # scoped rows: oneself, one's mentees, one's units, or all
    MANAGE_OJT = "manage_ojt"  # enter people into the ladder and write OJT plans (scoped for managers)
    # ジョブチャレンジ (庁内公募)
    VIEW_POSTINGS = "view_postings"  # browse openings and apply for oneself
    MANAGE_POSTINGS = "manage_postings"  # post, edit and close openings
    VIEW_APPLICATIONS = "view_applications"  # every application (hr, secretariat)
    SCREEN_APPLICATIONS = "screen_applications"  # hr: 書類 → 面談 → 決定 / 不採用, which places the person
    VIEW_STAFF_APPLICATIONS = "view_staff_applications"  # a manager sees that staff applied, if the pack says so


_EVERYONE = {
    Action.VIEW_ORG_TREE,
    Action.VIEW_CATALOG,
    Action.VIEW_DASHBOARD,
    Action.VIEW_PROJECTS,
    Action.VIEW_LIBRARY,
    Action.VIEW_ASSESSMENTS,
    Action.VIEW_EXPERT_RECORDS,
    Action.VIEW_POSTINGS,
}
_DESK_USERS = {Action.OPEN_CONSULTATION, Action.VIEW_CONSULTATIONS}
_STAFF_LISTS = {Action.VIEW_EMPLOYEE_LIST, Action.EXPORT_EMPLOYEES, Action.VIEW_TRAINING_RECORDS}
_PROGRAMME_ADMIN = {
    Action.MANAGE_TRAINING,
    Action.MANAGE_PROGRAMME,
    Action.MANAGE_LEADER_ROLES,
    Action.VIEW_NOMINATIONS,
    Action.VIEW_PROGRAMME,
    Action.APPROVE_ENROLLMENTS,
    Action.MANAGE_LIBRARY,
    Action.VIEW_CONSULTATIONS,
    Action.HANDLE_CONSULTATIONS,
    Action.VIEW_ALL_ASSESSMENTS,
    Action.MANAGE_CAMPAIGNS,
    Action.MANAGE_OJT,
    Action.MANAGE_POSTINGS,
    Action.VIEW_APPLICATIONS,
}

ROLE_ACTIONS: dict[str, set[Action]] = {
    Role.SECRETARIAT: _EVERYONE | _STAFF_LISTS | _PROGRAMME_ADMIN | {Action.USE_ADMIN},
    Role.HR: _EVERYONE
    | _STAFF_LISTS
    | {Action.IMPORT_ROSTER, Action.IMPORT_ORG, Action.VIEW_EXPORT_LOG, Action.MANAGE_TRAINING}
    | {Action.MANAGE_LEADER_ROLES, Action.VIEW_NOMINATIONS, Action.VIEW_PROGRAMME, Action.APPROVE_ENROLLMENTS}
    | {Action.VIEW_ALL_ASSESSMENTS, Action.MANAGE_CAMPAIGNS, Action.MANAGE_OJT}
    | {Action.MANAGE_POSTINGS, Action.VIEW_APPLICATIONS, Action.SCREEN_APPLICATIONS},
    Role.LIAISON: _EVERYONE
    | _STAFF_LISTS
    | _DESK_USERS
    | {Action.NOMINATE, Action.VIEW_NOMINATIONS, Action.VIEW_PROGRAMME},
    Role.MANAGER: _EVERYONE
    | _STAFF_LISTS
    | {Action.APPROVE_ENROLLMENTS, Action.START_PROJECT, Action.VIEW_CONSULTATIONS}
    | {Action.MANAGE_OJT, Action.VIEW_STAFF_APPLICATIONS},
    Role.LEADER: _EVERYONE | _DESK_USERS,
    Role.EMPLOYEE: set(_EVERYONE),
    Role.SYSADMIN: _EVERYONE
    | _STAFF_LISTS
    | {Action.IMPORT_ROSTER, Action.IMPORT_ORG, Action.VIEW_EXPORT_LOG, Action.USE_ADMIN},
}

# Which kind of unit bounds a scoped role when its grant names no unit (derived from the current 所属).
_SCOPE_KINDS = {Role.LIAISON: TOP_KINDS, Role.MANAGER: (OrgKind.KA,)}
_ALL_SCOPE_ROLES = {Role.SECRETARIAT, Role.HR, Role.SYSADMIN}


@dataclass(frozen=True)
class Scope:
    """What rows of personal data a user may see: all, units (with their subtrees), and/or themself."""

    all: bool
    unit_ids: frozenset[int]
    employee_id: int | None

    @property
    def is_self_only(self) -> bool:
        return not self.all and not self.unit_ids


def _today() -> dt.date:
    return timezone.localdate()


def grants(user, day: dt.date | None = None) -> list[RoleGrant]:
    """The user's role grants in force today (cached on the user object for the request)."""
    if not user.is_authenticated:
        return []
    day = day or _today()
    cache = user.__dict__.setdefault("_dx_grants", {})
    if day not in cache:
        cache[day] = list(RoleGrant.objects.filter(valid_on(day), user=user))
    return cache[day]


def roles(user) -> set[str]:
    found = {g.role for g in grants(user)}
    if getattr(user, "is_superuser", False):
        found.add(Role.SYSADMIN)
    return found


def may(user, action: Action) -> bool:
    return any(action in ROLE_ACTIONS.get(r, ()) for r in roles(user))


def employee_of(user) -> Employee | None:
    if not user.is_authenticated:
        return None
    if "_dx_employee" not in user.__dict__:
        user.__dict__["_dx_employee"] = Employee.objects.filter(user=user).first()
    return user.__dict__["_dx_employee"]


def scope(user) -> Scope:
    if not user.is_authenticated:
        return Scope(False, frozenset(), None)
    if "_dx_scope" in user.__dict__:
        return user.__dict__["_dx_scope"]
    me = employee_of(user)
    everything = bool(roles(user) & _ALL_SCOPE_ROLES)
    roots: set[int] = set()
    if not everything:
        for g in grants(user):
            if g.role not in _SCOPE_KINDS:
                continue
            if g.scope_unit_id:
                roots.add(g.scope_unit_id)
            elif me is not None:
                unit = _own_unit_of_kind(me, _SCOPE_KINDS[g.role])
                if unit is not None:
                    roots.add(unit)
    from .selectors import unit_subtree_ids  # local: selectors import this module

    result = Scope(everything, frozenset(unit_subtree_ids(roots)) if roots else frozenset(), me.pk if me else None)
    user.__dict__["_dx_scope"] = result
    return result


def role_units(user, role: str) -> set[int]:
    """Root units a scoped role is held for (e.g. the 局区 a liaison nominates for), not their subtrees."""
    me = employee_of(user)
    roots: set[int] = set()
    for g in grants(user):
        if g.role != role:
            continue
        if g.scope_unit_id:
            roots.add(g.scope_unit_id)
        elif me is not None and role in _SCOPE_KINDS:
            unit = _own_unit_of_kind(me, _SCOPE_KINDS[role])
            if unit is not None:
                roots.add(unit)
    return roots


def _own_unit_of_kind(employee: Employee, kinds) -> int | None:
    from .selectors import ancestors_of, current_assignment

    current = current_assignment(employee)
    if current is None:
        return None
    for unit in ancestors_of(current.unit_id, _today()):
        if unit.kind in kinds:
            return unit.unit_id
    return None


def employees_visible_to(user, qs: QuerySet | None = None, path: str = "") -> QuerySet:
    """Filter `qs` (Employees by default; or any model reaching Employee through `path`) to what `user` may see.

    Liaison and manager scopes mean "people whose current 所属 is inside my units".
    """
    qs = Employee.objects.all() if qs is None else qs
    s = scope(user)
    if s.all:
        return qs
    prefix = f"{path}__" if path else ""
    allowed = qs.none()
    if s.unit_ids:
        in_scope = Assignment.objects.filter(valid_on(_today()), unit_id__in=s.unit_ids).filter(
            employee_id=OuterRef(path or "pk")
        )
        allowed = qs.filter(Exists(in_scope))
    if s.employee_id is not None:
        allowed = allowed | qs.filter(**{f"{prefix}pk": s.employee_id})
    return allowed


def may_view_employee(user, employee: Employee) -> bool:
    s = scope(user)
    if s.all or s.employee_id == employee.pk:
        return True
    if not s.unit_ids:
        return False
    return Assignment.objects.filter(valid_on(_today()), employee=employee, unit_id__in=s.unit_ids).exists()


def rows_visible_to(user, qs: QuerySet, *, unit_path: str, people_paths: tuple[str, ...] = ()) -> QuerySet:
    """Filter rows that belong to a unit (`unit_path` → OrgUnit id, e.g. a project's 課) and name people
    (`people_paths` → Employee ids, e.g. its leader, manager and participants).

    All-scope roles see every row; liaisons and managers see rows whose unit lies in their units' subtrees;
    everyone sees rows that name them. Callers check the action first (`may`); this only narrows the rows.
    """
    s = scope(user)
    if s.all:
        return qs
    condition = Q(pk__in=[])
    if s.unit_ids:
        condition |= Q(**{f"{unit_path}__in": s.unit_ids})
    if s.employee_id is not None:
        for path in people_paths:
            if "__" in path:  # a to-many path (e.g. participants): a subquery, so rows are not repeated
                condition |= Q(pk__in=qs.model._default_manager.filter(**{path: s.employee_id}).values("pk"))
            else:
                condition |= Q(**{path: s.employee_id})
    return qs.filter(condition)


def require(action: Action):
    """View decorator: 403 unless the user may do `action`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not may(request.user, action):
                raise PermissionDenied("この操作を行う権限がありません。")
            return view(request, *args, **kwargs)

        wrapped.dx_action = action
        return wrapped

    return decorator


def role_labels(user) -> list[str]:
    return [Role(r).label for r in sorted(roles(user), key=list(Role).index)]
