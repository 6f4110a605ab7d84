"""Extension points that let higher apps feed the competency pages without this app importing them.

- Expected levels: the radar shows "expected" per item. For ② it is the framework's `expected_levels` (a certified
  leader); for ③ it is the person's current ladder stage, which only `dxtalent.experts` knows. Experts registers
  a provider in its AppConfig.ready().
- Evidence: a person links project steps as evidence; projects live above this app, so `dxtalent.projects`
  registers a provider of "(id, label)" choices for an employee.

Providers are plain functions; the first one that answers (not None) wins.
"""

import datetime as dt
from collections.abc import Callable

# (employees, framework_code, day) -> {employee_id: (label, {item_code: level})} for the people it knows about.
# One call per page, so a provider answers a whole group with a fixed number of queries.
ExpectedProvider = Callable[[list, str, dt.date], dict[int, tuple[str, dict[str, int]]]]
# (employee) -> [(ref_id, label), ...]
EvidenceProvider = Callable[[object], list[tuple[int, str]]]

_expected: list[ExpectedProvider] = []
_evidence: list[EvidenceProvider] = []


def register_expected_levels(provider: ExpectedProvider) -> None:
    if provider not in _expected:
        _expected.append(provider)


def register_project_evidence(provider: EvidenceProvider) -> None:
    if provider not in _evidence:
        _evidence.append(provider)


def expected_levels_many(employees, framework: dict, day: dt.date) -> dict[int, tuple[str, dict[str, int]]]:
    """What is expected of each person on `day` in a frozen framework (a campaign's copy): {employee_id: (label,
    levels)}. Providers answer first (the first answer per person wins); everyone else gets the framework's own
    `expected_levels` (a certified ② leader), or nothing."""
    people = list(employees)
    out: dict[int, tuple[str, dict[str, int]]] = {}
    for provider in _expected:
        missing = [e for e in people if e.pk not in out]
        if not missing:
            break
        for pk, answer in provider(missing, framework["code"], day).items():
            out.setdefault(pk, answer)
    levels = dict(framework.get("expected_levels") or {})
    fallback = ("認定リーダーに期待するレベル" if levels else "", levels)
    for e in people:
        out.setdefault(e.pk, fallback)
    return out


def expected_levels(employee, framework: dict, day: dt.date) -> tuple[str, dict[str, int]]:
    return expected_levels_many([employee], framework, day)[employee.pk]


def project_evidence_choices(employee) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for provider in _evidence:
        out.extend(provider(employee))
    return out
