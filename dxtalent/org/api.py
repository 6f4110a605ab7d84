"""REST API over the org tree and the staff registry (/api/v1/): read-only, scoped by dxtalent.org.access.

The pages and this API ask the same access module and the same selectors, so they can never disagree:
- who may call an endpoint: `ActionPermission` (access.may) on the view's `required_action`;
- which rows come back: access.employees_visible_to(user) — a filter can only narrow it, never widen it;
- a person the user may not see answers 404, exactly like a person who does not exist.

Every list runs a fixed number of queries whatever the number of rows; bad input is a 400 with field errors.
"""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, permissions
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from . import access, selectors
from .access import Action
from .api_serializers import (
    AssignmentQuerySerializer,
    AssignmentSerializer,
    EmployeeDetailSerializer,
    EmployeeQuerySerializer,
    EmployeeSerializer,
    ErrorSerializer,
    OrgUnitDetailQuerySerializer,
    OrgUnitDetailSerializer,
    OrgUnitQuerySerializer,
    OrgUnitSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from .models import KIND_LEVEL, TOP_KINDS, Assignment, Employee, EmploymentStatus, OrgUnitVersion, valid_on
from .selectors import SORTS, EmployeeFilter, OrgSnapshot, UnitNode

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="入力誤り（errors に項目ごとのメッセージ）"),
    403: OpenApiResponse(ErrorSerializer, description="未ログイン、または権限がない"),
}
NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="存在しない、または閲覧できない")}


class ActionPermission(permissions.BasePermission):
    """403 unless access.may(user, view.required_action); views without one rely on row scoping alone."""

    message = "この操作を行う権限がありません。"

    def has_permission(self, request, view):
        action = getattr(view, "required_action", None)
        return action is None or access.may(request.user, action)


