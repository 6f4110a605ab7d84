"""An employee carries their hire route (採用区分・育成経路); its name comes from the policy pack."""

import pytest
from django.urls import reverse

from dxtalent.core.roles import Role
from dxtalent.org.hooks import hire_route_label
from tests import factories as f
from tests.project_fixtures import load_pack

pytestmark = pytest.mark.django_db


def test_the_page_and_the_api_show_the_route(client, city, people):
    load_pack()
    person = f.employee(city["higashi_koseki"], name="経路 花子")
    person.hire_route = "digital_course"
    person.save()
    client.force_login(people["users"][Role.HR])
    page = client.get(reverse("org:employee_detail", args=[person.pk])).content.decode()
    assert "一般事務（デジタルコース）" in page
    row = client.get("/api/v1/employees/", {"search": "経路"}).json()["results"][0]
    assert row["hire_route"] == "digital_course"


def test_labels_without_a_route_or_a_known_code(db):
    load_pack()
    assert hire_route_label("") == "未登録"
    assert hire_route_label("electrical") == "電気"
    assert hire_route_label("unknown_code") == "unknown_code"
