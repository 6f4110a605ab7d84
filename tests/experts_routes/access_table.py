"""Who may use the hiring pages (see tests/org/access_table.py for the format): aggregates, every role."""

from dxtalent.core.roles import Role

ALL = set(Role)

EXPECTED = {
    "hiring:routes": ALL,
    "hiring:routes_export": ALL,
    "hiring:survey": ALL,
    "hiring:survey_export": ALL,
}
