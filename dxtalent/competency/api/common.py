"""Shared pieces of the competency API views."""

from drf_spectacular.utils import OpenApiResponse

from dxtalent.core.wareki import format_fiscal_year
from dxtalent.org.api_serializers import ErrorSerializer

from ..frozen import items_in_order, parse_framework

CONFLICT = {409: OpenApiResponse(ErrorSerializer, description="締切済み・受付期間外など、現在の状態ではできない操作")}


def ref(id_, code, name) -> dict:
    return {"id": id_, "code": code or "", "name": name}


def person(e) -> dict | None:
    return ref(e.pk, e.number, e.name) if e is not None else None


def framework_body(raw: dict) -> dict:
    fw = parse_framework(raw)
    return {
        "code": fw.code,
        "version": fw.version,
        "name": fw.name,
        "talent_type": fw.talent_type,
        "role": fw.role,
        "scale": [{"level": s.level, "label": s.label, "description": s.description} for s in fw.scale],
        "items": [
            {
                "code": i.code,
                "kind": i.kind,
                "name": i.name,
                "descriptors": list(i.descriptors),
                "anchors": [{"level": a.level, "label": a.label, "text": a.text} for a in i.anchors],
            }
            for i in items_in_order(fw)
        ],
        "expected_levels": fw.expected_levels,
    }


def campaign_body(c) -> dict:
    return {
        "id": c.pk,
        "name": c.name,
        "kind": c.kind,
        "kind_label": c.get_kind_display(),
        "fiscal_year": c.fiscal_year,
        "fiscal_year_label": format_fiscal_year(c.fiscal_year),
        "framework_code": c.framework_code,
        "framework_version": c.framework_version,
        "framework_name": c.framework.get("name", ""),
        "run": {"id": c.run.pk, "title": c.run.title, "fiscal_year": c.run.fiscal_year} if c.run_id else None,
        "opens_on": c.opens_on,
        "closes_on": c.closes_on,
        "status": c.status,
        "status_label": c.get_status_display(),
        "people": getattr(c, "people", 0),
        "self_submitted": getattr(c, "self_done", 0),
        "evaluator_submitted": getattr(c, "evaluator_done", 0),
    }


def assessment_body(a) -> dict:
    return {
        "id": a.pk,
        "campaign": ref(a.campaign_id, "", a.campaign.name),
        "employee": person(a.employee),
        "evaluator": person(a.evaluator),
        "self_submitted_at": a.self_submitted_at,
        "evaluator_submitted_at": a.evaluator_submitted_at,
    }


def evidence_body(e) -> dict:
    return {
        "id": e.pk,
        "kind": e.kind,
        "kind_label": e.get_kind_display(),
        "rater": e.rater,
        "item_code": e.item_code,
        "label": e.label,
        "url": e.url,
        "attendance": e.attendance_id,
        "ref_id": e.ref_id,
        "added_at": e.added_at,
    }
