"""Imports and helpers shared by the modules of this package."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from dxtalent.core.api import Conflict
from dxtalent.org.api_serializers import MAX_ID, ErrorSerializer

from ..errors import WorkflowError
from ..models import NominationStatus

TAGS = ["DX推進リーダー（推薦・選定・期）"]
CONFLICT = {409: OpenApiResponse(ErrorSerializer, description="現在の状態ではできない操作（理由を detail に）")}
S = NominationStatus


def _call(fn, **kwargs):
    """Run a service; a WorkflowError becomes 409 (ValidationError → 400 and PermissionDenied → 403 by the handler)."""
    try:
        return fn(**kwargs)
    except WorkflowError as exc:
        raise Conflict(exc.message) from None


def _ref(id_, code, name):
    return {"id": id_, "code": code, "name": name}


def _pk_field(label: str, required=True) -> serializers.IntegerField:
    message = f"{label}は1以上の整数（ID）で指定してください。"
    return serializers.IntegerField(
        required=required,
        min_value=1,
        max_value=MAX_ID,
        help_text=f"{label}のID",
        error_messages={
            "invalid": message,
            "min_value": message,
            "max_value": message,
            "required": f"{label}を指定してください。",
        },
    )
