"""Pages of the competency app (マインド・スキル評価). Thin: parse a form, call a service or selector, render.

Who may do what: `dxtalent.org.access` (VIEW_ASSESSMENTS, VIEW_ALL_ASSESSMENTS, MANAGE_CAMPAIGNS) and, for one
assessment, `selectors.assessments.get_visible_assessment` (404 for anyone but the person, the evaluator, hr and
the secretariat). Service ValidationErrors go back onto the form; WorkflowErrors are shown as a message.
"""

from .assessment import assessment_detail, assessment_evidence, assessment_rate
from .campaigns import campaign_close, campaign_create, campaign_detail, campaign_export, campaign_list, campaign_people
from .mine import mine
from .reports import cohort, cohort_export, gaps, gaps_export

__all__ = [
    "assessment_detail",
    "assessment_evidence",
    "assessment_rate",
    "campaign_close",
    "campaign_create",
    "campaign_detail",
    "campaign_export",
    "campaign_list",
    "campaign_people",
    "cohort",
    "cohort_export",
    "gaps",
    "gaps_export",
    "mine",
]
