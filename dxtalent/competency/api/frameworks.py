"""GET /api/v1/competency/frameworks/ and …/<code>/: the pack's competency frameworks (scale, items, anchors)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from dxtalent.org.access import Action
from dxtalent.org.api import ERRORS, NOT_FOUND, ScopedAPIView
from dxtalent.policy.selectors import NoPolicyPack, current_pack

from .common import framework_body
from .serializers import FrameworkDetailSerializer, FrameworkSerializer

TAGS = ["マインド・スキル評価"]


def _raws() -> list[dict]:
    try:
        return list(current_pack().raw.get("competency", {}).get("frameworks", []))
    except NoPolicyPack:
        return []


class FrameworkListView(ScopedAPIView):
    serializer_class = FrameworkSerializer
    required_action = Action.VIEW_ASSESSMENTS
    pagination_class = None

    @extend_schema(
        operation_id="competency_frameworks_list",
        summary="フレームワーク一覧（現在のポリシーパック）",
        responses={200: FrameworkSerializer(many=True), **ERRORS},
        tags=TAGS,
    )
    def get(self, request):
        rows = [
            {
                "code": f["code"],
                "version": str(f.get("version", "")),
                "name": f.get("name", ""),
                "talent_type": f.get("talent_type", ""),
                "items": len(f.get("items", [])),
            }
            for f in _raws()
        ]
        return Response(FrameworkSerializer(rows, many=True).data)


class FrameworkDetailView(ScopedAPIView):
    serializer_class = FrameworkDetailSerializer
    required_action = Action.VIEW_ASSESSMENTS

    @extend_schema(
        operation_id="competency_frameworks_retrieve",
        summary="フレームワークの詳細（尺度・項目・各レベルの目安・期待レベル）",
        responses={200: FrameworkDetailSerializer, **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, code: str):
        raw = next((f for f in _raws() if f["code"] == code), None)
        if raw is None:
            raise Http404
        return Response(FrameworkDetailSerializer(framework_body(raw)).data)
