"""Copies of Sapporo's pack in tmp_path, to load as they are or to break one thing at a time."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from django.conf import settings

SAPPORO = Path(settings.BASE_DIR) / "policy_packs" / "sapporo-r8"


def copy_pack(tmp_path: Path, name: str = "pack") -> Path:
    target = tmp_path / name
    shutil.copytree(SAPPORO, target)
    return target


def edit_yaml(directory: Path, file: str, change: Callable[[dict], None]) -> None:
    """Load one file of a pack copy, let `change` mutate the data, write it back."""
    path = directory / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def edit_text(directory: Path, file: str, old: str, new: str) -> None:
    path = directory / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def pack_copy(tmp_path) -> Path:
    return copy_pack(tmp_path)


@pytest.fixture
def sapporo(db):
    from dxtalent.policy.services import policy_pack_load

    return policy_pack_load(directory=SAPPORO).pack
