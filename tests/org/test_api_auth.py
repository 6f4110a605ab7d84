"""API authentication: session or token (never Basic), JSON 401/403 for anonymous calls, token issue via axes,
and the OpenAPI schema and its local, CSP-clean docs page."""

import base64
import re

import pytest
from axes.models import AccessAttempt
from rest_framework.authtoken.models import Token

from dxtalent.core.roles import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
PASSWORD = "pass-word-123"
API_URLS = [
    "/api/v1/org-units/",
    "/api/v1/org-units/1/",
    "/api/v1/employees/",
    "/api/v1/employees/1/",
    "/api/v1/assignments/",
    "/api/schema/?format=json",
]


@pytest.mark.parametrize("url", API_URLS)
def test_anonymous_gets_json_401_or_403_not_a_redirect(client, url):
    response = client.get(url, HTTP_ACCEPT="application/json")
    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_anonymous_docs_page_goes_to_login(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _token(client, username, password=PASSWORD, **extra):
    return client.post(
        TOKEN_URL, {"username": username, "password": password}, content_type="application/json", **extra
    )


def test_token_issued_and_accepted(client, people):
    user = people["users"][Role.HR]
    response = _token(client, user.username)
    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(user=user).key == key
    assert _token(client, user.username).json()["token"] == key  # the same token again

    api = client.__class__()  # no session cookie: the token alone authenticates
    response = api.get("/api/v1/employees/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200 and response.json()["count"] == 9
    assert api.get("/api/v1/employees/", HTTP_AUTHORIZATION="Token not-a-token").status_code in (401, 403)


def test_token_scoping_is_the_users(client, people):
    user = people["users"][Role.LIAISON]
    key = _token(client, user.username).json()["token"]
    response = client.__class__().get("/api/v1/employees/", HTTP_AUTHORIZATION=f"Token {key}")
    assert "北 一郎" not in {r["name"] for r in response.json()["results"]}


def test_token_with_full_width_staff_number(client, people):
    user = people["users"][Role.HR]
    full_width = user.username.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert _token(client, f" {full_width} ").status_code == 200


def test_basic_auth_is_not_accepted(client, people):
    user = people["users"][Role.HR]
    basic = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()
    response = client.get("/api/v1/employees/", HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code in (401, 403)
    assert response.json()["detail"]


def test_wrong_password_is_400_json_in_japanese(client, people):
    user = people["users"][Role.HR]
    response = _token(client, user.username, "wrong-password")
    assert response.status_code == 400
    assert response.json()["errors"] == {"non_field_errors": ["職員番号またはパスワードが正しくありません。"]}
    response = client.post(TOKEN_URL, {}, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"username", "password"}
    assert client.post(TOKEN_URL, "{not json", content_type="application/json").status_code == 400
    assert client.get(TOKEN_URL).status_code == 405


def test_token_endpoint_goes_through_axes_lockout(client, people, settings):
    user = people["users"][Role.HR]
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _token(client, user.username, "wrong-password").status_code == 400
    assert AccessAttempt.objects.get(username=user.username).failures_since_start == settings.AXES_FAILURE_LIMIT - 1
    response = _token(client, user.username, "wrong-password")
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert "ロック" in response.json()["detail"]
    # locked out: even the right password gets no token
    response = _token(client, user.username)
    assert response.status_code == 429 and not Token.objects.filter(user=user).exists()


def test_success_resets_axes_failures(client, people):
    user = people["users"][Role.HR]
    _token(client, user.username, "wrong-password")
    assert AccessAttempt.objects.filter(username=user.username).exists()
    assert _token(client, user.username).status_code == 200
    assert not AccessAttempt.objects.filter(username=user.username).exists()


def test_inactive_user_gets_no_token(client):
    user = f.login(None, Role.HR)
    user.is_active = False
    user.save()
    assert _token(client, user.username).status_code == 400


# ---------------------------------------------------------------- OpenAPI and docs


def test_schema_is_openapi_3_with_every_endpoint(client, people):
    client.force_login(people["users"][Role.EMPLOYEE])
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/org-units/",
        "/api/v1/org-units/{id}/",
        "/api/v1/employees/",
        "/api/v1/employees/{id}/",
        "/api/v1/assignments/",
        "/api/v1/auth/token/",
    } <= set(schema["paths"])
    schemes = schema["components"]["securitySchemes"]
    assert "basicAuth" not in schemes and "tokenAuth" in schemes


def test_docs_page_is_local_and_has_no_inline_script(client, people):
    client.force_login(people["users"][Role.EMPLOYEE])
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"https?://", html), "the docs page must not load anything from the internet"
    assert "swagger-ui-bundle.js" in html
    # CSP (script-src 'self'): every <script> has a src, none carries code inline
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    init = re.search(r'<script src="([^"]*script=[^"]*)"', html).group(1).replace("&amp;", "&")
    script = client.get(init)
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    body = script.content.decode()
    assert "SwaggerUIBundle" in body and "/api/schema/" in body and not re.search(r"https?://", body)


def test_browsable_api_renders_for_a_browser(client, people):
    client.force_login(people["users"][Role.HR])
    me = people["higashi_staff"].pk
    for url in ["/api/v1/org-units/", "/api/v1/org-units/1/", "/api/v1/employees/", f"/api/v1/employees/{me}/"]:
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code in (200, 404), url
        assert response["Content-Type"].startswith("text/html"), url
    assert client.get("/api/v1/assignments/", HTTP_ACCEPT="text/html").status_code == 200
    assert client.get("/api/v1/employees/", {"ordering": "x"}, HTTP_ACCEPT="text/html").status_code == 400
