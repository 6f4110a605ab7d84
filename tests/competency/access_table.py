"""Who may use the competency pages (see tests/org/access_table.py for the format).

One campaign's pages and one assessment's pages are OBJECT_SCOPED: tests/competency/test_privacy.py checks them role
by role on real rows (the person, the evaluator, hr and the secretariat see an assessment; anyone else gets 404).
"""

from dxtalent.core.roles import Role

ALL = set(Role)
ALL_ASSESSMENTS = {Role.SECRETARIAT, Role.HR}

EXPECTED = {
    "competency:mine": ALL,
    "competency:campaigns": ALL_ASSESSMENTS,
    "competency:campaign_new": ALL_ASSESSMENTS,
    "competency:cohort": ALL_ASSESSMENTS,
    "competency:cohort_export": ALL_ASSESSMENTS,
    "competency:gaps": ALL_ASSESSMENTS,
    "competency:gaps_export": ALL_ASSESSMENTS,
}
OBJECT_SCOPED = {
    "competency:campaign",
    "competency:campaign_people",
    "competency:campaign_close",
    "competency:campaign_export",
    "competency:assessment",
    "competency:assessment_rate",
    "competency:assessment_evidence",
}
