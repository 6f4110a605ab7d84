"""The 20 designated cities survey reproduces the policy's findings on the page, in the export and in the API:
14 of 20 cities (70%) have a digital hiring track; 11 of those 14 hire as 事務職; 配属先: 8 digital + business,
6 digital only (within 事務職: 8 and 3; within 情報職: 0 and 3)."""

import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from dxtalent.core.roles import Role

JIMU = "事務職(デジタル)"
JOHO = "情報職"
BOTH = "デジタル部門及び業務部門"
ONLY = "デジタル部門のみ"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.LEADER, Role.SYSADMIN])
def test_page_reproduces_the_findings(client, people, pack, role):
    client.force_login(people["users"][role])
    page = client.get("/hiring/survey/").content.decode()
    assert "20都市中14都市（70%）" in page
    assert f"採用区分が「{JIMU}」</dt><dd><strong>専門枠のある14都市中11都市</strong>（79%）" in page
    assert f"採用区分が「{JOHO}」</dt><dd><strong>専門枠のある14都市中3都市</strong>（21%）" in page
    assert f"配属先が「{BOTH}」</dt><dd>専門枠のある14都市中8都市（57%）" in page
    assert f"配属先が「{ONLY}」</dt><dd>専門枠のある14都市中6都市（43%）" in page
    # The split table: 事務職 → 8 both / 3 only; 情報職 → 0 / 3.
    assert '<th scope="row">事務職(デジタル)</th><td class="num">11</td>' in page
    assert "8（73%）" in page and "3（27%）" in page and "3（100%）" in page
    assert page.count('<th scope="row">') >= 20  # every city is a row
    assert "札幌市" in page and "熊本市" in page and "政令指定都市におけるデジタル分野の専門採用枠" in page


@pytest.mark.django_db
def test_api_reproduces_the_findings(people, pack):
    api = APIClient()
    api.force_authenticate(people["users"][Role.EMPLOYEE])
    body = api.get("/api/v1/reference/city-survey/").json()
    f = body["findings"]
    assert (f["cities"], f["with_track"], f["without_track"], f["percent"]) == (20, 14, 6, 70)
    assert {x["category"]: x["count"] for x in f["by_category"]} == {JIMU: 11, JOHO: 3}
    assert {x["placement"]: x["count"] for x in f["by_placement"]} == {BOTH: 8, ONLY: 6}
    split = {c["category"]: {x["placement"]: x["count"] for x in c["by_placement"]} for c in f["placement_by_category"]}
    assert split == {JIMU: {BOTH: 8, ONLY: 3}, JOHO: {ONLY: 3}}
    assert len(body["rows"]) == 20 and sum(r["has_track"] for r in body["rows"]) == 14
    assert body["source"].startswith("札幌市デジタル人材育成方針")


@pytest.mark.django_db
def test_export_has_rows_and_findings(client, people, pack):
    client.force_login(people["users"][Role.EMPLOYEE])
    r = client.get("/hiring/survey/export.xlsx")
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(r.content))
    cities = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(cities) == 21 and sum(1 for row in cities[1:] if row[2] == "有") == 14
    findings = {(row[0], row[1] or ""): row[2] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert findings[("専門枠あり", "")] == 14 and findings[("採用区分（専門枠ありの都市）", JIMU)] == 11
    assert findings[(f"配属先（{JIMU}）", BOTH)] == 8


@pytest.mark.django_db
def test_sorting_keeps_every_city(client, people, pack):
    client.force_login(people["users"][Role.EMPLOYEE])
    page = client.get("/hiring/survey/", {"sort": "category"}).content.decode()
    table = page[page.index('id="survey-cities"') :]
    assert table.index("仙台市") < table.index("札幌市")  # cities without a track last
