import pytest

from dxtalent.org.selectors import reset_snapshots


@pytest.fixture(autouse=True)
def _fresh_org_snapshots():
    reset_snapshots(shared=True)
    yield
    reset_snapshots(shared=True)


@pytest.fixture
def city(db):
    from tests.factories import small_city

    return small_city()


@pytest.fixture
def people(city):
    """One login per role over the small city (see tests/people.py), plus plain staff in 東区 and 北区."""
    from tests.people import build_people

    return build_people(city)
