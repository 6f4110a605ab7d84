"""Object pages of the training area, role by role (the OBJECT_SCOPED names of access_table.py)."""

import pytest
from django.urls import reverse

from dxtalent.core.roles import Role
from dxtalent.training import services

from .access_table import MANAGERS
from .conftest import make_run, past_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(course, people):
    run = make_run(course, approval_required=False)
    enrollment = services.enrollment_apply(employee=people["higashi_staff"], run=run)
    session = services.session_create(run=run, date=past_day(), hours=2)
    return {"run": run, "session": session, "enrollment": enrollment, "course": course}


MANAGE_PAGES = [
    ("training:manage_course", "course"),
    ("training:manage_course_edit", "course"),
    ("training:manage_run_create", "course"),
    ("training:manage_run", "run"),
    ("training:manage_run_edit", "run"),
    ("training:manage_session_create", "run"),
    ("training:manage_session_edit", "session"),
    ("training:attendance", "session"),
    ("training:attendance_export_run", "run"),
]


@pytest.mark.parametrize("role", list(Role))
def test_object_pages_by_role(client, people, objects, role):
    client.force_login(people["users"][role])
    assert client.get(reverse("training:run_detail", args=[objects["run"].pk])).status_code == 200
    for name, key in MANAGE_PAGES:
        status = client.get(reverse(name, args=[objects[key].pk])).status_code
        assert status == (200 if role in MANAGERS else 403), (name, role, status)
    # POST-only actions refuse GET; their role rules are tested in test_pages / test_workflow
    for name, key in (
        ("training:apply", "run"),
        ("training:cancel", "enrollment"),
        ("training:decide", "enrollment"),
        ("training:manage_enroll", "run"),
    ):
        assert client.get(reverse(name, args=[objects[key].pk])).status_code in (403, 405)
    url = reverse("training:manage_enrollment_action", args=[objects["enrollment"].pk, "cancel"])
    assert client.get(url).status_code in (403, 405)


def test_missing_objects_are_404(client, people):
    client.force_login(people["users"][Role.SECRETARIAT])
    for name in (
        "training:run_detail",
        "training:manage_run",
        "training:attendance",
        "training:manage_course",
        "training:record",
    ):
        assert client.get(reverse(name, args=[999999])).status_code == 404


RECORD_RULES = {
    # who looks → (東 花子 of 東区 戸籍住民課, 保険 次郎 of 東区 保険年金課, 北 一郎 of 北区)
    Role.SECRETARIAT: (200, 200, 200),
    Role.HR: (200, 200, 200),
    Role.LIAISON: (200, 200, 403),  # own 局区 (東区)
    Role.MANAGER: (200, 403, 403),  # own 課 (戸籍住民課)
    Role.EMPLOYEE: (200, 403, 403),  # themself (東 花子)
    Role.LEADER: (403, 403, 403),
    Role.SYSADMIN: (200, 200, 200),
}


@pytest.mark.parametrize("role", list(Role))
def test_training_record_is_scoped(client, people, role):
    client.force_login(people["users"][role])
    targets = (people["higashi_staff"], people["higashi_other_ka"], people["kita_staff"])
    got = tuple(client.get(reverse("training:record", args=[p.pk])).status_code for p in targets)
    assert got == RECORD_RULES[role]


def test_leader_sees_own_record(client, people):
    user = people["users"][Role.LEADER]
    client.force_login(user)
    assert client.get(reverse("training:record", args=[user.employee.pk])).status_code == 200
