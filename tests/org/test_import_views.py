"""The import pages: upload → preview (nothing written) → confirm; who may use them; broken uploads never 500."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dxtalent.core.roles import Role
from dxtalent.org import import_forms
from dxtalent.org.models import Assignment, Employee, ImportBatch, OrgUnit
from tests.org.data.builders import ORG_HEADERS, csv_bytes, db_counts, person, xlsx_bytes

ROSTER_URL = "/imports/roster/"
ORG_URL = "/imports/org/"


@pytest.fixture
def hr(client, people):
    client.force_login(people["users"][Role.HR])
    return client


def upload(data: bytes, name="名簿.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def preview(client, data, name="名簿.csv", **extra):
    return client.post(ROSTER_URL, {"action": "preview", "file": upload(data, name), "as_of": "2026-04-01", **extra})


@pytest.mark.django_db
def test_upload_page_explains_the_columns(hr):
    body = hr.get(ROSTER_URL).content.decode()
    assert "職員名簿の取込" in body and 'enctype="multipart/form-data"' in body and "氏名カナ" in body
    assert "style=" not in body and "<script>" not in body  # strict CSP: no inline styles or scripts
    assert "組織コード" in hr.get(ORG_URL).content.decode()


@pytest.mark.django_db
def test_hr_previews_then_confirms(hr, people):
    rows = [person("900001", hired="R2.4.1"), person("900002", "新人 次郎", "シンジン ジロウ", "北区")]
    before = db_counts()
    response = preview(hr, csv_bytes(rows, encoding="cp932"))
    body = response.content.decode()
    assert response.status_code == 200 and "まだ取り込んでいません" in body
    assert "追加（新規の職員）" in body and "added=2 transferred=0 unchanged=0 retired=0 errors=0" in body
    assert db_counts() == before  # the preview writes nothing
    token = response.context["token"]
    pending = hr.session["dx_import_roster"]
    assert default_storage.exists(pending["path"]) and token not in pending["path"]

    response = hr.post(ROSTER_URL, {"action": "confirm", "token": token}, follow=True)
    body = response.content.decode()
    assert "取り込みました" in body and "added=2" in body
    assert Employee.objects.filter(number__in=["900001", "900002"]).count() == 2
    batch = ImportBatch.objects.get()
    assert batch.user == people["users"][Role.HR] and batch.as_of == dt.date(2026, 4, 1)
    assert Employee.history.get(number="900002").history_user == people["users"][Role.HR]
    assert not default_storage.exists(pending["path"]) and "dx_import_roster" not in hr.session
    # the same token cannot be used twice
    again = hr.post(ROSTER_URL, {"action": "confirm", "token": token}, follow=True)
    assert "もう一度ファイルを選んでください" in again.content.decode()
    assert Employee.objects.count() == before["employees"] + 2


@pytest.mark.django_db
def test_preview_lists_every_error_and_offers_no_confirm(hr):
    rows = [person("900001"), person("900002", top="南区"), person("900003", hired="2026-02-30")]
    before = db_counts()
    response = preview(hr, xlsx_bytes(rows), "名簿.xlsx")
    body = response.content.decode()
    assert "誤りが 2 件あるため、取り込めません" in body and 'name="token"' not in body
    for text in ("行番号", "南区", "局区「南区」は令和8年4月1日時点の組織にありません", "存在しない日付"):
        assert text in body
    assert response.context["result"].errors[0].row == 3
    assert db_counts() == before and "dx_import_roster" not in hr.session


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0", "旧形式のExcel（.xls）は取り込めません"),
        ("photo.png", b"\x89PNG", "CSV（.csv）または Excel（.xlsx）のファイルを選んでください"),
        ("empty.csv", b"", "ファイルが空です"),
        ("fake.xlsx", b"a,b\n", "ZIP形式ではありません"),
        ("binary.csv", bytes(range(256)) * 8, "バイナリファイルのようです"),
    ],
)
@pytest.mark.django_db
def test_bad_uploads_get_a_clear_message(hr, name, data, message):
    before = db_counts()
    response = preview(hr, data, name)
    assert response.status_code == 200 and message in response.content.decode()
    assert db_counts() == before


@pytest.mark.django_db
def test_too_large_and_missing_inputs(hr, monkeypatch):
    monkeypatch.setattr(import_forms, "MAX_UPLOAD_BYTES", 100)
    body = preview(hr, b"x" * 101).content.decode()
    assert "ファイルが大きすぎます" in body and "20 MB以下" in body
    body = hr.post(ROSTER_URL, {"action": "preview", "as_of": "昨日"}).content.decode()
    assert "取り込むファイルを選んでください" in body and "日付として読み取れません" in body
    assert 'aria-invalid="true"' in body


@pytest.mark.django_db
def test_as_of_accepts_wareki(hr):
    response = preview(hr, csv_bytes([person("900001")]), as_of="R8.4.1")
    assert response.context["as_of"] == dt.date(2026, 4, 1)


@pytest.mark.django_db
def test_cancel_discards_the_pending_file(hr):
    preview(hr, csv_bytes([person("900001")]))
    path = hr.session["dx_import_roster"]["path"]
    body = hr.post(ROSTER_URL, {"action": "cancel"}, follow=True).content.decode()
    assert "取りやめました" in body and not default_storage.exists(path)
    assert not Employee.objects.filter(number="900001").exists()


@pytest.mark.django_db
def test_a_token_from_another_session_is_refused(hr, client, people):
    token = preview(hr, csv_bytes([person("900001")])).context["token"]
    from django.test import Client

    other = Client()
    other.force_login(people["users"][Role.SYSADMIN])
    response = other.post(ROSTER_URL, {"action": "confirm", "token": token, "path": "imports/roster/x"}, follow=True)
    assert "もう一度ファイルを選んでください" in response.content.decode()
    assert not Employee.objects.filter(number="900001").exists()


@pytest.mark.django_db
def test_data_changed_between_preview_and_confirm(hr):
    token = preview(hr, csv_bytes([person("900001", ka="保険年金課")])).context["token"]
    OrgUnit.objects.filter(code="K01-1-2").update(valid_to=dt.date(2026, 3, 31))  # 保険年金課 closed meanwhile
    response = hr.post(ROSTER_URL, {"action": "confirm", "token": token})
    assert "誤りが 1 件ある" in response.content.decode()
    assert not Employee.objects.filter(number="900001").exists() and not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_org_preview_and_confirm(hr):
    data = csv_bytes([["X1", "新設課", "課", "K01-1", "R8.4.1", ""]], headers=ORG_HEADERS)
    response = hr.post(ORG_URL, {"action": "preview", "file": upload(data, "組織.csv")})
    assert "新設" in response.content.decode() and not OrgUnit.objects.filter(code="X1").exists()
    response = hr.post(ORG_URL, {"action": "confirm", "token": response.context["token"]}, follow=True)
    assert "added=1 changed=0 unchanged=0 closed=0 errors=0" in response.content.decode()
    assert OrgUnit.objects.filter(code="X1").exists()
    assert ImportBatch.objects.get().kind == ImportBatch.Kind.ORG


@pytest.mark.django_db
def test_unchanged_file_has_nothing_to_confirm(hr, people):
    e = people["kita_staff"]
    row = person(e.number, e.name, e.name_kana, "北区", hired=e.hire_date.isoformat())
    response = preview(hr, csv_bytes([row]))
    assert "取り込む変更はありません" in response.content.decode() and response.context["token"] is None


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER, Role.LIAISON, Role.LEADER, Role.SECRETARIAT])
@pytest.mark.django_db
def test_other_roles_get_403(client, people, role):
    client.force_login(people["users"][role])
    before = db_counts()
    for url in (ROSTER_URL, ORG_URL):
        assert client.get(url).status_code == 403
        assert (
            client.post(url, {"file": upload(csv_bytes([person("900001")])), "as_of": "2026-04-01"}).status_code == 403
        )
    assert db_counts() == before


@pytest.mark.django_db
def test_login_required(client):
    response = client.get(ROSTER_URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


FILES = st.one_of(
    st.binary(max_size=400),
    st.lists(st.lists(st.text(max_size=6), max_size=12), max_size=5).map(lambda rows: csv_bytes(rows)),
    st.lists(
        st.fixed_dictionaries({"職員番号": st.text(max_size=4), "局区": st.sampled_from(["東区", "x"])}), max_size=4
    ).map(lambda rows: csv_bytes([{**person(), **r} for r in rows])),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=FILES, name=st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a.CSV"]), as_of=st.sampled_from(["", "R8.4.1", "x"])
)
@pytest.mark.django_db
def test_broken_uploads_never_500_and_never_write(hr, data, name, as_of):
    before = db_counts()
    for url, extra in ((ROSTER_URL, {"as_of": as_of}), (ORG_URL, {})):
        response = hr.post(url, {"action": "preview", "file": upload(data, name), **extra})
        assert response.status_code == 200
        assert db_counts() == before
    assert Assignment.objects.count() == before["assignments"]
