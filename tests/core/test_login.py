"""Login safety: 職員番号 + password, lockout after repeated failures, idle and absolute session timeouts."""

import time

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from dxtalent.core.roles import Role
from tests import factories as f


@pytest.fixture
def staff(city):
    person = f.employee(city["higashi_koseki"], number="123456", name="東 花子", kana="ヒガシ ハナコ")
    return f.login(person, Role.EMPLOYEE, password="correct-horse-77")


@pytest.mark.django_db
def test_login_with_staff_number_and_home_shows_role(client, staff):
    response = client.post("/accounts/login/", {"username": "123456", "password": "correct-horse-77"}, follow=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert "ようこそ、東 花子さん" in body
    assert "職員" in body  # the role label
    assert "職員一覧" not in body  # an employee has no staff list


@pytest.mark.django_db
def test_full_width_staff_number_logs_in(client, staff):
    response = client.post("/accounts/login/", {"username": "１２３４５６ ", "password": "correct-horse-77"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_wrong_password_says_so_in_japanese(client, staff):
    response = client.post("/accounts/login/", {"username": "123456", "password": "wrong"})
    assert response.status_code == 200
    assert "職員番号またはパスワードが正しくありません" in response.content.decode()


@pytest.mark.django_db
def test_lockout_after_repeated_failures(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "123456", "password": "wrong-password"})
    response = client.post("/accounts/login/", {"username": "123456", "password": "correct-horse-77"})
    assert response.status_code == 429
    assert "一時的にログインできません" in response.content.decode()
    assert AccessAttempt.objects.filter(username="123456").exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_success_before_limit_resets_failures(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/accounts/login/", {"username": "123456", "password": "wrong-password"})
    response = client.post("/accounts/login/", {"username": "123456", "password": "correct-horse-77"})
    assert response.status_code == 302


def test_password_validators_reject_weak_passwords():
    for weak in ["12345678901", "password123", "short"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("dxtalent-demo-2026")


@pytest.mark.django_db
def test_idle_timeout_is_thirty_minutes_and_sliding(client, staff):
    client.force_login(staff)
    client.get("/")
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert client.session.get_expiry_age() == 30 * 60


@pytest.mark.django_db
def test_absolute_timeout_logs_out_after_ten_hours(client, staff):
    client.force_login(staff)
    assert client.get("/").status_code == 200
    session = client.session
    session["_dx_login_at"] = int(time.time()) - settings.SESSION_ABSOLUTE_TIMEOUT - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/").status_code == 302  # still logged out


@pytest.mark.django_db
def test_security_headers(client, staff):
    client.force_login(staff)
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "http" not in csp
    assert response["X-Frame-Options"] == "DENY"
