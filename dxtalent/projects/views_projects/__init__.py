"""Pages of improvement projects (業務改善): list + export, create, one project (steps, events, attachments).

Thin: parse a form, call a service or selector, render. Who may do what: `dxtalent.org.access` and the step
ownership helpers in selectors/projects.py. Service ValidationErrors go back onto the form; WorkflowErrors are
shown as a message.
"""

from .detail import attachment_file, project_detail
from .listing import project_create, project_export, project_list

__all__ = ["attachment_file", "project_create", "project_detail", "project_export", "project_list"]
