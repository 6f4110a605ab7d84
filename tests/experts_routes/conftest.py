import pytest

from tests.project_fixtures import load_pack


@pytest.fixture
def pack(db):
    return load_pack()
