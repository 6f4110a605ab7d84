"""/api/v1/ for nomination windows, quotas, nominations (推薦・選定) and cohorts (第N期) with progress.

Same services, selectors and access rules as the pages: VIEW_NOMINATIONS to read nominations (a liaison: only
their own 局区's; HR and the secretariat: all), NOMINATE to nominate / edit / withdraw (own 局区, until the
deadline), MANAGE_PROGRAMME for windows, quotas, decisions and cohorts, VIEW_PROGRAMME to read cohorts (members
filtered by employees_visible_to). An object the caller may not see answers 404; bad input 400 with field errors;
a step the current state does not allow (closed window, illegal decision, cohort already formed) 409.
"""

from .cohorts import (
    CohortAddMemberSerializer,
    CohortDetailView,
    CohortFormInputSerializer,
    CohortListView,
    CohortMemberProgressSerializer,
    CohortMembersView,
    CohortPhaseSerializer,
    CohortScheduleInputSerializer,
    CohortScheduleResultSerializer,
    CohortSessionSerializer,
    CohortSessionsView,
    LeaderCohortDetailSerializer,
    LeaderCohortSerializer,
    MemberPhaseHoursSerializer,
    MemberPrerequisiteSerializer,
)
from .nominations import (
    NominationDecideView,
    NominationDecisionSerializer,
    NominationDetailView,
    NominationInputSerializer,
    NominationListView,
    NominationPatchSerializer,
    NominationQuerySerializer,
    NominationSerializer,
    NominationWithdrawView,
)
from .windows import (
    NominationQuotaEntrySerializer,
    NominationQuotaInputSerializer,
    NominationQuotaRowSerializer,
    NominationQuotaTableSerializer,
    NominationWindowInputSerializer,
    NominationWindowPatchSerializer,
    NominationWindowSerializer,
    QuotaView,
    WindowDetailView,
    WindowListView,
)

__all__ = [
    "CohortAddMemberSerializer",
    "CohortDetailView",
    "CohortFormInputSerializer",
    "CohortListView",
    "CohortMemberProgressSerializer",
    "CohortMembersView",
    "CohortPhaseSerializer",
    "CohortScheduleInputSerializer",
    "CohortScheduleResultSerializer",
    "CohortSessionSerializer",
    "CohortSessionsView",
    "LeaderCohortDetailSerializer",
    "LeaderCohortSerializer",
    "MemberPhaseHoursSerializer",
    "MemberPrerequisiteSerializer",
    "NominationDecideView",
    "NominationDecisionSerializer",
    "NominationDetailView",
    "NominationInputSerializer",
    "NominationListView",
    "NominationPatchSerializer",
    "NominationQuerySerializer",
    "NominationQuotaEntrySerializer",
    "NominationQuotaInputSerializer",
    "NominationQuotaRowSerializer",
    "NominationQuotaTableSerializer",
    "NominationSerializer",
    "NominationWindowInputSerializer",
    "NominationWindowPatchSerializer",
    "NominationWindowSerializer",
    "NominationWithdrawView",
    "QuotaView",
    "WindowDetailView",
    "WindowListView",
]
