import pytest

from dxtalent.core.roles import Role
from tests.project_fixtures import load_pack


@pytest.fixture
def pack(db):
    return load_pack()


@pytest.fixture
def manager(people):
    return people["users"][Role.MANAGER]


@pytest.fixture
def koseki(city):
    """東区 市民部 戸籍住民課: the MANAGER login's 課."""
    return city["higashi_koseki"]


@pytest.fixture
def leader_pair(pack, koseki):
    from tests.projects.builders import leader_in

    return leader_in(koseki)
