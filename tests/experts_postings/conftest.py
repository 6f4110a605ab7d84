import datetime as dt

import pytest
from django.utils import timezone

from dxtalent.core.roles import Role
from dxtalent.experts import services
from tests.project_fixtures import load_pack


@pytest.fixture
def pack(db):
    return load_pack()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def sec(people):
    return people["users"][Role.SECRETARIAT]


@pytest.fixture
def hr(people):
    return people["users"][Role.HR]


def make_posting(by, *, kind="expert_programme", unit=None, title="高度デジタル人材育成プログラム 令和9年度", **kw):
    today = timezone.localdate()
    fields = {
        "opens_on": today - dt.timedelta(days=5),
        "deadline": today + dt.timedelta(days=10),
        "starts_on": today + dt.timedelta(days=30),
        "description": "情報システム部でOJTを受けながら、担当システムの運用と調達を学びます。",
        "slots": 2,
    }
    fields.update(kw)
    return services.posting_create(by=by, kind=kind, title=title, unit=unit, **fields)


def set_notify(pack_row, value: bool):
    """Change the loaded pack's notify_manager_on_apply (a modified pack: new checksum, so caches refresh)."""
    content = pack_row.content
    content["experts"]["job_challenge"]["notify_manager_on_apply"] = value
    pack_row.content = content
    pack_row.checksum = f"{pack_row.checksum[:50]}-notify-{value}"
    pack_row.save(update_fields=["content", "checksum"])
