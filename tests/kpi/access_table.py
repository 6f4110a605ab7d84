"""Who may use the kpi app's pages (see tests/org/test_access.py): the programme dashboard, its exports and the
policy pack page show aggregates and policy, no personal data, so every role may see them (Action.VIEW_DASHBOARD)."""

from dxtalent.core.roles import Role

ALL = set(Role)

EXPECTED = {
    "kpi:dashboard": ALL,
    "kpi:export": ALL,
    "kpi:policy": ALL,
}
OBJECT_SCOPED: set[str] = set()
URL_KWARGS: dict[str, dict] = {}
