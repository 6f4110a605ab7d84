"""All-or-nothing imports of the staff roster (職員名簿) and the org chart (組織コード表).

Both read CSV/XLSX through `dxtalent.core.tabular`, validate every row against data preloaded with a handful of
queries, and write nothing unless every row is good. See `roster.import_roster` and `org_chart.import_org`.
"""

from .common import serialize_imports
from .org_chart import ORG_LABELS, ORG_SUMMARY_KEYS, import_org
from .roster import ROSTER_LABELS, ROSTER_SUMMARY_KEYS, import_roster

__all__ = [
    "ORG_LABELS",
    "ORG_SUMMARY_KEYS",
    "ROSTER_LABELS",
    "ROSTER_SUMMARY_KEYS",
    "import_org",
    "import_roster",
    "serialize_imports",
]