class ScopedAPIView(generics.GenericAPIView):
    """Base of every read endpoint: login (session or token) + `required_action`; rows scoped in get().

    Subclasses validate the query string with `self.query(SomeQuerySerializer)` and return
    `self.paginated(rows)` for lists, so every list pages, errors and documents itself the same way.
    """

    permission_classes = [permissions.IsAuthenticated, ActionPermission]
    required_action: Action | None = None

    def query(self, serializer_class) -> dict:
        """Validate the query string with an explicit input serializer (400 with field errors otherwise)."""
        serializer = serializer_class(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def paginated(self, rows: list[dict]) -> Response:
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def get_queryset(self):
        # Rows come from selectors inside get(). DRF's browsable API (text/html) still calls this to build
        # filter forms; with no filter backends an empty list is all it needs (instead of an AssertionError).
        return self.queryset if self.queryset is not None else []


# ---------------------------------------------------------------- shared row builders


def _ref(id_: int, code: str, name: str) -> dict:
    return {"id": id_, "code": code, "name": name}


def _path(chain) -> dict:
    """{'top','bu','ka','kakari'} names from a top-first chain of (kind, name)."""
    out = {"top": None, "bu": None, "ka": None, "kakari": None}
    for kind, name in chain:
        out["top" if kind in TOP_KINDS else kind] = name
    return out


class UnitHistory:
    """Names and parents over time of some units and their ancestors, for labelling dated rows.

    One query per level of the tree (局区 → 部 → 課 → 係: at most four), whatever the number of rows.
    """

    DEPTH = max(KIND_LEVEL.values())

    def __init__(self, unit_ids):
        self.codes: dict[int, tuple[str, str]] = {}
        self.versions: dict[int, list[tuple]] = defaultdict(list)
        todo, seen = set(unit_ids), set()
        for _ in range(self.DEPTH):
            todo -= seen
            if not todo:
                break
            seen |= todo
            rows = OrgUnitVersion.objects.filter(unit_id__in=todo).values_list(
                "unit_id", "unit__code", "unit__kind", "name", "parent_id", "valid_from", "valid_to"
            )
            todo = set()
            for unit_id, code, kind, name, parent_id, valid_from, valid_to in rows:
                self.codes[unit_id] = (code, kind)
                self.versions[unit_id].append((valid_from, valid_to, name, parent_id))
                if parent_id:
                    todo.add(parent_id)

    def _on(self, unit_id: int, day: dt.date):
        for valid_from, valid_to, name, parent_id in self.versions.get(unit_id, ()):
            if valid_from <= day and (valid_to is None or valid_to >= day):
                return name, parent_id
        return None

    def chain(self, unit_id: int, day: dt.date) -> list[tuple[str, str]]:
        """(kind, name) from the 局区 down to the unit, as the tree stood on `day`."""
        out, seen, current = [], set(), unit_id
        while current and current not in seen and (version := self._on(current, day)):
            seen.add(current)
            out.append((self.codes[current][1], version[0]))
            current = version[1]
        return out[::-1]

    def ref(self, unit_id: int, day: dt.date) -> dict:
        code = self.codes.get(unit_id, ("", ""))[0]
        version = self._on(unit_id, day)
        return _ref(unit_id, code, version[0] if version else code)


def _assignment_rows(assignments, day: dt.date | None = None) -> list[dict]:
    """Assignment rows labelled as the tree stood on `day` (or, without one, on the day each began)."""
    history = UnitHistory({a.unit_id for a in assignments})
    rows = []
    for a in assignments:
        label_date = day or a.valid_from
        chain = history.chain(a.unit_id, label_date)
        rows.append(
            {
                "id": a.pk,
                "employee": _ref(a.employee.pk, a.employee.number, a.employee.name),
                "unit": history.ref(a.unit_id, label_date),
                "path": _path(chain),
                "path_label": " ".join(name for _kind, name in chain),
                "label_date": label_date,
                "position": _ref(a.position.pk, a.position.code, a.position.name),
                "valid_from": a.valid_from,
                "valid_to": a.valid_to,
                "source": a.source,
            }
        )
    return rows


def _current_assignment_row(a: Assignment | None, snapshot: OrgSnapshot) -> dict | None:
    if a is None:
        return None
    node = snapshot.nodes.get(a.unit_id)
    chain = [(n.kind, n.name) for n in reversed(snapshot.ancestors(a.unit_id))]
    return {
        "id": a.pk,
        "unit": _ref(a.unit_id, node.code, node.name) if node else _ref(a.unit_id, "", ""),
        "path": _path(chain),
        "path_label": " ".join(name for _kind, name in chain),
        "position": _ref(a.position.pk, a.position.code, a.position.name),
        "valid_from": a.valid_from,
    }


def _employee_row(e: Employee, snapshot: OrgSnapshot) -> dict:
    """An employee with `current_assignments` prefetched (see selectors.employee_list)."""
    return {
        "id": e.pk,
        "number": e.number,
        "name": e.name,
        "name_kana": e.name_kana,
        "job_type": _ref(e.job_type.pk, e.job_type.code, e.job_type.name),
        "hire_date": e.hire_date,
        "email": e.email,
        "status": e.status,
        "status_label": EmploymentStatus(e.status).label,
        "left_on": e.left_on,
        "hire_route": e.hire_route,
        "current_assignment": _current_assignment_row((e.current_assignments or [None])[0], snapshot),
    }


def _unit_rows(snapshot: OrgSnapshot, nodes: list[UnitNode]) -> list[dict]:
    """Units as of the snapshot's day; one query for the spans of the units and their current names."""
    spans = {}
    if nodes:
        spans = {
            r[0]: r[1:]
            for r in OrgUnitVersion.objects.filter(
                valid_on(snapshot.day), unit_id__in=[n.unit_id for n in nodes]
            ).values_list("unit_id", "unit__valid_from", "unit__valid_to", "valid_from", "valid_to")
        }
    rows = []
    for node in nodes:
        parent = snapshot.nodes.get(node.parent_id) if node.parent_id else None
        unit_from, unit_to, name_from, name_to = spans.get(node.unit_id, (None, None, None, None))
        rows.append(
            {
                "id": node.unit_id,
                "code": node.code,
                "kind": node.kind,
                "kind_label": node.kind_label,
                "level": node.level,
                "name": node.name,
                "parent": _ref(parent.unit_id, parent.code, parent.name) if parent else None,
                "path": snapshot.label_of(node.unit_id),
                "valid_from": unit_from,
                "valid_to": unit_to,
                "name_valid_from": name_from,
                "name_valid_to": name_to,
                "headcount": node.headcount,
                "own_headcount": node.own_headcount,
            }
        )
    return rows


# ---------------------------------------------------------------- org units


class OrgUnitListView(ScopedAPIView):
    serializer_class = OrgUnitSerializer
    required_action = Action.VIEW_ORG_TREE

    @extend_schema(
        operation_id="org_units_list",
        summary="組織の一覧（基準日時点）",
        description=(
            "基準日（as_of、省略時は今日）時点の組織を、局区→部→課→係の木の順に返します。名称・上位組織・在籍者数は"
            "基準日時点のものです。parent に存在しない組織を指定すると空の一覧になります。"
            "ログインしていれば誰でも閲覧できます。"
        ),
        parameters=[OrgUnitQuerySerializer],
        responses={200: OrgUnitSerializer(many=True), **ERRORS},
        tags=["組織"],
    )
    def get(self, request):
        q = self.query(OrgUnitQuerySerializer)
        snapshot = selectors.org_tree_with_headcount(q.get("as_of") or timezone.localdate())
        nodes = snapshot.flat()
        if q.get("kind"):
            nodes = [n for n in nodes if n.kind == q["kind"]]
        if q.get("parent"):
            nodes = [n for n in nodes if n.parent_id == q["parent"]]
        page = self.paginate_queryset(nodes)
        return self.paginated(_unit_rows(snapshot, page))


class OrgUnitDetailView(ScopedAPIView):
    serializer_class = OrgUnitDetailSerializer
    required_action = Action.VIEW_ORG_TREE

    @extend_schema(
        operation_id="org_units_retrieve",
        summary="組織の詳細（基準日時点）",
        description="基準日に存在しない組織は 404 です。",
        parameters=[OrgUnitDetailQuerySerializer],
        responses={200: OrgUnitDetailSerializer, **ERRORS, **NOT_FOUND},
        tags=["組織"],
    )
    def get(self, request, pk: int):
        q = self.query(OrgUnitDetailQuerySerializer)
        snapshot = selectors.org_tree_with_headcount(q.get("as_of") or timezone.localdate())
        node = snapshot.nodes.get(pk)
        if node is None:
            raise exceptions.NotFound(f"{snapshot.day:%Y-%m-%d} 時点でこの組織は存在しません。")
        row = _unit_rows(snapshot, [node])[0]
        row["as_of"] = snapshot.day
        row["children"] = [_ref(c.unit_id, c.code, c.name) for c in node.children]
        return Response(self.get_serializer(row).data)


# ---------------------------------------------------------------- employees


class EmployeeListView(ScopedAPIView):
    serializer_class = EmployeeSerializer
    required_action = Action.VIEW_EMPLOYEE_LIST

    @extend_schema(
        operation_id="employees_list",
        summary="職員の一覧",
        description=(
            "閲覧できる職員だけを返します（事務局・職員部: 全員、局区担当: 担当局区、管理職: 担当課）。"
            "unit は局区・部・課・係の ID で、その下位組織の職員も含みます。存在しない組織や担当外の組織を"
            "指定すると空の一覧になります。所属は今日時点のものです。"
        ),
        parameters=[EmployeeQuerySerializer],
        responses={200: EmployeeSerializer(many=True), **ERRORS},
        tags=["職員"],
    )
    def get(self, request):
        q = self.query(EmployeeQuerySerializer)
        sort = q.get("ordering") or "kana"
        filters = EmployeeFilter(
            q=q.get("search") or "",
            unit=q.get("unit"),
            job_type=q.get("job_type"),
            position=q.get("position"),
            include_retired=bool(q.get("include_retired")),
            sort=sort,
        )
        qs = selectors.employee_list(user=request.user, filters=filters)
        qs = qs.order_by(*SORTS[sort], "pk")  # a unique last key, so pages never overlap or skip
        page = self.paginate_queryset(qs)
        snapshot = selectors.org_snapshot()
        return self.paginated([_employee_row(e, snapshot) for e in page])


class EmployeeDetailView(ScopedAPIView):
    serializer_class = EmployeeDetailSerializer

    @extend_schema(
        operation_id="employees_retrieve",
        summary="職員の詳細（所属の履歴つき）",
        description="閲覧できない職員は、存在しない職員と同じく 404 です。職員は自分自身を閲覧できます。",
        responses={200: EmployeeDetailSerializer, **ERRORS, **NOT_FOUND},
        tags=["職員"],
    )
    def get(self, request, pk: int):
        visible = access.employees_visible_to(request.user, Employee.objects.select_related("job_type"))
        employee = visible.filter(pk=pk).first()
        if employee is None:
            raise exceptions.NotFound("この職員は見つかりません。")
        history = list(employee.assignments.select_related("position", "employee").order_by("-valid_from"))
        today = timezone.localdate()
        employee.current_assignments = [a for a in history if a.is_valid_on(today)][:1]
        row = _employee_row(employee, selectors.org_snapshot())
        row["assignments"] = _assignment_rows(history)
        return Response(self.get_serializer(row).data)


# ---------------------------------------------------------------- assignments


class AssignmentListView(ScopedAPIView):
    serializer_class = AssignmentSerializer

    @extend_schema(
        operation_id="assignments_list",
        summary="所属（異動履歴）の一覧",
        description=(
            "閲覧できる職員の所属だけを返します（職員は自分の分だけ）。"
            "employee に閲覧できない職員を指定すると 404 です。as_of を指定するとその日に有効だった所属だけを返し、"
            "組織名はその日時点、指定しなければ各所属の開始日時点です。"
        ),
        parameters=[AssignmentQuerySerializer],
        responses={200: AssignmentSerializer(many=True), **ERRORS, **NOT_FOUND},
        tags=["職員"],
    )
    def get(self, request):
        q = self.query(AssignmentQuerySerializer)
        qs: QuerySet = access.employees_visible_to(
            request.user, Assignment.objects.select_related("employee", "position"), path="employee"
        )
        if q.get("employee"):
            if not access.employees_visible_to(request.user).filter(pk=q["employee"]).exists():
                raise exceptions.NotFound("この職員は見つかりません。")
            qs = qs.filter(employee_id=q["employee"])
        day = q.get("as_of")
        if day:
            qs = qs.filter(valid_on(day))
        qs = qs.order_by("employee__kana_key", "employee__number", "-valid_from", "pk")
        page = self.paginate_queryset(qs)
        return self.paginated(_assignment_rows(page, day))


# ---------------------------------------------------------------- tokens


class LockedOut(exceptions.APIException):
    status_code = getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429)
    default_detail = (
        "ログインに続けて失敗したため、このアカウントは一時的にロックされています。"
        "しばらく待ってから再度お試しください。"
    )
    default_code = "locked_out"


class ObtainTokenView(APIView):
    """POST username/password → an API token. Goes through django-axes like the login page does."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="auth_token_create",
        summary="API トークンの発行",
        description=(
            "職員番号とパスワードで API トークンを発行します（既にあれば同じトークン）。以後は "
            "`Authorization: Token <token>` ヘッダーで呼び出してください。続けて失敗するとアカウントが一時的に"
            "ロックされます（429）。Basic 認証は使えません。"
        ),
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: ERRORS[400],
            429: OpenApiResponse(ErrorSerializer, description="ログイン失敗が続いたためロック中"),
        },
        auth=[],
        tags=["認証"],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        django_request = request._request  # axes reads and flags the Django request, not DRF's wrapper
        user = authenticate(request=django_request, **serializer.validated_data)
        if getattr(django_request, "axes_locked_out", False):
            # AxesMiddleware would replace our answer with its HTML lockout page; an API answers in JSON.
            django_request.axes_locked_out = False
            raise LockedOut()
        if user is None:
            raise exceptions.ValidationError({"non_field_errors": ["職員番号またはパスワードが正しくありません。"]})
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)  # audit log, axes reset
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
