"""Frameworks are versioned: a changed pack framework never rewrites an old campaign, which still validates against
its own frozen copy; a new campaign takes the new version. Each assessment page shows its own version."""

import shutil

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.urls import reverse

from dxtalent.competency import services
from dxtalent.competency.models import Campaign, Rating
from dxtalent.core.roles import Role
from dxtalent.policy.selectors import current_pack
from tests.project_fixtures import SAPPORO

from .conftest import all_items, make_campaign


def _load_changed_pack(tmp_path):
    """Pack 1.1: the leader framework 2.0 renames 当事者意識, drops プロジェクト遂行力 and adds a new skill."""
    from dxtalent.policy.services import policy_pack_load

    folder = tmp_path / "pack"
    shutil.copytree(SAPPORO, folder)
    meta = yaml.safe_load((folder / "pack.yaml").read_text(encoding="utf-8"))
    meta["version"] = "1.1"
    (folder / "pack.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    comp = yaml.safe_load((folder / "competency.yaml").read_text(encoding="utf-8"))
    fw = next(f for f in comp["competency"]["frameworks"] if f["code"] == "leader")
    fw["version"] = "2.0"
    fw["items"] = [i for i in fw["items"] if i["code"] != "project_delivery"]
    fw["items"][0]["name"] = "当事者意識（改訂）"
    fw["items"].append(
        {
            "code": "data_use",
            "kind": "skill",
            "name": "データ活用",
            "descriptors": ["データで説明できる。"],
            "anchors": ["知っている", "支援があればできる", "自分でできる", "教えられる"],
        }
    )
    fw["expected_levels"].pop("project_delivery")
    fw["expected_levels"]["data_use"] = 2
    (folder / "competency.yaml").write_text(yaml.safe_dump(comp, allow_unicode=True), encoding="utf-8")
    return policy_pack_load(directory=folder).pack


def test_old_campaign_keeps_its_items_after_the_pack_changes(assessment, people, hr, mentor, tmp_path, client):
    old = assessment.campaign
    before = dict(old.framework)
    new_pack = _load_changed_pack(tmp_path)
    assert current_pack().pk == new_pack.pk and current_pack().framework("leader").version == "2.0"

    old = Campaign.objects.get(pk=old.pk)
    assert old.framework == before and old.framework_version == "1.0"
    codes = [i["code"] for i in old.framework["items"]]
    assert "project_delivery" in codes and "data_use" not in codes

    # the old campaign still validates against its own copy: project_delivery is fine, data_use is unknown
    user = people["users"][Role.EMPLOYEE]
    with pytest.raises(ValidationError) as exc:
        services.assessment_rate(assessment=assessment, by=user, rater="self", levels={**all_items(old), "data_use": 2})
    assert "data_use" in exc.value.message_dict["levels"][0]
    services.assessment_rate(assessment=assessment, by=user, rater="self", levels=all_items(old))
    assert Rating.objects.filter(assessment=assessment, item_code="project_delivery").exists()

    # a campaign made now takes version 2.0
    new = make_campaign(hr, name="新しい回")
    assert new.framework_version == "2.0" and new.pack_id == new_pack.pk
    (a2,) = services.campaign_add_people(campaign=new, by=hr, people=[(people["higashi_staff"], mentor.employee)])
    with pytest.raises(ValidationError):
        services.assessment_rate(assessment=a2, by=user, rater="self", levels=all_items(old))  # project_delivery
    services.assessment_rate(assessment=a2, by=user, rater="self", levels=all_items(new))

    client.force_login(user)
    body = client.get(reverse("competency:assessment", args=[assessment.pk])).content.decode()
    assert "プロジェクト遂行力" in body and "データ活用" not in body and "当事者意識（改訂）" not in body
    assert "新しい回" in body and "2.0版" in body  # the history link shows the other one's version
    body = client.get(reverse("competency:assessment", args=[a2.pk])).content.decode()
    assert "データ活用" in body and "当事者意識（改訂）" in body and "1.0版" in body
