import pytest

from dxtalent.org.selectors import reset_snapshots


@pytest.fixture(autouse=True)
def _fresh_org_snapshots():
    reset_snapshots()
    yield
    reset_snapshots()


@pytest.fixture
def city(db):
    from tests.factories import small_city

    return small_city()
