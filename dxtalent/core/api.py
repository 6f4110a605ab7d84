"""Shared API plumbing: pagination and one JSON error shape for every failure (never a bare 500 on input)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import WorkflowError


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param) or 1
        try:
            number = int(raw)
        except (TypeError, ValueError):
            raise exceptions.ValidationError({"page": ["ページ番号は1以上の整数で指定してください。"]}) from None
        if number < 1:
            raise exceptions.ValidationError({"page": ["ページ番号は1以上の整数で指定してください。"]})
        return number

    def paginate_queryset(self, queryset, request, view=None):
        size = request.query_params.get(self.page_size_query_param)
        if size is not None and (not size.isdigit() or int(size) < 1):
            raise exceptions.ValidationError({"page_size": ["件数は1以上の整数で指定してください。"]})
        return super().paginate_queryset(queryset, request, view)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "現在の状態ではこの操作はできません。"
    default_code = "conflict"


def run_service(call):
    """Call a service (`lambda: services.x(...)`); its WorkflowError (an illegal step now) answers 409 with the
    service's message. ValidationError and PermissionDenied go through `exception_handler` as 400 and 403."""
    try:
        return call()
    except WorkflowError as exc:
        raise Conflict(str(exc)) from None


def exception_handler(exc, context):
    """Turn domain errors into DRF errors, then shape every error as {"detail": ..., "errors": {...}}."""
    if isinstance(exc, ValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("見つかりません。")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "この操作を行う権限がありません。")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        body = {"detail": str(data["detail"]), "errors": {}}
    elif isinstance(exc, exceptions.ValidationError):
        body = {
            "detail": "入力内容に誤りがあります。",
            "errors": data if isinstance(data, dict) else {"non_field_errors": data},
        }
    else:
        body = {"detail": str(data), "errors": {}}
    return Response(body, status=response.status_code, headers=getattr(response, "headers", None))
