"""/api/v1/consultations/: the support desk (相談窓口) over the same services and selectors as the pages.

VIEW_CONSULTATIONS to read (rows scoped like the pages: one's own, one's units', all for the desk); a consultation
the caller may not see answers 404. OPEN_CONSULTATION to open one; the requester and the desk post messages and
files; the desk (HANDLE_CONSULTATIONS) assigns, moves the status and links a case. Bad input 400 with field errors,
a status move the table does not allow 409.
"""

from .views import (
    ConsultationAssignView,
    ConsultationAttachmentsView,
    ConsultationDetailView,
    ConsultationLinkCaseView,
    ConsultationMessagesView,
    ConsultationStatusView,
    ConsultationsView,
)

__all__ = [
    "ConsultationAssignView",
    "ConsultationAttachmentsView",
    "ConsultationDetailView",
    "ConsultationLinkCaseView",
    "ConsultationMessagesView",
    "ConsultationStatusView",
    "ConsultationsView",
]
