"""The leader programme raises the shared `WorkflowError` (see dxtalent.core.errors); kept here for its imports."""

from dxtalent.core.errors import WorkflowError

__all__ = ["WorkflowError"]
