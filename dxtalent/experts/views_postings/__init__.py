"""Pages of ジョブチャレンジ (庁内公募): the posting list, one posting (apply; applications for hr/secretariat),
one application, my applications, my staff's applications (managers, if the pack says so), and posting forms.

Thin: parse a form, call a service or selector, render. Who may do what: `dxtalent.org.access`; which rows:
`selectors.postings`. Service ValidationErrors go back onto the form; WorkflowErrors are shown as a message.
"""

from .detail import application_detail, applications_export, posting_detail
from .listing import my_applications, posting_list, staff_applications
from .manage import posting_close, posting_create, posting_edit

__all__ = [
    "application_detail",
    "applications_export",
    "my_applications",
    "posting_close",
    "posting_create",
    "posting_detail",
    "posting_edit",
    "posting_list",
    "staff_applications",
]
